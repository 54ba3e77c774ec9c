import type { Store } from '../store';
import type { ControlStateStore } from './control-state';
import type { EventLogStore } from './event-log-store';
import type { TenantKeys } from '../engine';
import type { IdempotencyStore } from './idempotency-store';
import type { JournalStore } from './journal-store';
import type { RateLimitStore } from './rate-limit-store';
import type { Scheduler } from './scheduler';
import type { TransactionStore } from './transaction';

/** The keys instances on one shared store all use: the default tenant's and the control key. */
export interface SharedKeys {
  readonly keys: TenantKeys;
  readonly controlKey: string;
}

/**
 * Everything the engine keeps, behind its seams: the records, the transactions that change them,
 * the event logs, the scheduler, idempotency keys, rate-limit counters and the control state. One object, so a reader can list the whole state of a server from here; the
 * memory implementation is the embedded default ({@link MemoryStorage}), a shared store such as
 * Redis is another implementation of the same promise-returning interfaces.
 */
export interface Storage extends TransactionStore {
  /**
   * The committed records, read synchronously. Never change them: every change goes through
   * {@link TransactionStore.transact}.
   */
  readonly records: Store;
  readonly events: EventLogStore;
  readonly scheduler: Scheduler;
  /** Idempotency keys: in-flight leases with an owner, and stored responses. */
  readonly idempotency: IdempotencyStore;
  /** Rate-limit buckets and velocity windows. */
  readonly rateLimits: RateLimitStore;
  /** What the control API sets for every instance: clock offset, faults, reset epoch. */
  readonly control: ControlStateStore;
  /**
   * Forgets every record, event, job, idempotency key and rate-limit counter; logs followed by
   * `tail` end. The control state is reset on its own ({@link ControlStateStore.reset}).
   */
  reset(): Promise<void>;
  /**
   * Resolves once the storage can serve (a shared store has loaded what it keeps); the engine waits
   * for it before its first write. Absent: ready at once.
   */
  open?(): Promise<void>;
  /** Lets go of what the storage holds open (connections, followers). Absent: nothing to close. */
  close?(): Promise<void>;
  /**
   * For a store several instances share: makes `proposed` the default tenant's keys and the control
   * key unless another instance claimed them first, and answers what every instance then uses.
   * Absent: `proposed`.
   */
  claimDefaultTenant?(proposed: SharedKeys): Promise<SharedKeys>;
  /**
   * For a store several instances share: takes the lease `name` of `tenantId` for `ms`, answering
   * false while another instance holds it (one webhook attempt is sent by one instance). Absent:
   * one instance, nothing to share.
   */
  lease?(tenantId: string, name: string, ms: number): Promise<boolean>;
  /** A request journal kept in this storage, shared by its instances. Absent: the journal is in memory. */
  journal?(size: number): JournalStore;
}
