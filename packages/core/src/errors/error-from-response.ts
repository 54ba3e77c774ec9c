import { ERROR_STATUS, Problem, type ErrorCode, type FieldError } from '../schemas/error';
import { parseRetryAfter } from '../internal/backoff';
import { ApiError, type ApiErrorCode, type ApiErrorInit } from './api-error';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PaymentRequiredError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  UnprocessableEntityError,
} from './status-errors';

/** A subclass's constructor, typed loosely: `errorFromResponse` picks it by the same status it passes. */
type ApiErrorClass = new (init: never) => ApiError;

const BY_STATUS: Readonly<Record<number, ApiErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
};

/** The code to assume when the body names none: the status's generic one, if it has one. */
const GENERIC: Readonly<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  429: 'rate_limited',
  502: 'bad_gateway',
  504: 'gateway_timeout',
};

function codeFor(status: number, sent: unknown): ApiErrorCode<number> {
  const codes = Object.keys(ERROR_STATUS) as ErrorCode[];
  // A code is kept only if it belongs to the status, so `ConflictError.code` never lies.
  if (typeof sent === 'string' && (ERROR_STATUS as Record<string, number>)[sent] === status) return sent as ErrorCode;
  const only = codes.filter((code) => ERROR_STATUS[code] === status);
  return GENERIC[status] ?? (only.length === 1 ? only[0]! : 'unknown');
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * Builds the typed error for an error response: the subclass for its status, with the problem's
 * `code`, `requestId` and field `errors`. Bodies that are not problem+json (a proxy's HTML page)
 * still give the right class, a code from the status and the response's `Request-Id`.
 */
export function errorFromResponse(status: number, headers: Headers, text: string, statusText = ''): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = Problem.safeParse(body);
  const problem = parsed.success ? parsed.data : undefined;
  const detail = field(body, 'detail') ?? field(body, 'message');
  const requestId = field(body, 'requestId');
  const errors =
    problem?.errors ?? (Array.isArray(field(body, 'errors')) ? (field(body, 'errors') as FieldError[]) : []);
  const init: ApiErrorInit<number> = {
    status,
    code: codeFor(status, field(body, 'code')),
    message: typeof detail === 'string' ? detail : text.trim().slice(0, 200) || statusText || `HTTP ${status}`,
    requestId: typeof requestId === 'string' ? requestId : headers.get('request-id'),
    errors,
    problem,
    headers,
  };
  if (status === 429)
    return new RateLimitError({
      ...(init as ApiErrorInit<429>),
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    });
  const Class = status >= 500 ? InternalServerError : (BY_STATUS[status] ?? ApiError);
  return new (Class as new (init: ApiErrorInit<number>) => ApiError)(init);
}
