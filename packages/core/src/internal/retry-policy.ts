import { ApiError } from '../errors/api-error';
import { isLiveDropError } from '../errors/live-drop-error';
import { MAX_RETRY_AFTER_MS, backoffDelay, parseRetryAfter } from './backoff';

/**
 * How long to wait before retry number `retry` after `error`, or null not to retry.
 * Connection errors and timeouts back off; error responses retry when they are
 * {@link ApiError.retryable}, after the server's `Retry-After` when it sent one (a wait longer than
 * {@link MAX_RETRY_AFTER_MS} is not retried: the caller gets the error and its `retryAfterMs`).
 * Other SDK errors (validation, abort) are final. Aborts are the caller's to check first.
 */
export function retryDelay(error: unknown, retry: number, random: () => number = Math.random): number | null {
  if (error instanceof ApiError) {
    if (!error.retryable) return null;
    const after = parseRetryAfter(error.headers.get('retry-after'));
    if (after === null) return backoffDelay(retry, random);
    return after <= MAX_RETRY_AFTER_MS ? after : null;
  }
  return isLiveDropError(error) ? null : backoffDelay(retry, random);
}
