import type { EventType } from '@livedrop/core';
import type { EventData } from '../../event-log';
import { buyerUnitsKey, type CollectionName, type Collections, type Store } from '../../store';
import { copyRecord } from '../memory/copy-record';
import type { Job } from '../scheduler';
import type { Transaction } from '../transaction';

/** The replica field of buyers' units: `buyerUnits offerId buyerId`, versioned like a record. */
export const UNITS_COLLECTION = 'buyerUnits';

/** The field of a record in the tenant's hashes: `collection id`. */
export function fieldOf(collection: string, id: string): string {
  return `${collection} ${id}`;
}

/** What the transaction read of one field: the version it saw and, for a record, its JSON then. */
interface Read {
  readonly version: number;
  readonly original: string | undefined;
}

/** A record the transition holds: a working copy (undefined once deleted) and whether it was put or deleted. */
interface Held {
  readonly collection: CollectionName;
  readonly id: string;
  record: unknown;
  touched: boolean;
}

/** An event to append, with the id every instance will give it. */
export interface CommitEvent {
  readonly tenantId: string;
  readonly type: EventType;
  readonly subject: string;
  readonly dataJson: string;
}

/** One write the commit carries: a field and its new JSON (`''` deletes it). */
export interface CommitWrite {
  readonly field: string;
  readonly json: string;
  /** The value applied to the replica once committed (undefined deletes). */
  readonly value: unknown;
  /** The tenant the field belongs to (of the record, or of the offer whose units these are). */
  readonly tenantId: string | undefined;
}

/**
 * A transaction over an instance's replica of the records in Redis. Like the memory transaction it
 * reads copies and writes copies; besides, it remembers the version of every field it read (found
 * or not), so the commit script can refuse it when another instance changed one since, and the
 * transition runs again on fresh copies.
 */
export class RedisTransaction implements Transaction {
  readonly now: number;
  readonly #store: Store;
  readonly #versions: ReadonlyMap<string, number>;
  readonly #spentLocally: (jti: string, now: number) => boolean;
  /** Every field read, with the version seen. */
  readonly reads = new Map<string, Read>();
  readonly #held = new Map<string, Held>();
  readonly unitChanges = new Map<string, number>();
  /** Token ids spent, with when their tokens expire (epoch ms). */
  readonly spent = new Map<string, number>();
  readonly events: CommitEvent[] = [];
  readonly jobs: { readonly at: number; readonly job: Job }[] = [];

  constructor(
    store: Store,
    versions: ReadonlyMap<string, number>,
    now: number,
    spentLocally: (jti: string, now: number) => boolean,
  ) {
    this.#store = store;
    this.#versions = versions;
    this.now = now;
    this.#spentLocally = spentLocally;
  }

  #read(field: string, original: string | undefined): void {
    if (!this.reads.has(field)) this.reads.set(field, { version: this.#versions.get(field) ?? 0, original });
  }

  get<C extends CollectionName>(collection: C, id: string): Collections[C] | undefined {
    const field = fieldOf(collection, id);
    const held = this.#held.get(field);
    if (held) return held.record as Collections[C] | undefined;
    const committed = this.#store.collection(collection).get(id);
    this.#read(field, committed === undefined ? undefined : JSON.stringify(committed));
    const copy = committed === undefined ? undefined : copyRecord(committed);
    this.#held.set(field, { collection, id, record: copy, touched: false });
    return copy;
  }

  put<C extends CollectionName>(collection: C, id: string, record: Collections[C]): void {
    this.#held.set(fieldOf(collection, id), { collection, id, record, touched: true });
  }

  delete(collection: CollectionName, id: string): void {
    this.#held.set(fieldOf(collection, id), { collection, id, record: undefined, touched: true });
  }

  units(offerId: string, buyerId: string): number {
    const key = buyerUnitsKey(offerId, buyerId);
    this.#read(fieldOf(UNITS_COLLECTION, key), undefined);
    return (this.#store.buyerUnits.get(key) ?? 0) + (this.unitChanges.get(key) ?? 0);
  }

  addUnits(offerId: string, buyerId: string, delta: number): void {
    const key = buyerUnitsKey(offerId, buyerId);
    this.units(offerId, buyerId);
    this.unitChanges.set(key, (this.unitChanges.get(key) ?? 0) + delta);
  }

  spendTokenId(jti: string, expiresAtMs: number): boolean {
    if (this.spent.has(jti) || this.#spentLocally(jti, this.now)) return false;
    this.spent.set(jti, expiresAtMs);
    return true;
  }

  emit<T extends EventType>(tenantId: string, type: T, subject: string, data: EventData<T>): void {
    this.events.push({ tenantId, type, subject, dataJson: JSON.stringify(data) });
  }

  schedule(at: number, job: Job): void {
    this.jobs.push({ at, job });
  }

  /**
   * The writes to commit: records put or deleted, records read whose copy the transition changed
   * (told by their JSON), and units changed (as their new totals).
   */
  writes(): CommitWrite[] {
    const out: CommitWrite[] = [];
    for (const [field, held] of this.#held) {
      const json = held.record === undefined ? '' : JSON.stringify(held.record);
      if (!held.touched && json === (this.reads.get(field)?.original ?? '')) continue;
      const owner = (held.record ?? this.#store.collection(held.collection).get(held.id)) as
        | { tenantId?: string }
        | undefined;
      const tenantId = held.collection === 'tenants' ? held.id : owner?.tenantId;
      out.push({ field, json, value: held.record, tenantId });
    }
    for (const [key, delta] of this.unitChanges) {
      if (delta === 0) continue;
      const total = (this.#store.buyerUnits.get(key) ?? 0) + delta;
      const offerId = key.slice(0, key.indexOf(' '));
      const tenantId = (this.#held.get(fieldOf('offers', offerId))?.record as { tenantId?: string } | undefined)
        ?.tenantId;
      out.push({
        field: fieldOf(UNITS_COLLECTION, key),
        json: total > 0 ? String(total) : '',
        value: total > 0 ? total : undefined,
        tenantId: tenantId ?? this.#store.offers.get(offerId)?.tenantId,
      });
    }
    return out;
  }

  /**
   * The tenant every record written, event and job belongs to. A transaction changes one tenant
   * (its keys share one hash tag); undefined when it changes nothing.
   */
  tenantOf(writes: readonly CommitWrite[]): string | undefined {
    const tenants = new Set<string>();
    for (const { tenantId } of writes) if (tenantId !== undefined) tenants.add(tenantId);
    for (const { tenantId } of this.events) tenants.add(tenantId);
    for (const { job } of this.jobs) tenants.add(job.tenantId);
    if (tenants.size > 1) throw new Error(`A transaction changed several tenants (${[...tenants].join(', ')}).`);
    const [tenantId] = tenants;
    if (tenantId === undefined && (writes.length > 0 || this.spent.size > 0))
      throw new Error('A transaction wrote records or spent token ids of no tenant it could name.');
    return tenantId;
  }
}
