import type { JournalRecord, JournalSnapshot, JournalStore } from '../journal-store';

const DONE: Promise<void> = Promise.resolve();

/** A fixed array used as a ring: appending writes one slot and allocates nothing. */
class MemoryJournalStore implements JournalStore {
  readonly size: number;
  #ring: (JournalRecord | undefined)[];
  /** Records appended since the last clear (the last one's `seq`). */
  #appended = 0;

  constructor(size: number) {
    this.size = size;
    this.#ring = new Array<JournalRecord | undefined>(size);
  }

  append(record: JournalRecord): Promise<void> {
    record.seq = ++this.#appended;
    this.#ring[(record.seq - 1) % this.size] = record;
    return DONE;
  }

  async read(): Promise<JournalSnapshot> {
    const kept = Math.min(this.#appended, this.size);
    const first = this.#appended - kept;
    const records: JournalRecord[] = [];
    for (let seq = first + 1; seq <= this.#appended; seq++) records.push(this.#ring[(seq - 1) % this.size]!);
    return { records, evicted: first };
  }

  async clear(): Promise<void> {
    this.#ring = new Array<JournalRecord | undefined>(this.size);
    this.#appended = 0;
  }
}

/**
 * The request journal in this process's memory: a ring of the newest `size` records.
 * @param size how many records to keep (a positive integer)
 * @example
 * const server = createReferenceServer({ journal: { store: createMemoryJournalStore(5000) } });
 */
export function createMemoryJournalStore(size: number): JournalStore {
  return new MemoryJournalStore(size);
}
