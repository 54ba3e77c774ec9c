import type { ClaimedJob, Job, Scheduler } from '../scheduler';

interface Entry {
  readonly id: string;
  readonly at: number;
  readonly order: number;
  readonly job: Job;
}

/**
 * The in-memory scheduler: due jobs in a binary min-heap (O(log n) to schedule and to claim however
 * many are pending), ties in scheduling order, and the claimed ones in a lease table until they
 * are completed or their lease lapses.
 */
export class MemoryScheduler implements Scheduler {
  readonly #heap: Entry[] = [];
  readonly #leased = new Map<string, { readonly entry: Entry; readonly claim: ClaimedJob }>();
  #order = 0;

  schedule(at: number, job: Job): Promise<void> {
    this.scheduleNow(at, job);
    return Promise.resolve();
  }

  /** {@link schedule}, synchronously: how a committing transaction schedules its jobs. */
  scheduleNow(at: number, job: Job): void {
    const order = this.#order++;
    this.#push({ id: `job_${order}`, at, order, job });
  }

  claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    return Promise.resolve(this.claimDueNow(now, leaseMs, limit));
  }

  /** {@link claimDue}, synchronously. */
  claimDueNow(now: number, leaseMs: number, limit: number): ClaimedJob[] {
    if (this.#leased.size > 0) {
      for (const [id, { entry, claim }] of this.#leased) {
        if (claim.leaseUntil > now) continue;
        this.#leased.delete(id);
        this.#push(entry);
      }
    }
    const claimed: ClaimedJob[] = [];
    while (claimed.length < limit && this.#heap.length > 0 && this.#heap[0]!.at <= now) {
      const entry = this.#pop();
      const claim: ClaimedJob = { id: entry.id, at: entry.at, job: entry.job, leaseUntil: now + leaseMs };
      this.#leased.set(entry.id, { entry, claim });
      claimed.push(claim);
    }
    return claimed;
  }

  complete(claim: ClaimedJob): Promise<void> {
    this.#leased.delete(claim.id);
    return Promise.resolve();
  }

  size(): Promise<number> {
    return Promise.resolve(this.#heap.length + this.#leased.size);
  }

  /** The earliest due time, or undefined when nothing is scheduled. */
  get nextDueAt(): number | undefined {
    return this.#heap[0]?.at;
  }

  clear(): void {
    this.#heap.length = 0;
    this.#leased.clear();
  }

  #push(entry: Entry): void {
    this.#heap.push(entry);
    this.#up(this.#heap.length - 1);
  }

  #pop(): Entry {
    const top = this.#heap[0]!;
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  #swap(a: number, b: number): void {
    const tmp = this.#heap[a]!;
    this.#heap[a] = this.#heap[b]!;
    this.#heap[b] = tmp;
  }

  #up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#less(index, parent)) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #down(index: number): void {
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.#heap.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#heap.length && this.#less(right, smallest)) smallest = right;
      if (smallest === index) return;
      this.#swap(index, smallest);
      index = smallest;
    }
  }
}
