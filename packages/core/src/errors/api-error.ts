import type { ERROR_STATUS, ErrorCode, FieldError, Problem } from '../schemas/error';
import { LiveDropError } from './live-drop-error';

/**
 * The error codes the API answers with for an HTTP status, e.g. `ErrorCodeOf<429>` is `'rate_limited'`.
 * For a non-literal status, every code.
 */
export type ErrorCodeOf<TStatus extends number> = number extends TStatus
  ? ErrorCode
  : { [K in ErrorCode]: (typeof ERROR_STATUS)[K] extends TStatus ? K : never }[ErrorCode];

/**
 * The `code` of an {@link ApiError}: one the status can carry, or `'unknown'` when the body named
 * none this SDK knows (a proxy's HTML error page, a code added to the API after this release).
 */
export type ApiErrorCode<TStatus extends number> = ErrorCodeOf<TStatus> | 'unknown';

/** What an {@link ApiError} is made of; see {@link errorFromResponse}. */
export interface ApiErrorInit<TStatus extends number> {
  readonly status: TStatus;
  readonly code: ApiErrorCode<TStatus>;
  readonly message: string;
  readonly requestId: string | null;
  readonly errors: readonly FieldError[];
  readonly problem: Problem | undefined;
  readonly headers: Headers;
}

/**
 * The API answered with an error status (RFC 9457 `application/problem+json`).
 * Each status the API uses has its own subclass ({@link NotFoundError}, {@link RateLimitError}, …).
 */
export class ApiError<TStatus extends number = number> extends LiveDropError {
  override readonly name: string = 'ApiError';
  /** The HTTP status. */
  readonly status: TStatus;
  /** The machine-readable code, e.g. `sold_out`; see `ERROR_STATUS`. */
  readonly code: ApiErrorCode<TStatus>;
  /** The `Request-Id` of the failed request; quote it when reporting a problem. */
  readonly requestId: string | null;
  /** Field-level problems, e.g. every invalid field of a `validation_failed`. */
  readonly errors: readonly FieldError[];
  /** The problem body as sent, when it matched the contract. */
  readonly problem: Problem | undefined;
  /** The response headers. */
  readonly headers: Headers;

  constructor(init: ApiErrorInit<TStatus>) {
    const suffix = init.requestId ? ` [request ${init.requestId}]` : '';
    super(`${init.status} ${init.code}: ${init.message}${suffix}`);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.errors = init.errors;
    this.problem = init.problem;
    this.headers = init.headers;
  }

  /**
   * Whether sending the same request again could succeed: a 408, a 429, a 5xx, or a 409
   * `idempotency_key_in_use` (the first request with that key is still running). The client
   * retries these itself (with the same `Idempotency-Key`, so a POST never runs twice); any other
   * error status is final: retrying the same request gets the same answer.
   * @example
   * if (error instanceof ApiError && !error.retryable) forgetAttempt(); // nothing was done
   */
  get retryable(): boolean {
    const { status } = this;
    return (
      status === 408 || status === 429 || status >= 500 || (status === 409 && this.code === 'idempotency_key_in_use')
    );
  }
}
