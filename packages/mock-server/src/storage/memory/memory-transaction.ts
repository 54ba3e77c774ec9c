import type { EventType } from '@livedrop/core';
import type { EventData } from '../../event-log';
import { buyerUnitsKey, type CollectionName, type Collections, type Store } from '../../store';
import type { Job } from '../scheduler';
import type { Transaction } from '../transaction';
import { copyRecord } from './copy-record';

/** A record a transaction wrote (or deleted, when `record` is undefined). */
export interface Write {
  readonly collection: CollectionName;
  readonly id: string;
  record: unknown;
}

/** An event a transaction appends, its data already serialized. */
export interface PendingEvent {
  readonly tenantId: string;
  readonly type: EventType;
  readonly subject: string;
  readonly dataJson: string;
}

/**
 * A transaction over the in-memory records: reads copy committed records on first use, writes go
 * to the copies, and {@link MemoryStorage.commit} applies them all at once.
 */
export class MemoryTransaction implements Transaction {
  readonly now: number;
  readonly #store: Store;
  /** Records read or written, by `collection id`. */
  readonly writes = new Map<string, Write>();
  /** Changes of buyers' units, by `offerId buyerId`. */
  readonly unitChanges = new Map<string, number>();
  /** Token ids spent, with when to forget them. */
  readonly spent = new Map<string, number>();
  readonly events: PendingEvent[] = [];
  readonly jobs: { readonly at: number; readonly job: Job }[] = [];

  constructor(store: Store, now: number) {
    this.#store = store;
    this.now = now;
  }

  get<C extends CollectionName>(collection: C, id: string): Collections[C] | undefined {
    const key = `${collection} ${id}`;
    const write = this.writes.get(key);
    if (write) return write.record as Collections[C] | undefined;
    const committed = this.#store.collection(collection).get(id);
    if (committed === undefined) return undefined;
    const copy = copyRecord(committed);
    this.writes.set(key, { collection, id, record: copy });
    return copy;
  }

  put<C extends CollectionName>(collection: C, id: string, record: Collections[C]): void {
    this.writes.set(`${collection} ${id}`, { collection, id, record });
  }

  delete(collection: CollectionName, id: string): void {
    this.writes.set(`${collection} ${id}`, { collection, id, record: undefined });
  }

  units(offerId: string, buyerId: string): number {
    const key = buyerUnitsKey(offerId, buyerId);
    return (this.#store.buyerUnits.get(key) ?? 0) + (this.unitChanges.get(key) ?? 0);
  }

  addUnits(offerId: string, buyerId: string, delta: number): void {
    const key = buyerUnitsKey(offerId, buyerId);
    this.unitChanges.set(key, (this.unitChanges.get(key) ?? 0) + delta);
  }

  spendTokenId(jti: string, forgetAtMs: number): boolean {
    if (this.#store.spentTokenIds.has(jti) || this.spent.has(jti)) return false;
    this.spent.set(jti, forgetAtMs);
    return true;
  }

  emit<T extends EventType>(tenantId: string, type: T, subject: string, data: EventData<T>): void {
    this.events.push({ tenantId, type, subject, dataJson: JSON.stringify(data) });
  }

  schedule(at: number, job: Job): void {
    this.jobs.push({ at, job });
  }
}
