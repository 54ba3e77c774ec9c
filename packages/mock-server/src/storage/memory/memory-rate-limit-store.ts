import { TokenBucket } from '../../rate-limit/token-bucket';
import { VelocityWindow } from '../../rate-limit/velocity-window';
import type { RateLimitStore, RateLimitStorePolicy, RateLimitTake } from '../rate-limit-store';

/** Options of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** How often (on the `now` callers pass) a take also forgets keys at rest. @default 60 000 */
  sweepIntervalMs?: number;
}

class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #windows = new Map<string, VelocityWindow>();
  readonly #sweepIntervalMs: number;
  #nextSweep = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryRateLimitStoreOptions) {
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  async take(key: string, policy: RateLimitStorePolicy, now: number): Promise<RateLimitTake> {
    if (now >= this.#nextSweep) this.#sweepNow(now);
    if (policy.kind === 'bucket') {
      let bucket = this.#buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(policy, now);
        this.#buckets.set(key, bucket);
      }
      const admitted = bucket.take(now);
      return {
        admitted,
        remaining: bucket.remaining(now),
        resetMs: bucket.msUntilFull(now),
        retryAfterMs: admitted ? 0 : bucket.msUntilNext(now),
      };
    }
    let window = this.#windows.get(key);
    if (!window) {
      window = new VelocityWindow({ maxTokens: policy.max, windowSeconds: policy.windowSeconds });
      this.#windows.set(key, window);
    }
    const admitted = window.take(now);
    return {
      admitted,
      remaining: window.remaining(now),
      resetMs: window.msUntilEmpty(now),
      retryAfterMs: admitted ? 0 : window.msUntilNext(now),
    };
  }

  async giveBack(key: string, at: number): Promise<void> {
    this.#windows.get(key)?.giveBack(at);
  }

  async sweep(now: number): Promise<number> {
    return this.#sweepNow(now);
  }

  async clear(): Promise<void> {
    this.#buckets.clear();
    this.#windows.clear();
  }

  #sweepNow(now: number): number {
    this.#nextSweep = now + this.#sweepIntervalMs;
    let forgotten = 0;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.msUntilFull(now) !== 0) continue;
      this.#buckets.delete(key);
      forgotten++;
    }
    for (const [key, window] of this.#windows) {
      if (!window.isEmpty(now)) continue;
      this.#windows.delete(key);
      forgotten++;
    }
    return forgotten;
  }
}

/**
 * A rate-limit store in this process's memory: the default of a single server; pass the same
 * store to several servers in one process to share their counters.
 * @example
 * const rateLimits = createMemoryRateLimitStore();
 * const server = createReferenceServer({ storage: (context) => new MemoryStorage({ ...context, rateLimits }) });
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  return new MemoryRateLimitStore(options);
}
