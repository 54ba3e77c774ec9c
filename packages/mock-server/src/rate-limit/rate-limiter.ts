import { ERROR_STATUS, ROUTES, type OperationId } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Clock } from '../clock';
import { ApiProblem } from '../problem';
import { headerOf, setHeaders, type ServerAnswer } from '../http/server-answer';
import type { RateLimitStore, RateLimitStorePolicy } from '../storage/rate-limit-store';
import {
  resolveRateLimits,
  type BuyerRoute,
  type RateLimitOptions,
  type RateLimitPolicy,
  type ResolvedRateLimits,
} from './config';
import { rateLimitHeaders, secondsFrom, type PolicyName, type QuotaReading } from './headers';

/**
 * What the limiter counted for one request while it ran. The pipeline makes one per request
 * ({@link RateLimiter.startRequest}), hands it to every admit call (handlers find it as
 * `context.quotas`) and to {@link RateLimiter.finish}.
 */
export interface RequestQuotas {
  /** One reading per policy the request was counted against, in order. */
  readonly readings: QuotaReading[];
  /** The velocity slot the request took, handed back if it issues no token. */
  velocitySlot?: { readonly key: string; readonly at: number };
  /** The decline slot a confirm took, handed back unless the payment was declined. */
  declineSlot?: { readonly key: string; readonly at: number };
}

