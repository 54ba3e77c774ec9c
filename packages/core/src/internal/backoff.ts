/** First retry waits up to this long (full jitter: anywhere from 0). */
export const BACKOFF_BASE_MS = 500;
/** No computed backoff waits longer than this. */
export const BACKOFF_CAP_MS = 8_000;
/** The longest `Retry-After` honoured; a longer one is not retried (the caller decides). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniform draw from `[0, min(cap, base · 2^(retry-1)))`. Full jitter spreads a herd of
 * clients that failed together better than equal or decorrelated jitter.
 * @param retry 1 for the first retry
 */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @returns milliseconds to wait (0 for a date in the past), or null when absent or unreadable
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only an HTTP-date (which names a weekday or month) is a date: `Date.parse('5m')` must not pass.
  if (!/[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
