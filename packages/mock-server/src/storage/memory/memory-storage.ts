import { isoTime, type Clock } from '../../clock';
import type { HashFn } from '../../event-log';
import { Store } from '../../store';
import type { ControlStateStore } from '../control-state';
import type { IdempotencyStore } from '../idempotency-store';
import type { RateLimitStore } from '../rate-limit-store';
import type { Storage } from '../storage';
import { createMemoryControlState } from './memory-control-state';
import { createMemoryIdempotencyStore } from './memory-idempotency-store';
import { createMemoryRateLimitStore } from './memory-rate-limit-store';
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
  /** Idempotency keys. @default a {@link createMemoryIdempotencyStore} of this storage's own */
  readonly idempotency?: IdempotencyStore;
  /** Rate-limit counters. @default a {@link createMemoryRateLimitStore} of this storage's own */
  readonly rateLimits?: RateLimitStore;
  /** The control state (clock offset, faults, reset epoch). @default a {@link createMemoryControlState} of this storage's own */
  readonly control?: ControlStateStore;
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
  readonly idempotency: IdempotencyStore;
  readonly rateLimits: RateLimitStore;
  readonly control: ControlStateStore;
  readonly #clock: Clock;

  constructor(options: MemoryStorageOptions) {
    this.#clock = options.clock;
    this.idempotency = options.idempotency ?? createMemoryIdempotencyStore();
    this.rateLimits = options.rateLimits ?? createMemoryRateLimitStore();
    this.control = options.control ?? createMemoryControlState();
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

  async reset(): Promise<void> {
    this.records.clear();
    this.events.clear();
    this.scheduler.clear();
    await Promise.all([this.idempotency.clear(), this.rateLimits.clear()]);
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
