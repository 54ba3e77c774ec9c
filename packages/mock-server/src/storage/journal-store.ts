import type { ApiKeyRole } from '@livedrop/core';

/**
 * One journaled request as the server keeps it: plain data (a shared store can serialize it), filled
 * in as the pipeline runs and appended once the response's head is known. Never holds a secret: no
 * `Authorization` or buyer-session value (only whether one was sent), no body (only its digest and
 * size), and a query with its secrets already redacted.
 */
export interface JournalRecord {
  /** Set by the store on append: 1, 2, 3… since the last clear, gap-free. */
  seq: number;
  requestId: string;
  /** Arrival, by the server's clock (ms since the epoch). */
  time: number;
  method: string;
  path: string;
  /** The query string (`''` or `?…`), secrets redacted. */
  search: string;
  /** The route matched; null when none did. */
  operation: string | null;
  contentType: string | null;
  idempotencyKey: string | null;
  ifMatch: string | null;
  ifNoneMatch: string | null;
  lastEventId: string | null;
  /** Whether an `Authorization` header was sent (its value is never kept). */
  authorization: boolean;
  /** Whether a `LiveDrop-Buyer-Session` header was sent (its value is never kept). */
  buyerSession: boolean;
  /** Bytes of body read; -1 when none was read. */
  bodySize: number;
  /** SHA-256 (hex) of the body read; null when none was read. */
  bodySha256: string | null;
  status: number;
  code: string | null;
  role: ApiKeyRole | null;
  replayed: boolean;
  /** Injected latency slept, in ms (0: none). */
  latencyMs: number;
  /** The phase of an injected failure (an error status or a broken connection), or null. */
  faultError: 'before' | 'after' | null;
  /** An injected broken connection (status 0: no response was sent), or null. */
  faultConnection: 'reset' | 'hang' | null;
  /** Wall-clock (monotonic) milliseconds from arrival to the response's head. */
  durationMs: number;
}

/** What a journal holds now: its records, oldest first, and how many its bound pushed out. */
export interface JournalSnapshot {
  readonly records: readonly JournalRecord[];
  /** Records dropped to keep the bound, since the last clear. */
  readonly evicted: number;
}

/**
 * Where the request journal lives: a bounded ring of the newest {@link JournalStore.size} records.
 * Async-shaped like every storage seam, so a store shared by several instances (Redis: a capped
 * list and a counter) implements the same interface as the memory ring.
 */
export interface JournalStore {
  /** How many records the ring keeps. */
  readonly size: number;
  /** Appends `record`, giving it the next `seq`; the oldest record goes when the ring is full. */
  append(record: JournalRecord): Promise<void>;
  /** The records kept, oldest first. */
  read(): Promise<JournalSnapshot>;
  /** Forgets every record and restarts `seq` at 1 (the control API's reset). */
  clear(): Promise<void>;
}
