import type { ErrorCode } from '@livedrop/core';

/**
 * The refusals a request under an `Idempotency-Key` is answered with again on a retry: the ones it
 * met in the state it came to change (Stripe: a result is saved once the endpoint began executing).
 * The same key then replays them, so a retry never turns a refusal into a success after the state
 * moved (a `sold_out` stays `sold_out`, a `payment_declined` stays declined).
 *
 * Everything else is not stored and a retry with the same key runs again: refusals of the request
 * itself, whoever finds them (400 `validation_failed`, `malformed_json`, 413, 415, a 404 for an id
 * in the path or the body, 428, 412 for a stale `If-Match`, which travels in a header), refused
 * credentials (401, 403), 429, and 5xx (whether anything changed is unknown). See decision 0003.
 */
const STORED_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'payment_declined',
  'offer_not_live',
  'sold_out',
  'token_replayed',
  'reservation_not_held',
  'reservation_expired',
  'invalid_state',
  'already_exists',
  'price_below_floor',
  'limit_exceeded',
  'refund_exceeds_capture',
  'quantity_below_committed',
  'currency_mismatch',
  'moderation_rejected',
]);

/** Whether a refusal with `code`, thrown by a handler under an idempotency key, is stored and replayed. */
export function isStoredRefusal(code: ErrorCode): boolean {
  return STORED_REFUSALS.has(code);
}
