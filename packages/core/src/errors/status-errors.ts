import { ApiError, type ApiErrorInit } from './api-error';

/** 400: malformed JSON or a body that fails validation; `errors` names each field. */
export class BadRequestError extends ApiError<400> {
  override readonly name = 'BadRequestError';
}

/** 401: a missing or unknown API key, or an offer token that is invalid or expired. */
export class AuthenticationError extends ApiError<401> {
  override readonly name = 'AuthenticationError';
}

/** 402: the payment was declined. */
export class PaymentRequiredError extends ApiError<402> {
  override readonly name = 'PaymentRequiredError';
}

/** 403: the key may not do this (wrong role, or no entitlement). */
export class PermissionDeniedError extends ApiError<403> {
  override readonly name = 'PermissionDeniedError';
}

/** 404: no such object for this key (another tenant's or buyer's objects read as missing). */
export class NotFoundError extends ApiError<404> {
  override readonly name = 'NotFoundError';
}

/** 409: the object's state forbids it (`sold_out`, `token_replayed`, `reservation_not_held`, …). */
export class ConflictError extends ApiError<409> {
  override readonly name = 'ConflictError';
}

/** 412: the `If-Match` version is stale (`version_conflict`): read again, reapply, resend. */
export class PreconditionFailedError extends ApiError<412> {
  override readonly name = 'PreconditionFailedError';
}

/** 413: the body is over the API's limit (1 MiB). */
export class PayloadTooLargeError extends ApiError<413> {
  override readonly name = 'PayloadTooLargeError';
}

/** 422: a business rule refused it (`price_below_floor`, `limit_exceeded`, `idempotency_key_reused`, …). */
export class UnprocessableEntityError extends ApiError<422> {
  override readonly name = 'UnprocessableEntityError';
}

/** 429: too many requests. Retried automatically; thrown once retries are spent. */
export class RateLimitError extends ApiError<429> {
  override readonly name = 'RateLimitError';
  /** How long the server asked to wait (`Retry-After`), in milliseconds; null when it did not say. */
  readonly retryAfterMs: number | null;

  constructor(init: ApiErrorInit<429> & { readonly retryAfterMs: number | null }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx: the server failed. Retried automatically; thrown once retries are spent. */
export class InternalServerError extends ApiError<number> {
  override readonly name = 'InternalServerError';
  declare readonly code: 'internal_error' | 'bad_gateway' | 'service_unavailable' | 'gateway_timeout' | 'unknown';
}
