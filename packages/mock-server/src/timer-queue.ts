/** A job due at a point on the injected clock. */
interface Timer {
  readonly at: number;
  readonly order: number;
  /** Answers `false` when it found nothing left to do (a stale job), so it is not counted as run. */
  readonly run: () => unknown;
}

/**
 * Jobs scheduled on the injected clock (hold expiries, settlements, webhook retries), kept in a
 * binary min-heap so scheduling and running are O(log n) however many are pending. Jobs run in
 * due order, ties in scheduling order; each job re-checks its own state, so cancelling is unneeded.
 */
export class TimerQueue {
  readonly #heap: Timer[] = [];
  #order = 0;

  /** Runs `job` once the clock reaches `at` (epoch ms). */
  schedule(at: number, run: () => unknown): void {
    this.#heap.push({ at, order: this.#order++, run });
    this.#up(this.#heap.length - 1);
  }

  /** Runs every job due at or before `now`, in due order; returns how many did something. */
  runDue(now: number): number {
    let ran = 0;
    while (this.#heap.length > 0 && this.#heap[0]!.at <= now) {
      const timer = this.#pop();
      if (timer.run() !== false) ran++;
    }
    return ran;
  }

  /** Jobs still waiting. */
  get size(): number {
    return this.#heap.length;
  }

  clear(): void {
    this.#heap.length = 0;
  }

  #pop(): Timer {
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
