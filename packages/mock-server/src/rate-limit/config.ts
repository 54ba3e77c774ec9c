import type { OperationId } from '@livedrop/core';

/**
 * One quota: at most `limit` requests per `windowSeconds`, enforced as a token bucket that holds
 * `limit` tokens and regains `limit / windowSeconds` of them per second. A burst may spend the whole
 * bucket at once; after that, requests are admitted at the refill rate. Announced as the IETF
 * `RateLimit-Policy` item `"<name>";q=<limit>;w=<windowSeconds>`.
 */
export interface RateLimitPolicy {
  /** Requests a full bucket admits at once (the policy's quota `q`). A positive integer. */
  readonly limit: number;
  /** Seconds for an empty bucket to fill up again (the policy's window `w`). A positive integer. */
  readonly windowSeconds: number;
}

/** The buckets of one route. `false` turns a scope off. */
export interface RouteRateLimits {
  /**
   * One bucket per API key (the bearer key's id), shared by every buyer that key speaks for.
   * @default false — a platform's secret key and a storefront's publishable key speak for all of its buyers
   */
  readonly perKey?: RateLimitPolicy | false;
  /**
   * One bucket per buyer: `buyerId` in the body when issuing a token, the token's `sub` when
   * reserving (checked right after the token verifies).
   * @default see {@link DEFAULT_RATE_LIMITS}
   */
  readonly perBuyer?: RateLimitPolicy | false;
}

/**
 * The velocity check: how many offer tokens one buyer may be issued (successfully) in a sliding
 * window, across every offer of the tenant. Past it, `POST /v1/offers/{id}/tokens` answers 429
 * `velocity_exceeded` until the oldest of those tokens leaves the window.
 */
export interface VelocityPolicy {
  /** Tokens one buyer may be issued within the window. A positive integer. */
  readonly maxTokens: number;
  /** The sliding window, in seconds. A positive integer. */
  readonly windowSeconds: number;
}

/**
 * How many declined confirms one reservation may have in a sliding window. Past it,
 * `POST /v1/reservations/{id}/confirm` on that hold answers 429 `rate_limited` with `Retry-After`
 * (for any payment method) and records nothing, until the oldest decline leaves the window. A
 * decline is news worth an event, but one hold confirmed with a declined card over and over is
 * card testing or a stuck script, and each would add an event to the log.
 */
export interface DeclinePolicy {
  /** Declined confirms one reservation may have within the window. A positive integer. */
  readonly maxDeclines: number;
  /** The sliding window, in seconds. A positive integer. */
  readonly windowSeconds: number;
}

/**
 * Rate limits and bot controls of the reference server (`createReferenceServer({ rateLimits })`).
 * Every field is optional and merges over {@link DEFAULT_RATE_LIMITS}; pass `false` instead of an
 * object to turn every limit off.
 * @example
 * createReferenceServer({
 *   rateLimits: {
 *     routes: { issueOfferToken: { perKey: { limit: 600, windowSeconds: 60 }, perBuyer: { limit: 3, windowSeconds: 10 } } },
 *     velocity: { maxTokens: 5, windowSeconds: 60 },
 *   },
 * });
 */
export interface RateLimitOptions {
  /** Buckets by operation id; a route's scopes merge over its defaults. Any authenticated route may be limited per key; per buyer only the two routes that name a buyer. */
  readonly routes?: { readonly [Op in OperationId]?: RouteRateLimits };
  /** The velocity check on token issuance; `false` turns it off. @default `{ maxTokens: 20, windowSeconds: 600 }` */
  readonly velocity?: VelocityPolicy | false;
  /** Declined confirms per reservation; `false` turns the throttle off. @default `{ maxDeclines: 5, windowSeconds: 600 }` */
  readonly declinedConfirms?: DeclinePolicy | false;
}

/** The routes that name a buyer, and so may have per-buyer buckets. */
export const BUYER_ROUTES = ['issueOfferToken', 'createReservation'] as const satisfies readonly OperationId[];
/** An operation with per-buyer buckets. */
export type BuyerRoute = (typeof BUYER_ROUTES)[number];

