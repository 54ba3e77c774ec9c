/** A token bucket: holds `limit` tokens and regains `limit / windowSeconds` of them per second. */
export interface BucketPolicy {
  readonly kind: 'bucket';
  readonly limit: number;
  readonly windowSeconds: number;
}

/** A sliding window: at most `max` takes within the last `windowSeconds`; a take can be handed back. */
export interface WindowPolicy {
  readonly kind: 'window';
  readonly max: number;
  readonly windowSeconds: number;
}

/** The policy a key is counted with. A key is used with one policy kind only. */
export type RateLimitStorePolicy = BucketPolicy | WindowPolicy;

/** The state of one key right after a take. */
export interface RateLimitTake {
  /** Whether a unit was taken; when false nothing was. */
  readonly admitted: boolean;
  /** Whole units left now (the `r` of the `RateLimit` field). */
  readonly remaining: number;
  /** Milliseconds until the key is whole again: a bucket full, a window empty (`t`). */
  readonly resetMs: number;
  /** Milliseconds until a take could succeed (0 when one could now); the `Retry-After` of a refusal. */
  readonly retryAfterMs: number;
}

/**
 * Where rate-limit counters live: token buckets and sliding windows by key, on the `now` the
 * caller passes (the server's clock, so moving it refills buckets). Async so memory and Redis
 * implement the same interface; `take` is atomic per key. A key at rest (a full bucket, an empty
 * window) behaves exactly like an unknown one, so a store may forget it.
 */
export interface RateLimitStore {
  /** Takes one unit of `key` under `policy` if there is one, and reads what is left. */
  take(key: string, policy: RateLimitStorePolicy, now: number): Promise<RateLimitTake>;
  /** Hands back the window slot `key` took at `at` (its request ended up using nothing). */
  giveBack(key: string, at: number): Promise<void>;
  /** Forgets keys at rest; answers how many. */
  sweep(now: number): Promise<number>;
  /** Forgets every key: every bucket starts full, every window empty. */
  clear(): Promise<void>;
}
