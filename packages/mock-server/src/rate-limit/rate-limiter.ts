import { ROUTES, type OperationId } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Clock } from '../clock';
import { ApiProblem } from '../problem';
import { headerOf, setHeaders, type ServerAnswer } from '../http/server-answer';
import type { RequestHead } from '../http/server-request';
import {
  resolveRateLimits,
  type BuyerRoute,
  type RateLimitOptions,
  type RateLimitPolicy,
  type ResolvedRateLimits,
} from './config';
import { rateLimitHeaders, secondsFrom, type PolicyName, type QuotaReading } from './headers';
import { TokenBucket } from './token-bucket';
import { VelocityWindow } from './velocity-window';

/** How often (on the server's clock) full buckets and empty windows are forgotten. */
const SWEEP_INTERVAL_MS = 60_000;

/** What the limiter recorded about one request while it ran. */
interface RequestRecord {
  readonly readings: QuotaReading[];
  /** The velocity slot the request took, handed back if it issues no token. */
  velocitySlot?: { readonly window: VelocityWindow; readonly at: number };
}

/**
 * The reference server's rate limits and bot controls: token buckets per API key and per buyer
 * (per route), and the velocity check on token issuance, all on the server's clock. The pipeline
 * calls {@link RateLimiter.admitKey} once the key is known and {@link RateLimiter.admitBody} once
 * the body is; the reservation handler calls {@link RateLimiter.admitBuyer} once the token's buyer
 * is known; {@link RateLimiter.finish} puts the header fields on the response. A refusal is a 429
 * thrown before anything changes.
 */
export class RateLimiter {
  readonly #clock: Clock;
  #limits: ResolvedRateLimits;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #velocity = new Map<string, VelocityWindow>();
  readonly #requests = new WeakMap<RequestHead, RequestRecord>();
  #nextSweep = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, options?: RateLimitOptions | false) {
    this.#clock = clock;
    this.#limits = resolveRateLimits(options);
  }

  /** The limits in force. */
  get limits(): ResolvedRateLimits {
    return this.#limits;
  }

  /** Replaces the limits (merged over the defaults) and forgets every bucket and window. */
  configure(options: RateLimitOptions | false | undefined): void {
    this.#limits = resolveRateLimits(options);
    this.reset();
  }

  /** Forgets every bucket and window: every key and buyer starts full. */
  reset(): void {
    this.#buckets.clear();
    this.#velocity.clear();
  }

  /**
   * Counts the request against its API key's bucket for `operationId`, if that route has one.
   * @throws ApiProblem 429 `rate_limited` when the bucket is empty
   */
  admitKey(request: RequestHead, operationId: OperationId, principal: Principal | null): void {
    const policy = this.#limits.perKey.get(operationId);
    if (!policy || !principal) return;
    this.#spend(request, 'per-key', `${operationId}\u0000${principal.keyId}`, policy, 'for this API key', operationId);
  }

  /**
   * Counts a token request against its buyer (`buyerId` in the body): the per-buyer bucket, then
   * the velocity check. Other routes name no buyer in their body and pass untouched.
   * @throws ApiProblem 429 `rate_limited` or `velocity_exceeded`
   */
  admitBody(request: RequestHead, operationId: OperationId, principal: Principal | null, body: unknown): void {
    if (operationId !== 'issueOfferToken' || !principal) return;
    const buyerId = (body as { buyerId: string }).buyerId;
    this.admitBuyer(request, operationId, principal, buyerId);
    this.#checkVelocity(request, principal, buyerId);
  }

  /**
   * Counts the request against `buyerId`'s bucket for `operationId`, if that route has one.
   * @throws ApiProblem 429 `rate_limited` when the bucket is empty
   */
  admitBuyer(request: RequestHead, operationId: BuyerRoute, principal: Principal, buyerId: string): void {
    const policy = this.#limits.perBuyer.get(operationId);
    if (!policy) return;
    this.#spend(
      request,
      'per-buyer',
      `${operationId}\u0000${principal.tenantId}\u0000${buyerId}`,
      policy,
      `for buyer ${buyerId}`,
      operationId,
    );
  }

  /**
   * Puts `RateLimit-Policy` and `RateLimit` on the response of a limited request, and hands back
   * the velocity slot of a token request that issued nothing (a 4xx, or an idempotent replay of a
   * token already counted). A 5xx keeps its slot: whether a token was issued is unknown.
   */
  finish(request: RequestHead, response: ServerAnswer): void {
    const record = this.#requests.get(request);
    if (!record) return;
    this.#requests.delete(request);
    const slot = record.velocitySlot;
    const issuedNothing =
      (response.status >= 400 && response.status < 500) || headerOf(response, 'idempotent-replayed') === 'true';
    if (slot && issuedNothing) slot.window.giveBack(slot.at);
    setHeaders(response, rateLimitHeaders(record.readings));
  }

  #record(request: RequestHead): RequestRecord {
    let record = this.#requests.get(request);
    if (!record) {
      record = { readings: [] };
      this.#requests.set(request, record);
    }
    return record;
  }

  #spend(
    request: RequestHead,
    name: PolicyName,
    key: string,
    policy: RateLimitPolicy,
    whose: string,
    operationId: OperationId,
  ): void {
    const now = this.#clock.now();
    this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(policy, now);
      this.#buckets.set(key, bucket);
    }
    const admitted = bucket.take(now);
    this.#record(request).readings.push({
      name,
      quota: policy.limit,
      windowSeconds: policy.windowSeconds,
      remaining: bucket.remaining(now),
      resetMs: bucket.msUntilFull(now),
    });
    if (admitted) return;
    const retryAfter = secondsFrom(bucket.msUntilNext(now), 1);
    const { method, path } = ROUTES[operationId];
    throw new ApiProblem(
      'rate_limited',
      `Too many ${method} ${path} requests ${whose}: the ${name} limit is ${policy.limit} per ${policy.windowSeconds} s. Nothing was changed; retry after ${retryAfter} s.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }

  #checkVelocity(request: RequestHead, principal: Principal, buyerId: string): void {
    const policy = this.#limits.velocity;
    if (!policy) return;
    const now = this.#clock.now();
    const key = `${principal.tenantId}\u0000${buyerId}`;
    let window = this.#velocity.get(key);
    if (!window) {
      window = new VelocityWindow(policy);
      this.#velocity.set(key, window);
    }
    const admitted = window.take(now);
    const record = this.#record(request);
    record.readings.push({
      name: 'velocity',
      quota: policy.maxTokens,
      windowSeconds: policy.windowSeconds,
      remaining: window.remaining(now),
      resetMs: window.msUntilEmpty(now),
    });
    if (admitted) {
      record.velocitySlot = { window, at: now };
      return;
    }
    const retryAfter = secondsFrom(window.msUntilNext(now), 1);
    throw new ApiProblem(
      'velocity_exceeded',
      `Buyer ${buyerId} was already issued ${policy.maxTokens} offer tokens in the last ${policy.windowSeconds} s, the most one buyer may get in that window (velocity check against automated buying). No token was issued; retry after ${retryAfter} s, when the oldest leaves the window.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }

  /** Forgets full buckets and empty windows (they behave exactly like fresh ones), at most once a minute. */
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, bucket] of this.#buckets) if (bucket.msUntilFull(now) === 0) this.#buckets.delete(key);
    for (const [key, window] of this.#velocity) if (window.isEmpty(now)) this.#velocity.delete(key);
  }
}
