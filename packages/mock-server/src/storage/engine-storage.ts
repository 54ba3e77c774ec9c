import type { ControlStateStore } from './control-state';
import type { IdempotencyStore } from './idempotency-store';
import type { RateLimitStore } from './rate-limit-store';

/**
 * The storage seams of the request pipeline. Each defaults to an in-memory store owned by the
 * server; give several servers the same stores to make them behave as one deployment.
 * @example
 * const storage = { idempotency: createMemoryIdempotencyStore(), control: createMemoryControlState() };
 * const a = createReferenceServer({ storage });
 * const b = createReferenceServer({ storage });
 */
export interface EngineStorage {
  /** Idempotency keys: in-flight leases and stored responses. @default createMemoryIdempotencyStore() */
  idempotency?: IdempotencyStore;
  /** Rate-limit buckets and velocity windows. @default createMemoryRateLimitStore() */
  rateLimits?: RateLimitStore;
  /** Clock offset, faults and reset epoch set through the control API. @default createMemoryControlState() */
  control?: ControlStateStore;
}