/**
 * The reference server's rate limits and bot controls: token buckets per API key and per buyer
 * (per route), and the velocity check on token issuance, all on the server's clock, counted in a
 * {@link RateLimitStore}. The pipeline calls {@link RateLimiter.admitKey} once the key is known and
 * {@link RateLimiter.admitBody} once the body is; the reservation handler calls
 * {@link RateLimiter.admitBuyer} once the token's buyer is known, the confirm handler
 * {@link RateLimiter.admitConfirm} once the caller holds the reservation; {@link RateLimiter.finish} puts the
 * header fields on the response. A refusal is a 429 thrown before anything changes.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #store: RateLimitStore;
  #limits: ResolvedRateLimits;

  constructor(clock: Clock, options: RateLimitOptions | false | undefined, store: RateLimitStore) {
    this.#clock = clock;
    this.#store = store;
    this.#limits = resolveRateLimits(options);
  }

  /** The limits in force. */
  get limits(): ResolvedRateLimits {
    return this.#limits;
  }

  /** Replaces the limits (merged over the defaults) and forgets every bucket and window. */
  configure(options: RateLimitOptions | false | undefined): Promise<void> {
    this.#limits = resolveRateLimits(options);
    return this.reset();
  }

  /** Forgets every bucket and window: every key and buyer starts full. */
  reset(): Promise<void> {
    return this.#store.clear();
  }

  /** A fresh record for one request. */
  startRequest(): RequestQuotas {
    return { readings: [] };
  }

  /**
   * Counts the request against its API key's bucket for `operationId`, if that route has one.
   * @throws ApiProblem 429 `rate_limited` when the bucket is empty
   */
  async admitKey(quotas: RequestQuotas, operationId: OperationId, principal: Principal | null): Promise<void> {
    const policy = this.#limits.perKey.get(operationId);
    if (!policy || !principal) return;
    await this.#spend(
      quotas,
      'per-key',
      `${operationId}\u0000${principal.keyId}`,
      policy,
      'for this API key',
      operationId,
    );
  }

  /**
   * Counts a token request against its buyer (the one a publishable key's buyer session asserts, or
   * `buyerId` in the platform's body): the per-buyer bucket, then
   * the velocity check. Other routes name no buyer in their body and pass untouched.
   * @throws ApiProblem 429 `rate_limited` or `velocity_exceeded`
   */
  async admitBody(
    quotas: RequestQuotas,
    operationId: OperationId,
    principal: Principal | null,
    body: unknown,
  ): Promise<void> {
    if (operationId !== 'issueOfferToken' || !principal) return;
    // The buyer a publishable key's session asserts, or the one the platform names.
    const buyerId = principal.buyerId ?? (body as { buyerId: string }).buyerId;
    await this.admitBuyer(quotas, operationId, principal, buyerId);
    await this.#checkVelocity(quotas, principal, buyerId);
  }

  /**
   * Counts the request against `buyerId`'s bucket for `operationId`, if that route has one.
   * @throws ApiProblem 429 `rate_limited` when the bucket is empty
   */
  async admitBuyer(
    quotas: RequestQuotas,
    operationId: BuyerRoute,
    principal: Principal,
    buyerId: string,
  ): Promise<void> {
    const policy = this.#limits.perBuyer.get(operationId);
    if (!policy) return;
    await this.#spend(
      quotas,
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
  async finish(quotas: RequestQuotas, response: ServerAnswer): Promise<void> {
    if (quotas.readings.length === 0) return;
    const slot = quotas.velocitySlot;
    const issuedNothing =
      (response.status >= 400 && response.status < 500) || headerOf(response, 'idempotent-replayed') === 'true';
    if (slot && issuedNothing) await this.#store.giveBack(slot.key, slot.at);
    const decline = quotas.declineSlot;
    if (decline && response.status !== ERROR_STATUS.payment_declined)
      await this.#store.giveBack(decline.key, decline.at);
    setHeaders(response, rateLimitHeaders(quotas.readings));
  }

  /**
   * Counts a confirm of `reservationId` against its declines: the confirm takes a slot of the
   * reservation's window, which {@link finish} hands back unless the payment was declined, so only
   * declines stay counted. Call it once the caller is known to hold the reservation.
   * @throws ApiProblem 429 `rate_limited` when the hold already had its declines in the window
   */
  async admitConfirm(quotas: RequestQuotas, principal: Principal, reservationId: string): Promise<void> {
    const policy = this.#limits.declinedConfirms;
    if (!policy) return;
    const now = this.#clock.now();
    const key = `declines\u0000${principal.tenantId}\u0000${reservationId}`;
    const taken = await this.#store.take(
      key,
      { kind: 'window', max: policy.maxDeclines, windowSeconds: policy.windowSeconds },
      now,
    );
    quotas.readings.push({
      name: 'declines',
      quota: policy.maxDeclines,
      windowSeconds: policy.windowSeconds,
      remaining: taken.remaining,
      resetMs: taken.resetMs,
    });
    if (taken.admitted) {
      quotas.declineSlot = { key, at: now };
      return;
    }
    const retryAfter = secondsFrom(taken.retryAfterMs, 1);
    throw new ApiProblem(
      'rate_limited',
      `Reservation ${reservationId} had ${policy.maxDeclines} declined payments in the last ${policy.windowSeconds} s, the most one hold may have in that window. Nothing was charged or recorded; retry after ${retryAfter} s, when the oldest decline leaves the window.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }

  async #spend(
    quotas: RequestQuotas,
    name: PolicyName,
    key: string,
    policy: RateLimitPolicy,
    whose: string,
    operationId: OperationId,
  ): Promise<void> {
    const bucket: RateLimitStorePolicy = { kind: 'bucket', limit: policy.limit, windowSeconds: policy.windowSeconds };
    const taken = await this.#store.take(`bucket\u0000${key}`, bucket, this.#clock.now());
    quotas.readings.push({
      name,
      quota: policy.limit,
      windowSeconds: policy.windowSeconds,
      remaining: taken.remaining,
      resetMs: taken.resetMs,
    });
    if (taken.admitted) return;
    const retryAfter = secondsFrom(taken.retryAfterMs, 1);
    const { method, path } = ROUTES[operationId];
    throw new ApiProblem(
      'rate_limited',
      `Too many ${method} ${path} requests ${whose}: the ${name} limit is ${policy.limit} per ${policy.windowSeconds} s. Nothing was changed; retry after ${retryAfter} s.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }

  async #checkVelocity(quotas: RequestQuotas, principal: Principal, buyerId: string): Promise<void> {
    const policy = this.#limits.velocity;
    if (!policy) return;
    const now = this.#clock.now();
    const key = `velocity\u0000${principal.tenantId}\u0000${buyerId}`;
    const taken = await this.#store.take(
      key,
      { kind: 'window', max: policy.maxTokens, windowSeconds: policy.windowSeconds },
      now,
    );
    quotas.readings.push({
      name: 'velocity',
      quota: policy.maxTokens,
      windowSeconds: policy.windowSeconds,
      remaining: taken.remaining,
      resetMs: taken.resetMs,
    });
    if (taken.admitted) {
      quotas.velocitySlot = { key, at: now };
      return;
    }
    const retryAfter = secondsFrom(taken.retryAfterMs, 1);
    throw new ApiProblem(
      'velocity_exceeded',
      `Buyer ${buyerId} was already issued ${policy.maxTokens} offer tokens in the last ${policy.windowSeconds} s, the most one buyer may get in that window (velocity check against automated buying). No token was issued; retry after ${retryAfter} s, when the oldest leaves the window.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }
}