/**
 * The limits a server runs with when given no `rateLimits`. They stop one buyer from scripting
 * a drop without touching legitimate crowds: a person does not ask for ten tokens in ten seconds,
 * nor twenty in ten minutes, while thousands of distinct buyers through one key pass untouched.
 */
export const DEFAULT_RATE_LIMITS = {
  routes: {
    issueOfferToken: { perKey: false, perBuyer: { limit: 10, windowSeconds: 10 } },
    createReservation: { perKey: false, perBuyer: { limit: 10, windowSeconds: 10 } },
  },
  velocity: { maxTokens: 20, windowSeconds: 600 },
  declinedConfirms: { maxDeclines: 5, windowSeconds: 600 },
} as const satisfies RateLimitOptions;

/** Limits after merging options over the defaults: only the scopes in force. */
export interface ResolvedRateLimits {
  readonly perKey: ReadonlyMap<OperationId, RateLimitPolicy>;
  readonly perBuyer: ReadonlyMap<BuyerRoute, RateLimitPolicy>;
  readonly velocity: VelocityPolicy | null;
  readonly declinedConfirms: DeclinePolicy | null;
}

function checkPositiveInteger(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`rateLimits: ${where} must be a positive integer, got ${JSON.stringify(value)}.`);
  }
}

function checkPolicy(policy: RateLimitPolicy, where: string): RateLimitPolicy {
  checkPositiveInteger(policy.limit, `${where}.limit`);
  checkPositiveInteger(policy.windowSeconds, `${where}.windowSeconds`);
  return { limit: policy.limit, windowSeconds: policy.windowSeconds };
}

/**
 * Merges `options` over {@link DEFAULT_RATE_LIMITS} and checks every number.
 * @throws TypeError naming the field when a limit is not a positive integer, or a per-buyer bucket is set on a route that names no buyer
 */
export function resolveRateLimits(options: RateLimitOptions | false | undefined): ResolvedRateLimits {
  const perKey = new Map<OperationId, RateLimitPolicy>();
  const perBuyer = new Map<BuyerRoute, RateLimitPolicy>();
  if (options === false) return { perKey, perBuyer, velocity: null, declinedConfirms: null };
  const routes: Record<string, RouteRateLimits | undefined> = { ...DEFAULT_RATE_LIMITS.routes };
  for (const [operationId, route] of Object.entries(options?.routes ?? {}))
    routes[operationId] = { ...routes[operationId], ...route };
  for (const [operationId, route] of Object.entries(routes)) {
    if (!route) continue;
    const where = `routes.${operationId}`;
    if (route.perKey) perKey.set(operationId as OperationId, checkPolicy(route.perKey, `${where}.perKey`));
    if (route.perBuyer) {
      if (!(BUYER_ROUTES as readonly string[]).includes(operationId)) {
        throw new TypeError(
          `rateLimits: ${where}.perBuyer is not possible: only ${BUYER_ROUTES.join(' and ')} name a buyer; use perKey.`,
        );
      }
      perBuyer.set(operationId as BuyerRoute, checkPolicy(route.perBuyer, `${where}.perBuyer`));
    }
  }
  const velocity = options?.velocity === undefined ? DEFAULT_RATE_LIMITS.velocity : options.velocity;
  if (velocity) {
    checkPositiveInteger(velocity.maxTokens, 'velocity.maxTokens');
    checkPositiveInteger(velocity.windowSeconds, 'velocity.windowSeconds');
  }
  const declines =
    options?.declinedConfirms === undefined ? DEFAULT_RATE_LIMITS.declinedConfirms : options.declinedConfirms;
  if (declines) {
    checkPositiveInteger(declines.maxDeclines, 'declinedConfirms.maxDeclines');
    checkPositiveInteger(declines.windowSeconds, 'declinedConfirms.windowSeconds');
  }
  return {
    perKey,
    perBuyer,
    velocity: velocity ? { maxTokens: velocity.maxTokens, windowSeconds: velocity.windowSeconds } : null,
    declinedConfirms: declines ? { maxDeclines: declines.maxDeclines, windowSeconds: declines.windowSeconds } : null,
  };
}
