/**
 * How long after each failed attempt the next one is due, on the injected clock: six retries
 * spread over about seven and a half hours, like the schedules Stripe and Svix publish. A delivery
 * whose last retry fails is `failed` and disables its endpoint.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  60 * 60_000,
  6 * 60 * 60_000,
];

/**
 * The shortest delay a retry gets. Full jitter may draw zero; a receiver that just failed is not
 * retried at once, which would look like a burst rather than a back-off.
 */
export const MIN_RETRY_DELAY_MS = 1_000;

/**
 * The delay before retry number `retry` (1 for the first retry): "full jitter" — uniform between
 * {@link MIN_RETRY_DELAY_MS} and the schedule's step — so many endpoints failing together do not
 * retry in lockstep. Returns `null` when the schedule is exhausted.
 * @example
 * retryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, Math.random); // somewhere in 1 s … 5 s
 */
export function retryDelay(retry: number, schedule: readonly number[], random: () => number): number | null {
  const step = schedule[retry - 1];
  if (step === undefined) return null;
  return Math.max(MIN_RETRY_DELAY_MS, Math.round(random() * step));
}
