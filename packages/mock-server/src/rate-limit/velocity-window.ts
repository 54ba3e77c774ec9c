import type { VelocityPolicy } from './config';

/**
 * The times at which one buyer was issued offer tokens, within a sliding window. A slot is taken
 * before the token is signed (so concurrent requests cannot all slip past the count) and handed
 * back if the request ends up issuing nothing.
 */
export class VelocityWindow {
  readonly #windowMs: number;
  readonly #max: number;
  /** Issue times, oldest first. */
  readonly #times: number[] = [];

  constructor(policy: VelocityPolicy) {
    this.#windowMs = policy.windowSeconds * 1000;
    this.#max = policy.maxTokens;
  }

  #forget(now: number): void {
    let drop = 0;
    while (drop < this.#times.length && this.#times[drop]! + this.#windowMs <= now) drop++;
    if (drop > 0) this.#times.splice(0, drop);
  }

  /** Takes a slot at `now`; false (nothing taken) when the window is full. */
  take(now: number): boolean {
    this.#forget(now);
    if (this.#times.length >= this.#max) return false;
    this.#times.push(now);
    return true;
  }

  /** Hands back the slot taken at `at` (the request issued no token). */
  giveBack(at: number): void {
    const index = this.#times.lastIndexOf(at);
    if (index >= 0) this.#times.splice(index, 1);
  }

  /** Slots left now. */
  remaining(now: number): number {
    this.#forget(now);
    return Math.max(0, this.#max - this.#times.length);
  }

  /** Milliseconds until the oldest slot leaves the window (0 when the window is empty). */
  msUntilNext(now: number): number {
    this.#forget(now);
    const oldest = this.#times[0];
    return oldest === undefined ? 0 : oldest + this.#windowMs - now;
  }

  /** Milliseconds until every slot has left the window. */
  msUntilEmpty(now: number): number {
    this.#forget(now);
    const newest = this.#times.at(-1);
    return newest === undefined ? 0 : newest + this.#windowMs - now;
  }

  /** True when nothing is left in the window, so the window can be forgotten. */
  isEmpty(now: number): boolean {
    this.#forget(now);
    return this.#times.length === 0;
  }
}
