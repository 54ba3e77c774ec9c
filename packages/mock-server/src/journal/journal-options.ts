import type { JournalStore } from '../storage/journal-store';
import { createMemoryJournalStore } from '../storage/memory/memory-journal-store';

/** How many requests the journal keeps by default. */
export const DEFAULT_JOURNAL_SIZE = 1000;

/** The request journal's options (the `journal` engine option). */
export interface JournalOptions {
  /**
   * How many requests to keep: the newest `size`, older ones pushed out (a positive integer up to
   * 1,000,000). Ignored when `store` is given (the store has its own bound).
   * @default 1000
   */
  size?: number;
  /** Where to keep them. @default a {@link createMemoryJournalStore} of `size` */
  store?: JournalStore;
}

/**
 * The journal store for the `journal` option; null when it is `false` (nothing is journaled). With
 * `shared` (a storage's own journal, such as Redis's), the journal lives there unless `store` says otherwise.
 * @throws TypeError when `size` is not a positive integer up to 1,000,000
 */
export function journalStoreOf(
  options: JournalOptions | false | undefined,
  shared?: (size: number) => JournalStore,
): JournalStore | null {
  if (options === false) return null;
  if (options?.store) return options.store;
  const size = options?.size ?? DEFAULT_JOURNAL_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000)
    throw new TypeError(
      `journal.size must be an integer from 1 to 1000000 (got ${size}); pass false to turn the journal off.`,
    );
  return shared ? shared(size) : createMemoryJournalStore(size);
}
