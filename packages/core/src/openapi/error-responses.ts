import { COMMON_ERRORS } from '../contract/route';
import type { RouteDefinition } from '../contract/route';
import { ERROR_STATUS } from '../schemas/error';
import type { ErrorCode } from '../schemas/error';
import { headerRef } from './components';
import type { OpenApiReference, OpenApiResponse } from './types';

/** The media type of every error body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Codes a public route can still answer with: no key, so nothing about keys. */
const PUBLIC_ERRORS = COMMON_ERRORS.filter((code) => code !== 'unauthenticated' && code !== 'forbidden');

/**
 * Every POST takes an `Idempotency-Key`, so every POST can meet a key in flight or reused, or a
 * key that is not 1 to 255 characters (400 `validation_failed`).
 */
const IDEMPOTENCY_ERRORS: readonly ErrorCode[] = [
  'validation_failed',
  'idempotency_key_in_use',
  'idempotency_key_reused',
];

/** Whether the route reads input the server validates: a query, a body, or a request header it parses. */
function validatesInput(route: RouteDefinition): boolean {
  return (
    route.query !== undefined ||
    route.body !== undefined ||
    (route.headers ?? []).some((header) => header.name !== 'If-None-Match')
  );
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Every POST and PATCH reads a body, even a route that takes none (it must be empty or `{}`): what
 * the body reader refuses before the route sees it.
 */
const BODY_ERRORS: readonly ErrorCode[] = [
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
];

/**
 * The error codes a route can answer with: its own, the common ones, the body reader's for a POST
 * or PATCH, and the idempotency ones for a POST.
 */
export function errorCodesOf(route: RouteDefinition): ErrorCode[] {
  const common = route.auth === 'public' ? PUBLIC_ERRORS : COMMON_ERRORS;
  const body = route.method === 'POST' || route.method === 'PATCH' ? BODY_ERRORS : [];
  const idempotency = route.method === 'POST' ? IDEMPOTENCY_ERRORS : [];
  const validation: readonly ErrorCode[] = validatesInput(route) ? ['validation_failed'] : [];
  return [...new Set([...route.errors, ...validation, ...common, ...body, ...idempotency])];
}

/** The route's error codes grouped by HTTP status, statuses ascending. */
export function errorCodesByStatus(route: RouteDefinition): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/**
 * One `application/problem+json` response per error status of the route, each narrowing the
 * shared `Problem` schema (`problem`) to that status and the codes possible there. A status with a
 * single code is a named entry of `shared` (`components.responses`, e.g. `NotFound`), `$ref`'d.
 */
export function errorResponses(
  route: RouteDefinition,
  problem: OpenApiReference,
  shared: Record<string, OpenApiResponse>,
): Record<string, OpenApiResponse | OpenApiReference> {
  const responses: Record<string, OpenApiResponse | OpenApiReference> = {};
  for (const [status, codes] of errorCodesByStatus(route)) {
    const [only, ...others] = codes;
    if (only === undefined || others.length > 0) {
      responses[String(status)] = problemResponse(status, codes, problem);
      continue;
    }
    const name = responseName(only);
    shared[name] ??= problemResponse(status, codes, problem);
    responses[String(status)] = { $ref: `#/components/responses/${name}` };
  }
  return responses;
}

function problemResponse(status: number, codes: readonly ErrorCode[], problem: OpenApiReference): OpenApiResponse {
  const schema = {
    allOf: [
      { ...problem },
      { type: 'object', properties: { status: { const: status }, code: { type: 'string', enum: [...codes] } } },
    ],
  };
  // A 429, a 503 and a key still in flight say when to come back.
  const retryLater = status === 429 || status === 503 || codes.includes('idempotency_key_in_use');
  const headers: Record<string, OpenApiReference> = { 'Request-Id': headerRef('RequestId') };
  if (retryLater) headers['Retry-After'] = headerRef('RetryAfter');
  // A refusal a POST's handler made is stored under its Idempotency-Key and replayed.
  headers['Idempotent-Replayed'] = headerRef('IdempotentReplayed');
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((code) => `\`${code}\``).join(', ')}.`,
    headers,
    content: { [PROBLEM_CONTENT_TYPE]: { schema } },
  };
}

/** `not_found` → `NotFound`. */
function responseName(code: ErrorCode): string {
  return code.replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
