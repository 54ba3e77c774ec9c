import type { Engine } from '../engine';

/**
 * How the reference server serves public views to CDNs and paces the session lifecycle events
 * that let platforms warm and release edge capacity. Every option has a production-like default.
 */
export interface EdgeOptions {
  /**
   * `max-age` of public views (publishable-key hydrate, listing and feed): how long a CDN may
   * answer from its copy without asking again. @default 2
   */
  readonly publicMaxAgeSeconds: number;
  /**
   * `stale-while-revalidate` of public views: how long after `max-age` a CDN may still answer
   * from its copy while it refetches in the background. @default 10
   */
  readonly publicStaleWhileRevalidateSeconds: number;
  /**
   * How long before a session's `scheduledStartAt` `livedrop.session.warmup_due` is emitted
   * (on the injected clock). @default 600000 (10 minutes)
   */
  readonly warmupLeadTimeMs: number;
  /**
   * How long after a session ends `livedrop.session.cooldown` is emitted (on the injected
   * clock); 0 emits it with the end. @default 60000 (1 minute)
   */
  readonly cooldownDelayMs: number;
}

/** Defaults of {@link EdgeOptions}. */
export const DEFAULT_EDGE_OPTIONS: EdgeOptions = {
  publicMaxAgeSeconds: 2,
  publicStaleWhileRevalidateSeconds: 10,
  warmupLeadTimeMs: 10 * 60_000,
  cooldownDelayMs: 60_000,
};

/** Edge options over their defaults, each checked finite and non-negative. */
export function checkedEdgeOptions(options: Partial<EdgeOptions>): EdgeOptions {
  const merged = { ...DEFAULT_EDGE_OPTIONS, ...options };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`Edge option ${name} must be a finite, non-negative number; got ${String(value)}.`);
  }
  return merged;
}

/**
 * Sets `engine`'s edge options (unset ones keep their defaults).
 * @throws RangeError when a value is negative or not a finite number
 * @example configureEdge(server.engine, { warmupLeadTimeMs: 5 * 60_000 });
 */
export function configureEdge(engine: Engine, options: Partial<EdgeOptions>): void {
  engine.config.edge = checkedEdgeOptions(options);
}
