import { isoTime, type Clock } from '../../clock';
import type { HashFn } from '../../event-log';
import { Store } from '../../store';
import type { Storage } from '../storage';
import type { Transaction } from '../transaction';
import { MemoryEventLogs } from './memory-event-logs';
import { MemoryScheduler } from './memory-scheduler';
import { MemoryTransaction } from './memory-transaction';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** The clock transactions are stamped with. */
  readonly clock: Clock;
  /** SHA-256 for the events' hash chain. */
  readonly hash: HashFn;
  /** The CloudEvents `source` of every event. */
  readonly source: string;
}

/**
 * The embedded default storage: every seam in this process's memory. A transaction runs its
 * transition on copies and commits them in the same synchronous step, so no other request can
 * run between its reads and its writes — atomic without a lock.
 */
export class MemoryStorage implements Storage {
  readonly records = new Store();
  readonly events: MemoryEventLogs;
  readonly scheduler = new MemoryScheduler();
  readonly #clock: Clock;

  constructor(options: MemoryStorageOptions) {
    this.#clock = options.clock;
    this.events = new MemoryEventLogs({ hash: options.hash, source: options.source });
  }

  transact<R>(transition: (tx: Transaction) => R): Promise<R> {
    try {
      const tx = this.begin();
      const result = transition(tx);
      this.commit(tx);
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The first half of {@link transact}: a transaction over copies of the committed records. */
  begin(): MemoryTransaction {
    return new MemoryTransaction(this.records, this.#clock.now());
  }

  /** The second half of {@link transact}: applies a transaction's writes, events and jobs at once. */
  commit(tx: MemoryTransaction): void {
    const { records } = this;
    for (const { collection, id, record } of tx.writes.values()) {
      const map = records.collection(collection) as Map<string, unknown>;
      if (record === undefined) map.delete(id);
      else map.set(id, record);
    }
    for (const [key, delta] of tx.unitChanges) {
      const units = (records.buyerUnits.get(key) ?? 0) + delta;
      if (units > 0) records.buyerUnits.set(key, units);
      else records.buyerUnits.delete(key);
    }
    if (tx.spent.size > 0) this.#spendTokenIds(tx.spent, tx.now);
    if (tx.events.length > 0) {
      const time = isoTime(tx.now);
      for (const { tenantId, type, subject, dataJson } of tx.events)
        this.events.log(tenantId).append(type, subject, dataJson, time);
      for (const { tenantId } of tx.events) this.events.log(tenantId).notify();
    }
    for (const { at, job } of tx.jobs) this.scheduler.scheduleNow(at, job);
  }

  reset(): Promise<void> {
    this.records.clear();
    this.events.clear();
    this.scheduler.clear();
    return Promise.resolve();
  }

  /**
   * Records spent token ids, first forgetting those whose tokens would now be refused as expired
   * anyway. Ids are kept in spending order and tokens live minutes, so the oldest are the first
   * to go: the walk stops at the first one still needed (amortized O(1), no sweep).
   */
  #spendTokenIds(spent: ReadonlyMap<string, number>, now: number): void {
    const ids = this.records.spentTokenIds;
    for (const [jti, forgetAt] of ids) {
      if (forgetAt > now) break;
      ids.delete(jti);
    }
    for (const [jti, forgetAt] of spent) ids.set(jti, forgetAt);
  }
}
