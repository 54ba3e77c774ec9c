import {
  type EVENT_DATA,
  GENESIS_HASH,
  type AuditVerification,
  type EventType,
  type LiveDropEvent,
} from '@livedrop/core';
import type * as z from 'zod/mini';
import { newId } from './ids';
import type { StoredEvent } from './storage/event-log-store';

/** The `data` of an event of type `T`. */
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

/** Hashes a string to lowercase hex SHA-256. */
export type HashFn = (text: string) => string;

/** The attributes the hash covers before `data`, in their fixed order. */
function headFields(event: Omit<LiveDropEvent, 'hash' | 'data'>): unknown[] {
  return [
    event.specversion,
    event.id,
    event.source,
    event.type,
    event.time,
    event.subject,
    event.datacontenttype,
    event.seq,
    event.prevhash,
  ];
}

/**
 * The canonical text an event's `hash` covers: every attribute but `hash`, in a fixed order, `data`
 * last. Anyone holding the log can recompute it.
 */
export function canonicalEvent(event: Omit<LiveDropEvent, 'hash'>): string {
  return JSON.stringify([...headFields(event), event.data]);
}

/**
 * One tenant's append-only, hash-chained event log, in memory: the memory storage's log. Reading
 * from a cursor is O(page) because `seq` indexes the array; followers wait on {@link changed}.
 */
export class EventLog {
  readonly #events: LiveDropEvent[] = [];
  readonly #serialized: string[] = [];
  readonly #hash: HashFn;
  readonly #source: string;
  #closed = false;
  #wake: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: { hash: HashFn; source: string }) {
    this.#hash = options.hash;
    this.#source = options.source;
  }

  /**
   * Appends one event whose `data` is already serialized (`dataJson`), stamped `time`. The event
   * carries a copy parsed from that text; the hash input and the stored text reuse the same text.
   */
  append<T extends EventType>(type: T, subject: string, dataJson: string, time: string): LiveDropEvent {
    const seq = this.#events.length + 1;
    const head = {
      specversion: '1.0' as const,
      id: newId('event'),
      source: this.#source,
      type,
      time,
      subject,
      datacontenttype: 'application/json' as const,
      seq,
      prevhash: this.#events.at(-1)?.hash ?? GENESIS_HASH,
    };
    // canonicalEvent's text, with the data spliced in as text rather than serialized again.
    const hash = this.#hash(`${JSON.stringify(headFields(head)).slice(0, -1)},${dataJson}]`);
    // JSON.stringify(event) for this key order: the head's fields, then data, then hash.
    const serialized = `${JSON.stringify(head).slice(0, -1)},"data":${dataJson},"hash":"${hash}"}`;
    const event = { ...head, data: JSON.parse(dataJson) as EventData<T>, hash } as LiveDropEvent;
    this.#events.push(event);
    this.#serialized.push(serialized);
    return event;
  }

  /** Wakes the followers waiting in {@link changed}; the storage calls it once per committed transaction. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.resolve();
  }

  /** Resolves at the next {@link notify} or {@link close}. */
  changed(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (!this.#wake) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#wake = { promise, resolve };
    }
    return this.#wake.promise;
  }

  /** Ends every follower: a reset replaced this log. */
  close(): void {
    this.#closed = true;
    this.notify();
  }

  /** True once a reset replaced this log. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The last `seq` written (0 for an empty log). */
  get headSeq(): number {
    return this.#events.length;
  }

  /** Events with `seq > after`, at most `limit`, optionally only of `types`. */
  page(
    after: number,
    limit: number,
    types?: ReadonlySet<string>,
  ): { data: LiveDropEvent[]; hasMore: boolean; nextAfter: number } {
    const data: LiveDropEvent[] = [];
    let index = Math.max(0, after);
    while (index < this.#events.length && data.length < limit) {
      const event = this.#events[index++]!;
      if (!types || types.has(event.type)) data.push(event);
    }
    // With a type filter the cursor moves past what was scanned, so the next page never rescans.
    return { data, hasMore: index < this.#events.length, nextAfter: index };
  }

  /** Up to `limit` events with `seq > after`, with their serialized text. */
  read(after: number, limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (let index = Math.max(0, after); index < this.#events.length && out.length < limit; index++) {
      out.push({ event: this.#events[index]!, text: this.#serialized[index]! });
    }
    return out;
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
        return {
          object: 'audit_verification',
          valid: false,
          eventsChecked: event.seq,
          headSeq: this.headSeq,
          headHash: prev,
          firstInvalidSeq: event.seq,
        };
      }
      prev = hash;
    }
    return {
      object: 'audit_verification',
      valid: true,
      eventsChecked: this.#events.length,
      headSeq: this.headSeq,
      headHash: prev,
      firstInvalidSeq: null,
    };
  }

  /** For tests of the audit walk: lets a test tamper with a stored event. */
  unsafeEventsForTesting(): LiveDropEvent[] {
    return this.#events;
  }
}
