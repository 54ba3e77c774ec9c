import type { Store } from '../store';
import type { EventLogStore } from './event-log-store';
import type { Scheduler } from './scheduler';
import type { TransactionStore } from './transaction';

/**
 * Everything the engine keeps, behind its seams: the records, the transactions that change them,
 * the event logs, the scheduler, and (see the pipeline) idempotency, rate limits and the shared
 * control state. One object, so a reader can list the whole state of a server from here; the
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
  /** Forgets every record, event and job; logs followed by `tail` end. */
  reset(): Promise<void>;
}
