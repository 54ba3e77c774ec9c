import type { EventType } from '@livedrop/core';
import type { EventData } from '../event-log';
import type { CollectionName, Collections } from '../store';
import type { Job } from './scheduler';

/**
 * One atomic change of the engine's state, as a transition over working copies: it reads records,
 * changes its copies, appends the events that describe the change and schedules the jobs it makes.
 * Nothing it does is visible until the store commits it; if the transition throws, nothing at all
 * happened. A transition is synchronous and must not read anything but the transaction (and the
 * clock via {@link Transaction.now}), so a shared store can run it atomically or run it again.
 */
export interface Transaction {
  /** The engine's clock when the transaction began (epoch ms). */
  readonly now: number;
  /**
   * A working copy of the record `id` (the same copy on every call in this transaction), committed
   * with the transaction; undefined when there is none.
   */
  get<C extends CollectionName>(collection: C, id: string): Collections[C] | undefined;
  /** Adds a new record (or replaces one), committed with the transaction. */
  put<C extends CollectionName>(collection: C, id: string, record: Collections[C]): void;
  /** Removes a record when the transaction commits. */
  delete(collection: CollectionName, id: string): void;
  /** Units of `offerId` that `buyerId` holds, bought or waits for (per-buyer limits count them). */
  units(offerId: string, buyerId: string): number;
  /** Changes a buyer's units of an offer by `delta`. */
  addUnits(offerId: string, buyerId: string, delta: number): void;
  /**
   * Spends an offer-token id, remembered until `expiresAtMs`; false when it was already spent, so
   * a token reserves exactly once and never without its hold.
   */
  spendTokenId(jti: string, expiresAtMs: number): boolean;
  /** Appends an event; `data` is serialized now, so later changes to the copies do not alter it. */
  emit<T extends EventType>(tenantId: string, type: T, subject: string, data: EventData<T>): void;
  /** Schedules `job` at `at` (epoch ms) when the transaction commits. */
  schedule(at: number, job: Job): void;
}

/** The transaction seam: runs a transition atomically and commits its records, events and jobs together. */
export interface TransactionStore {
  /** Runs `transition` atomically; resolves to its result once committed, or rejects with what it threw, having changed nothing. */
  transact<R>(transition: (tx: Transaction) => R): Promise<R>;
}
