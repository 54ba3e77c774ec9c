import type { EventType } from '@livedrop/core';
import { EventLog, type HashFn } from '../../event-log';
import type { CollectionName, Store } from '../../store';
import type { TenantKeyspace } from './redis-keys';
import { UNITS_COLLECTION } from './redis-transaction';

/** One write of a commit entry: the field, the version it got, and its new value (undefined: deleted). */
export interface EntryWrite {
  readonly field: string;
  readonly version: number;
  readonly value: unknown;
}

/** A commit entry of a tenant's stream, decoded: its writes and its events. */
export interface CommitEntry {
  /** The stream entry id (`ms-n`). */
  readonly id: string;
  /** The `seq` of its first event. */
  readonly seq0: number;
  /** Its events as `[id, type, subject, dataJson]`. */
  readonly events: readonly (readonly [string, EventType, string, string])[];
  readonly time: string;
  readonly writes: readonly EntryWrite[];
  /** When the earliest job the commit scheduled is due (epoch ms); undefined when it scheduled none. */
  readonly firstJobAt?: number;
}

/** Orders two stream entry ids (`ms-n`): negative, zero or positive. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aN] = a.split('-').map(Number) as [number, number];
  const [bMs, bN] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aN - bN;
}

/** Decodes a stream entry's flat field list (as XRANGE and XREAD answer it). */
export function decodeEntry(id: string, fields: readonly string[]): CommitEntry {
  let seq0 = 0;
  let events: CommitEntry['events'] = [];
  let time = '';
  let firstJobAt: number | undefined;
  const writes: EntryWrite[] = [];
  for (let index = 0; index < fields.length; index += 2) {
    const name = fields[index]!;
    const text = fields[index + 1]!;
    if (name === 's') seq0 = Number(text);
    else if (name === 'e') events = JSON.parse(text) as CommitEntry['events'];
    else if (name === 't') time = text;
    else if (name === 'j') firstJobAt = Number(text);
    else if (name.startsWith('w:')) {
      const colon = name.indexOf(':', 2);
      const field = name.slice(colon + 1);
      writes.push({ field, version: Number(name.slice(2, colon)), value: parseValue(field, text) });
    }
  }
  return firstJobAt === undefined ? { id, seq0, events, time, writes } : { id, seq0, events, time, writes, firstJobAt };
}

/** A stored field's value: a record's JSON, or a units total; `''` is a deleted field. */
export function parseValue(field: string, text: string): unknown {
  if (text === '') return undefined;
  return field.startsWith(`${UNITS_COLLECTION} `) ? Number(text) : JSON.parse(text);
}

/**
 * What one instance holds of one tenant: the keys, the position in the tenant's commit stream up to
 * which its replica is applied, the event log rebuilt from that stream (hash chain computed here,
 * in the stream's order), and the stream entry each `seq` range came from (for retention).
 */
export class TenantReplica {
  readonly tenantId: string;
  readonly keys: TenantKeyspace;
  /** The last stream entry applied (`0-0`: none). */
  cursor = '0-0';
  log: EventLog;
  /** Stream entries applied that hold events, oldest first: `[entryId, last seq]`, for trimming the stream. */
  readonly entries: [string, number][] = [];
  /** False until the snapshot was loaded: commits wait for it. */
  loaded = false;

  constructor(tenantId: string, keys: TenantKeyspace, hash: HashFn, source: string) {
    this.tenantId = tenantId;
    this.keys = keys;
    this.log = new EventLog({ hash, source });
  }

  /**
   * Applies a commit entry after the cursor (an earlier one is skipped: applied already): its
   * writes to `store` where newer than what the replica holds, its events to the log.
   */
  apply(entry: CommitEntry, store: Store, versions: Map<string, number>): boolean {
    if (compareEntryIds(entry.id, this.cursor) <= 0) return false;
    this.cursor = entry.id;
    for (const write of entry.writes) applyWrite(write, store, versions);
    let seq = entry.seq0;
    for (const [id, type, subject, dataJson] of entry.events) {
      if (seq > this.log.headSeq) {
        if (seq !== this.log.headSeq + 1)
          throw new Error(`The event log of ${this.tenantId} skipped from seq ${this.log.headSeq} to ${seq}.`);
        this.log.append(type, subject, dataJson, entry.time, id);
      }
      seq++;
    }
    if (entry.events.length > 0) {
      this.entries.push([entry.id, seq - 1]);
      this.log.notify();
    }
    return true;
  }
}

/** Applies one field's new value to the replica, unless the replica already holds that version or a later one. */
export function applyWrite(write: EntryWrite, store: Store, versions: Map<string, number>): void {
  if ((versions.get(write.field) ?? 0) >= write.version) return;
  versions.set(write.field, write.version);
  const space = write.field.indexOf(' ');
  const collection = write.field.slice(0, space);
  const id = write.field.slice(space + 1);
  const map =
    collection === UNITS_COLLECTION
      ? store.buyerUnits
      : (store.collection(collection as CollectionName) as Map<string, unknown>);
  if (write.value === undefined) map.delete(id);
  else (map as Map<string, unknown>).set(id, write.value);
}
