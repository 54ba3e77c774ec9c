import type { AuditVerification, EventType } from '@livedrop/core';
import { EventLog, followLog, type HashFn } from '../../event-log';
import type { EventLogPage, EventLogStore, StoredEvent } from '../event-log-store';

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

  tail(tenantId: string, after: number, signal?: AbortSignal): AsyncIterable<readonly StoredEvent[]> {
    return followLog(this.log(tenantId), after, signal);
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
