import type { Engine } from './engine';

/**
 * How long each tenant's event log keeps its events (`createReferenceServer({ eventRetention })`).
 * Without a bound the log keeps everything (the default: a test server's log is its record). With
 * one, after each write the oldest events past it are handed to {@link archive} (the export's
 * NDJSON lines) and then dropped; the log keeps the last dropped event's `(seq, hash)` as its
 * checkpoint, so `GET /v1/audit/verify` still proves the rest of the chain. See docs/operations.md.
 * @example
 * createReferenceServer({
 *   eventRetention: {
 *     maxEventsPerTenant: 1_000_000,
 *     maxAgeMs: 30 * 24 * 60 * 60 * 1000,
 *     archive: (tenantId, lines) => appendFile(`events-${tenantId}.ndjson`, lines.join('\n') + '\n'),
 *   },
 * });
 */
export interface EventRetentionOptions {
  /** Most events a tenant's log keeps; older ones are archived, then dropped. A positive integer. @default no bound */
  maxEventsPerTenant?: number;
  /**
   * Oldest an event may be (by its `time`, on the server's clock), in milliseconds; older ones are
   * archived, then dropped, at the tenant's next write. A positive integer. @default no bound
   */
  maxAgeMs?: number;
  /**
   * Receives the events about to be dropped, oldest first, as the lines `GET
   * /v1/exports/events.ndjson` would send, before they are dropped; nothing is dropped until it
   * resolves, and nothing at all if it throws (the next write tries again). Without it, dropped
   * events are gone: export them first if you need them.
   * @default none
   */
  archive?: (tenantId: string, lines: readonly string[]) => void | Promise<void>;
}

/** Events read from the log per archive call. */
const ARCHIVE_PAGE = 1000;

function checkBound(value: number | undefined, where: string): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`eventRetention.${where} must be a positive integer, got ${JSON.stringify(value)}.`);
}

/**
 * Checks `options`.
 * @throws TypeError naming the option when a bound is not a positive integer
 */
export function checkedEventRetention(options: EventRetentionOptions): EventRetentionOptions {
  checkBound(options.maxEventsPerTenant, 'maxEventsPerTenant');
  checkBound(options.maxAgeMs, 'maxAgeMs');
  return { ...options };
}

/**
 * Applies `engine.config.eventRetention` after writes: one pass at a time over the tenants, each
 * archiving then trimming what is past its bounds. A write during a pass asks for another, so the
 * log is within its bounds once {@link settled} resolves. The engine owns one
 * ({@link Engine.eventRetention}).
 */
export class EventRetention {
  readonly #engine: Engine;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Whether any bound is set. */
  get #enabled(): boolean {
    const { maxEventsPerTenant, maxAgeMs } = this.#engine.config.eventRetention;
    return maxEventsPerTenant !== undefined || maxAgeMs !== undefined;
  }

  /** Called after every committed write: starts a pass, or asks the running one for another. */
  afterWrite(): void {
    if (!this.#enabled) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#passes().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves once no pass is running: every log is within its bounds as of the last write. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #passes(): Promise<void> {
    do {
      this.#again = false;
      for (const tenantId of [...this.#engine.store.tenants.keys()]) {
        try {
          await this.#trim(tenantId);
        } catch (error) {
          // The archive failed: nothing was dropped, and the next write tries again.
          console.error(`[livedrop-mock] event retention kept tenant ${tenantId}'s events: archiving failed`, error);
        }
      }
    } while (this.#again);
  }

  /** Archives, then drops, what of `tenantId`'s log is past its bounds. */
  async #trim(tenantId: string): Promise<void> {
    const { events } = this.#engine.storage;
    const { maxEventsPerTenant, maxAgeMs, archive } = this.#engine.config.eventRetention;
    const head = await events.head(tenantId);
    const dropped = await events.trimmedThrough(tenantId);
    let through = dropped;
    if (maxEventsPerTenant !== undefined) through = Math.max(through, head - maxEventsPerTenant);
    if (maxAgeMs !== undefined) through = Math.max(through, await this.#lastTooOld(tenantId, maxAgeMs, head));
    let cursor = dropped;
    while (cursor < through) {
      const page = await events.read(tenantId, cursor, Math.min(ARCHIVE_PAGE, through - cursor));
      if (page.length === 0) return;
      const last = Math.min(page.at(-1)!.event.seq, through);
      await archive?.(
        tenantId,
        page.filter(({ event }) => event.seq <= last).map(({ text }) => text),
      );
      await events.trim(tenantId, last);
      cursor = last;
    }
  }

  /** The `seq` of the newest event older than `maxAgeMs` (events are in time order). */
  async #lastTooOld(tenantId: string, maxAgeMs: number, head: number): Promise<number> {
    const { events } = this.#engine.storage;
    const oldest = this.#engine.clock.now() - maxAgeMs;
    let cursor = await events.trimmedThrough(tenantId);
    while (cursor < head) {
      const page = await events.read(tenantId, cursor, ARCHIVE_PAGE);
      if (page.length === 0) break;
      for (const { event } of page) {
        if (Date.parse(event.time) >= oldest) return cursor;
        cursor = event.seq;
      }
    }
    return cursor;
  }
}
