import type { AuditVerification, EventType, LiveDropEvent } from '@livedrop/core';

/** An event as the log keeps it: the object, and its JSON text, serialized once at append. */
export interface StoredEvent {
  readonly event: LiveDropEvent;
  /** Exactly `JSON.stringify(event)`, what streams, webhooks and exports send. */
  readonly text: string;
}

/** A page of one tenant's log read from a cursor. */
export interface EventLogPage {
  readonly data: LiveDropEvent[];
  readonly hasMore: boolean;
  /** The cursor of the next page: past everything this page scanned (filtered or not). */
  readonly nextAfter: number;
}

/**
 * The event-log seam: each tenant's append-only, hash-chained CloudEvents log. Events are
 * appended only by committing a transaction (with the change they describe), so this interface
 * reads; `tail` is how streams, webhooks and dashboards follow the log.
 */
export interface EventLogStore {
  /** The last `seq` of the tenant's log (0 when empty). */
  head(tenantId: string): Promise<number>;
  /** Events with `seq > after`, at most `limit`, optionally only of `types`. */
  page(tenantId: string, after: number, limit: number, types?: ReadonlySet<EventType>): Promise<EventLogPage>;
  /** Up to `limit` events with `seq > after`, with their text. */
  read(tenantId: string, after: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Every event with `seq > after`, in order, as batches as they are appended; ends when `signal`
   * aborts or the log is replaced by a reset (a consumer then starts over from the new log).
   */
  tail(tenantId: string, after: number, signal?: AbortSignal): AsyncIterable<readonly StoredEvent[]>;
  /** Walks the chain from the checkpoint (or the first event), recomputing every hash and link. */
  verify(tenantId: string): Promise<AuditVerification>;
  /**
   * Retention: drops the tenant's events with `seq <= throughSeq` and keeps the last one's `seq`
   * and `hash` as the log's checkpoint, from which {@link verify} walks. Reads from a cursor before
   * the checkpoint start at the first kept event. Answers how many events were dropped.
   */
  trim(tenantId: string, throughSeq: number): Promise<number>;
  /** The `seq` of the last event {@link trim} dropped (0 while the log is whole). */
  trimmedThrough(tenantId: string): Promise<number>;
}
