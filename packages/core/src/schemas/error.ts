import * as z from 'zod/mini';

/**
 * Every machine-readable error code the API answers with, and its HTTP status.
 * The single source of truth for codes: the server, the client's error classes and the docs read it.
 */
export const ERROR_STATUS = {
  malformed_json: 400,
  malformed_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  token_invalid: 401,
  token_expired: 401,
  buyer_session_required: 401,
  buyer_session_invalid: 401,
  buyer_session_expired: 401,
  payment_declined: 402,
  forbidden: 403,
  entitlement_missing: 403,
  buyer_id_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  offer_not_live: 409,
  sold_out: 409,
  token_replayed: 409,
  reservation_not_held: 409,
  reservation_expired: 409,
  invalid_state: 409,
  already_exists: 409,
  idempotency_key_in_use: 409,
  version_conflict: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  price_below_floor: 422,
  limit_exceeded: 422,
  refund_exceeds_capture: 422,
  idempotency_key_reused: 422,
  quantity_below_committed: 422,
  currency_mismatch: 422,
  moderation_rejected: 422,
  precondition_required: 428,
  rate_limited: 429,
  velocity_exceeded: 429,
  headers_too_large: 431,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
} as const;

/** A machine-readable error code; see {@link ERROR_STATUS}. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** All error codes, as a tuple for `z.enum`. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** One field-level problem inside a `validation_failed` (or other) error. */
export const FieldError = z.strictObject({
  /** Dotted path of the offending field, e.g. `price.amount`; empty for the body itself. */
  path: z.string(),
  /** What is wrong, in a few words, e.g. `invalid_type`, `too_small`, `unrecognized_keys`. */
  code: z.string(),
  /** A sentence naming the field and the fix. */
  message: z.string(),
});
/** One field-level problem; see {@link FieldError}. */
export type FieldError = z.infer<typeof FieldError>;

/** An RFC 9457 `application/problem+json` body, extended with LiveDrop's `code`, `requestId` and `errors`. */
export const Problem = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.int().check(z.minimum(400), z.maximum(599)),
  detail: z.string(),
  code: z.enum(ERROR_CODES),
  requestId: z.string(),
  errors: z.optional(z.array(FieldError)),
  instance: z.optional(z.string()),
});
/** An RFC 9457 problem body; see {@link Problem}. */
export type Problem = z.infer<typeof Problem>;
