import { ERROR_STATUS, type ErrorCode, type FieldError, type Problem } from '@livedrop/core';

const TITLES: Partial<Record<ErrorCode, string>> = {
  malformed_json: 'Malformed JSON',
  validation_failed: 'Validation failed',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  version_conflict: 'Version conflict',
  rate_limited: 'Too many requests',
  velocity_exceeded: 'Too many tokens for one buyer',
};

function titleOf(code: ErrorCode): string {
  return TITLES[code] ?? code.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * A request the server refuses. Thrown anywhere in a handler before it changes state; the
 * pipeline turns it into an RFC 9457 `application/problem+json` response.
 */
export class ApiProblem extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** The problem+json body for this refusal. */
  toProblem(requestId: string, instance?: string): Problem {
    return {
      type: `https://docs.livedrop.dev/errors#${this.code}`,
      title: titleOf(this.code),
      status: this.status,
      detail: this.message,
      code: this.code,
      requestId,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(instance ? { instance } : {}),
    };
  }
}

/** Builds the 404 every lookup answers, whether the object is missing or belongs to someone else. */
export function notFound(kind: string, id: string): ApiProblem {
  return new ApiProblem('not_found', `No ${kind} with id "${id}" exists for this key.`);
}
