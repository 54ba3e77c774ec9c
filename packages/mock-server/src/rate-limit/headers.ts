/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, the `RateLimit-Policy`
 * and `RateLimit` structured-field lists), one item per quota policy that applied to a request:
 *
 *     RateLimit-Policy: "per-buyer";q=10;w=10, "velocity";q=20;w=600
 *     RateLimit: "per-buyer";r=9;t=1, "velocity";r=19;t=600
 *
 * `q` is the quota, `w` its window in seconds, `r` what is left of it now, `t` the seconds until
 * the quota is whole again. The older `RateLimit-Limit/-Remaining/-Reset` fields are not sent.
 */

/** The names of the quota policies, as they appear in the header fields. */
export type PolicyName = 'per-key' | 'per-buyer' | 'velocity' | 'declines';

/** One policy's state after a request was counted against it. */
export interface QuotaReading {
  readonly name: PolicyName;
  /** The quota (`q`). */
  readonly quota: number;
  /** The window in seconds (`w`). */
  readonly windowSeconds: number;
  /** What is left (`r`). */
  readonly remaining: number;
  /** Milliseconds until the quota is whole again (`t`, rounded up to seconds). */
  readonly resetMs: number;
}

/** Whole seconds, rounded up, never below `min`. */
export function secondsFrom(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

/** The `RateLimit-Policy` and `RateLimit` fields for `readings` (empty when none applied). */
export function rateLimitHeaders(readings: readonly QuotaReading[]): Record<string, string> {
  if (readings.length === 0) return {};
  return {
    'ratelimit-policy': readings.map((q) => `"${q.name}";q=${q.quota};w=${q.windowSeconds}`).join(', '),
    ratelimit: readings.map((q) => `"${q.name}";r=${q.remaining};t=${secondsFrom(q.resetMs)}`).join(', '),
  };
}
