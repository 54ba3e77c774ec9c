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

/** The last event retention dropped from a log: where the audit walk of what is kept starts. */
export interface LogCheckpoint {
  readonly seq: number;
  readonly hash: string;
}

/** Kept-array slots dropped before the array is compacted (so a trim is O(1) amortized). */
const COMPACT_AFTER = 1024;

/**
 * One tenant's append-only, hash-chained event log, in memory: the memory storage's log. Reading
 * from a cursor is O(page) because `seq` indexes the array; followers wait on {@link changed}.
 * Retention may drop its oldest events ({@link trim}); it then keeps the last dropped event's
 * `(seq, hash)` as its checkpoint, the link the first kept event's `prevhash` points to.
 */
export class EventLog {
  /** Kept events in `seq` order, after `#start` dropped slots. */
  #events: (LiveDropEvent | undefined)[] = [];
  #serialized: (string | undefined)[] = [];
  /** Index of the first kept event in the arrays. */
  #start = 0;
  #checkpoint: LogCheckpoint | null = null;
  readonly #hash: HashFn;
  readonly #source: string;
  #closed = false;
  #wake: { promise: Promise<void>; resolve: () => void } | undefined;

  /**
   * @param options.checkpoint where a log that starts part-way begins (a shared store's log whose
   * oldest events retention dropped): its first event links to this `(seq, hash)`.
   */
  constructor(options: { hash: HashFn; source: string; checkpoint?: LogCheckpoint | null }) {
    this.#hash = options.hash;
    this.#source = options.source;
    this.#checkpoint = options.checkpoint ?? null;
  }

  /** The `seq` of the last dropped event (0 when nothing was). */
  get #dropped(): number {
    return this.#checkpoint?.seq ?? 0;
  }

  /** The array index of the first event with `seq > after` (clamped to the kept ones). */
  #indexAfter(after: number): number {
    return this.#start + Math.max(0, after - this.#dropped);
  }

  /**
   * Appends one event whose `data` is already serialized (`dataJson`), stamped `time`. The event
   * carries a copy parsed from that text; the hash input and the stored text reuse the same text.
   * A shared store passes the `id` its commit assigned, so every instance builds the same event.
   */
  append<T extends EventType>(
    type: T,
    subject: string,
    dataJson: string,
    time: string,
    id: string = newId('event'),
  ): LiveDropEvent {
    const seq = this.headSeq + 1;
    const head = {
      specversion: '1.0' as const,
      id,
      source: this.#source,
      type,
      time,
      subject,
      datacontenttype: 'application/json' as const,
      seq,
      prevhash: this.#events.at(-1)?.hash ?? this.#checkpoint?.hash ?? GENESIS_HASH,
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
    return this.#dropped + this.#events.length - this.#start;
  }

  /** The last event retention dropped, or null while the log is whole. */
  get checkpoint(): LogCheckpoint | null {
    return this.#checkpoint;
  }

  /**
   * Events with `seq > after`, at most `limit`, optionally only of `types`. A cursor before the
   * checkpoint reads from the first kept event.
   */
  page(
    after: number,
    limit: number,
    types?: ReadonlySet<string>,
  ): { data: LiveDropEvent[]; hasMore: boolean; nextAfter: number } {
    const data: LiveDropEvent[] = [];
    let index = this.#indexAfter(after);
    while (index < this.#events.length && data.length < limit) {
      const event = this.#events[index++]!;
      if (!types || types.has(event.type)) data.push(event);
    }
    // With a type filter the cursor moves past what was scanned, so the next page never rescans.
    return {
      data,
      hasMore: index < this.#events.length,
      nextAfter: Math.max(after, this.#dropped + index - this.#start),
    };
  }

  /** Up to `limit` events with `seq > after`, with their serialized text. */
  read(after: number, limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (let index = this.#indexAfter(after); index < this.#events.length && out.length < limit; index++) {
      out.push({ event: this.#events[index]!, text: this.#serialized[index]! });
    }
    return out;
  }

  /** The serialized form of the event at `seq` (serialized once, at append); undefined once dropped. */
  serializedAt(seq: number): string | undefined {
    return seq > this.#dropped ? this.#serialized[this.#indexAfter(seq - 1)] : undefined;
  }

  /**
   * Drops the events with `seq <= throughSeq` (retention), keeping the last one's `(seq, hash)` as
   * the checkpoint. Answers how many were dropped.
   */
  trim(throughSeq: number): number {
    const count = Math.min(throughSeq, this.headSeq) - this.#dropped;
    if (count <= 0) return 0;
    const last = this.#events[this.#start + count - 1]!;
    this.#checkpoint = { seq: last.seq, hash: last.hash };
    this.#events.fill(undefined, this.#start, this.#start + count);
    this.#serialized.fill(undefined, this.#start, this.#start + count);
    this.#start += count;
    if (this.#start >= COMPACT_AFTER && this.#start * 2 >= this.#events.length) {
      this.#events = this.#events.slice(this.#start);
      this.#serialized = this.#serialized.slice(this.#start);
      this.#start = 0;
    }
    return count;
  }

  /** Walks the chain from the checkpoint (or the first event), recomputing every hash and link. */
  verify(): AuditVerification {
    let prev = this.#checkpoint?.hash ?? GENESIS_HASH;
    const checkpoint = this.#checkpoint && { seq: this.#checkpoint.seq, hash: this.#checkpoint.hash };
    for (let index = this.#start; index < this.#events.length; index++) {
      const event = this.#events[index]!;
      const { hash, ...rest } = event;
      if (event.prevhash !== prev || this.#hash(canonicalEvent(rest)) !== hash) {
        return {
          object: 'audit_verification',
          valid: false,
          eventsChecked: event.seq - this.#dropped,
          headSeq: this.headSeq,
          headHash: prev,
          firstInvalidSeq: event.seq,
          checkpoint,
        };
      }
      prev = hash;
    }
    return {
      object: 'audit_verification',
      valid: true,
      eventsChecked: this.#events.length - this.#start,
      headSeq: this.headSeq,
      headHash: prev,
      firstInvalidSeq: null,
      checkpoint,
    };
  }

  /** For tests of the audit walk: lets a test tamper with a kept event (the array is a copy, its events are not). */
  unsafeEventsForTesting(): LiveDropEvent[] {
    return this.#events.slice(this.#start) as LiveDropEvent[];
  }
}

/** Events handed to a follower per batch. */
const FOLLOW_BATCH = 512;

/**
 * Every event of `log` with `seq > after`, in order, as batches as they are appended; ends when
 * `signal` aborts or the log is closed (a reset replaced it). What every storage's `tail` answers.
 */
export async function* followLog(
  log: EventLog,
  after: number,
  signal?: AbortSignal,
): AsyncIterable<readonly StoredEvent[]> {
  let cursor = after;
  const aborted = signal
    ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
    : undefined;
  while (!signal?.aborted && !log.closed) {
    const batch = log.read(cursor, FOLLOW_BATCH);
    if (batch.length > 0) {
      cursor = batch[batch.length - 1]!.event.seq;
      yield batch;
      continue;
    }
    await (aborted ? Promise.race([log.changed(), aborted]) : log.changed());
  }
}
