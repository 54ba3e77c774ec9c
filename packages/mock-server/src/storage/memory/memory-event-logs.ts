import type { AuditVerification, EventType } from '@livedrop/core';
import { EventLog, type HashFn } from '../../event-log';
import type { EventLogPage, EventLogStore, StoredEvent } from '../event-log-store';

/** Events handed to a follower per batch. */
const TAIL_BATCH = 512;

/** The in-memory event logs, one {@link EventLog} per tenant. A reset closes them and starts new ones. */
export class MemoryEventLogs implements EventLogStore {
  readonly #logs = new Map<string, EventLog>();
  readonly #hash: HashFn;
  readonly #source: string;

  constructor(options: { hash: HashFn; source: string }) {
    this.#hash = options.hash;
    this.#source = options.source;
  }

  /** The tenant's log, made on first use. */
  log(tenantId: string): EventLog {
    let log = this.#logs.get(tenantId);
    if (!log) {
      log = new EventLog({ hash: this.#hash, source: this.#source });
      this.#logs.set(tenantId, log);
    }
    return log;
  }

  head(tenantId: string): Promise<number> {
    return Promise.resolve(this.log(tenantId).headSeq);
  }

  page(tenantId: string, after: number, limit: number, types?: ReadonlySet<EventType>): Promise<EventLogPage> {
    return Promise.resolve(this.log(tenantId).page(after, limit, types));
  }

  read(tenantId: string, after: number, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(this.log(tenantId).read(after, limit));
  }

  async *tail(tenantId: string, after: number, signal?: AbortSignal): AsyncIterable<readonly StoredEvent[]> {
    const log = this.log(tenantId);
    let cursor = after;
    const aborted = signal
      ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      : undefined;
    while (!signal?.aborted && !log.closed) {
      const batch = log.read(cursor, TAIL_BATCH);
      if (batch.length > 0) {
        cursor = batch[batch.length - 1]!.event.seq;
        yield batch;
        continue;
      }
      await (aborted ? Promise.race([log.changed(), aborted]) : log.changed());
    }
  }

  verify(tenantId: string): Promise<AuditVerification> {
    return Promise.resolve(this.log(tenantId).verify());
  }

  trim(tenantId: string, throughSeq: number): Promise<number> {
    return Promise.resolve(this.log(tenantId).trim(throughSeq));
  }

  trimmedThrough(tenantId: string): Promise<number> {
    return Promise.resolve(this.log(tenantId).checkpoint?.seq ?? 0);
  }

  /** Closes every log (their followers end) and forgets them. */
  clear(): void {
    for (const log of this.#logs.values()) log.close();
    this.#logs.clear();
  }
}
