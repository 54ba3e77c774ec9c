import { EVENT_DATA, GENESIS_HASH, type AuditVerification, type EventType, type LiveDropEvent } from '@livedrop/core';
import type * as z from 'zod/mini';
import { isoTime, type Clock } from './clock';
import { newId } from './ids';

/** The `data` of an event of type `T`. */
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

/** Hashes a string to lowercase hex SHA-256. */
export type HashFn = (text: string) => string;

/** Called synchronously with each appended event. */
export type EventListener = (event: LiveDropEvent, serialized: string) => void;

/** The attributes the hash covers before `data`, in their fixed order. */
function headFields(event: Omit<LiveDropEvent, 'hash' | 'data'>): unknown[] {
  return [event.specversion, event.id, event.source, event.type, event.time, event.subject, event.datacontenttype, event.seq, event.prevhash];
}

/**
 * The canonical text an event's `hash` covers: every attribute but `hash`, in a fixed order, `data`
 * last. Anyone holding the log can recompute it.
 */
export function canonicalEvent(event: Omit<LiveDropEvent, 'hash'>): string {
  return JSON.stringify([...headFields(event), event.data]);
}

/**
 * One tenant's append-only, hash-chained event log. Appending is synchronous so it can sit inside
 * the ledger's critical section; reading from a cursor is O(page) because `seq` indexes the array.
 */
export class EventLog {
  readonly #events: LiveDropEvent[] = [];
  readonly #serialized: string[] = [];
  readonly #listeners = new Set<EventListener>();
  readonly #clock: Clock;
  readonly #hash: HashFn;
  readonly #source: string;

  constructor(options: { clock: Clock; hash: HashFn; source: string }) {
    this.#clock = options.clock;
    this.#hash = options.hash;
    this.#source = options.source;
  }

  /**
   * Appends one event and tells the listeners. `data` is serialized here, once, and the event
   * carries a copy parsed from that text, so callers may keep mutating their live objects without
   * breaking the hash chain; the hash input and the stored text reuse the same serialized data.
   */
  append<T extends EventType>(type: T, subject: string, data: EventData<T>): LiveDropEvent {
    const seq = this.#events.length + 1;
    const head = {
      specversion: '1.0' as const,
      id: newId('event'),
      source: this.#source,
      type,
      time: isoTime(this.#clock.now()),
      subject,
      datacontenttype: 'application/json' as const,
      seq,
      prevhash: this.#events.at(-1)?.hash ?? GENESIS_HASH,
    };
    const dataJson = JSON.stringify(data);
    // canonicalEvent's text, with the data spliced in as text rather than serialized again.
    const hash = this.#hash(`${JSON.stringify(headFields(head)).slice(0, -1)},${dataJson}]`);
    // JSON.stringify(event) for this key order: the head's fields, then data, then hash.
    const serialized = `${JSON.stringify(head).slice(0, -1)},"data":${dataJson},"hash":"${hash}"}`;
    const event = { ...head, data: JSON.parse(dataJson) as EventData<T>, hash } as LiveDropEvent;
    this.#events.push(event);
    this.#serialized.push(serialized);
    for (const listener of this.#listeners) listener(event, serialized);
    return event;
  }

  /** The last `seq` written (0 for an empty log). */
  get headSeq(): number {
    return this.#events.length;
  }

  /** Events with `seq > after`, at most `limit`, optionally only of `types`. */
  page(after: number, limit: number, types?: ReadonlySet<string>): { data: LiveDropEvent[]; hasMore: boolean; nextAfter: number } {
    const data: LiveDropEvent[] = [];
    let index = Math.max(0, after);
    while (index < this.#events.length && data.length < limit) {
      const event = this.#events[index++]!;
      if (!types || types.has(event.type)) data.push(event);
    }
    // With a type filter the cursor moves past what was scanned, so the next page never rescans.
    return { data, hasMore: index < this.#events.length, nextAfter: index };
  }

  /** The serialized form of the event at `seq` (serialized once, at append). */
  serializedAt(seq: number): string | undefined {
    return this.#serialized[seq - 1];
  }

  /** Walks the chain from the first event, recomputing every hash and link. */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    for (const event of this.#events) {
      const { hash, ...rest } = event;
      if (event.prevhash !== prev || this.#hash(canonicalEvent(rest)) !== hash) {
        return { object: 'audit_verification', valid: false, eventsChecked: event.seq, headSeq: this.headSeq, headHash: prev, firstInvalidSeq: event.seq };
      }
      prev = hash;
    }
    return { object: 'audit_verification', valid: true, eventsChecked: this.#events.length, headSeq: this.headSeq, headHash: prev, firstInvalidSeq: null };
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** For tests of the audit walk: lets a test tamper with a stored event. */
  unsafeEventsForTesting(): LiveDropEvent[] {
    return this.#events;
  }
}
