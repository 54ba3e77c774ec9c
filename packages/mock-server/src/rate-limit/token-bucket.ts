import type { RateLimitPolicy } from './config';

/**
 * A token bucket on the server's clock: it holds up to `limit` tokens, regains them continuously at
 * `limit / windowSeconds` per second, and admits a request by spending one. Refill is computed
 * from the time elapsed, so no timer runs and moving the clock refills it.
 *
 * The level is kept in integer units so that no rounding drifts: a token is `windowMs` units and
 * every millisecond adds `limit` units (the clock reads whole milliseconds).
 */
export class TokenBucket {
  readonly #unitsPerToken: number;
  readonly #unitsPerMs: number;
  readonly #capacity: number;
  #units: number;
  #updatedAt: number;

  constructor(policy: RateLimitPolicy, now: number) {
    this.#unitsPerToken = policy.windowSeconds * 1000;
    this.#unitsPerMs = policy.limit;
    this.#capacity = policy.limit * this.#unitsPerToken;
    this.#units = this.#capacity;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    // A clock set backwards must not drain the bucket.
    const elapsed = Math.max(0, Math.floor(now - this.#updatedAt));
    this.#units = Math.min(this.#capacity, this.#units + elapsed * this.#unitsPerMs);
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }

  /** Spends one token if there is one; false (and nothing spent) when the bucket is empty. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#units < this.#unitsPerToken) return false;
    this.#units -= this.#unitsPerToken;
    return true;
  }

  /** Whole tokens left now (the `r` of the `RateLimit` field). */
  remaining(now: number): number {
    this.#refill(now);
    return Math.floor(this.#units / this.#unitsPerToken);
  }

  /** Milliseconds until one more token is available (0 when one is). */
  msUntilNext(now: number): number {
    this.#refill(now);
    return Math.max(0, Math.ceil((this.#unitsPerToken - this.#units) / this.#unitsPerMs));
  }

  /** Milliseconds until the bucket is full again (0 when it is). */
  msUntilFull(now: number): number {
    this.#refill(now);
    return Math.ceil((this.#capacity - this.#units) / this.#unitsPerMs);
  }
}
