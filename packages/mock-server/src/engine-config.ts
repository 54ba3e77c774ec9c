import { checkedEdgeOptions, type EdgeOptions } from './domain/edge-options';
import { checkedEventRetention, type EventRetentionOptions } from './event-retention';
import { DEFAULT_STREAM_OPTIONS, type StreamOptions } from './realtime/stream-options';
import type { WebhookOptions } from './webhooks/webhook-options';

/** The engine's business and service settings, as callers pass them (every one optional). */
export interface EngineSettings {
  /** Platform fee when an offer sets no split. @default 1000 (10 %) */
  platformFeeBps?: number;
  /** Seconds of clock skew tolerated when checking token `nbf` and `exp`. @default 5 */
  tokenClockToleranceSeconds?: number;
  /** Delay between capture and a transfer being paid. @default 2 days */
  settlementDelayMs?: number;
  /** How webhooks are sent: `fetch`, per-attempt timeout, retry schedule, jitter. */
  webhooks?: WebhookOptions;
  /** Realtime streams: heartbeat interval, `retry:`, stock coalescing window, per-subscriber buffer. */
  streams?: Partial<StreamOptions>;
  /** Public views at the edge: `max-age`, `stale-while-revalidate`, warm-up lead time, cool-down delay. */
  edge?: Partial<EdgeOptions>;
  /** How long each tenant's event log keeps its events; see {@link EventRetentionOptions}. @default no bound (everything is kept) */
  eventRetention?: EventRetentionOptions;
  /**
   * The server's public base URL, named in `/openapi.json`'s `servers`. The request's `Host` header is
   * never used: it is the client's to set, and a document that echoes it can be poisoned in a cache.
   * @default '/' (relative: the host that served the document)
   */
  publicUrl?: string;
}

/** Every setting of an engine, defaults applied: the one place configuration lives. */
export interface EngineConfig {
  readonly platformFeeBps: number;
  readonly tokenClockToleranceSeconds: number;
  readonly settlementDelayMs: number;
  /** Replaced as a whole by `configureWebhooks`. */
  webhooks: WebhookOptions;
  /** Replaced as a whole by `configureStreams`. */
  streams: StreamOptions;
  /** Replaced as a whole by `configureEdge`. */
  edge: EdgeOptions;
  /** The event log's retention (no bound set: everything is kept). */
  readonly eventRetention: EventRetentionOptions;
  /** The base URL `/openapi.json` names. */
  readonly publicUrl: string;
}

/**
 * Applies the defaults to `settings`.
 * @throws RangeError when an edge option is negative or not a finite number
 * @throws TypeError when a retention bound is not a positive integer
 */
export function resolveEngineConfig(settings: EngineSettings): EngineConfig {
  return {
    platformFeeBps: settings.platformFeeBps ?? 1000,
    tokenClockToleranceSeconds: settings.tokenClockToleranceSeconds ?? 5,
    settlementDelayMs: settings.settlementDelayMs ?? 2 * 24 * 60 * 60 * 1000,
    webhooks: { ...settings.webhooks },
    streams: { ...DEFAULT_STREAM_OPTIONS, ...settings.streams },
    edge: checkedEdgeOptions(settings.edge ?? {}),
    eventRetention: checkedEventRetention(settings.eventRetention ?? {}),
    publicUrl: settings.publicUrl ?? '/',
  };
}
