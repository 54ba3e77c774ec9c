import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../schemas/error';
import { ApiError } from './api-error';
import { errorFromResponse } from './error-from-response';
import { LiveDropError, isLiveDropError } from './live-drop-error';
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
import { AbortError, ConnectionError, TimeoutError } from './transport-errors';

const problemBody = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: `https://docs.livedrop.dev/errors#${code}`,
    title: 'Title',
    status,
    detail: `Detail of ${code}.`,
    code,
    requestId: 'req_body',
    ...extra,
  });

const CLASS_BY_STATUS: Record<number, unknown> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  500: InternalServerError,
  503: InternalServerError,
};

describe('errorFromResponse', () => {
  it.each(Object.entries(ERROR_STATUS) as [ErrorCode, number][])(
    'maps %s (%i) to its class with code, requestId and problem',
    (code, status) => {
      const error = errorFromResponse(status, new Headers({ 'request-id': 'req_header' }), problemBody(status, code));
      expect(error).toBeInstanceOf(CLASS_BY_STATUS[status] ?? ApiError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(LiveDropError);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.requestId).toBe('req_body');
      expect(error.problem?.code).toBe(code);
      expect(error.message).toBe(`${status} ${code}: Detail of ${code}. [request req_body]`);
      expect(isLiveDropError(error)).toBe(true);
    },
  );

  it('keeps field errors', () => {
    const errors = [{ path: 'price.amount', code: 'invalid_type', message: '"price.amount" must be an integer.' }];
    const error = errorFromResponse(400, new Headers(), problemBody(400, 'validation_failed', { errors }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.errors).toEqual(errors);
  });

  it('reads Retry-After into RateLimitError.retryAfterMs', () => {
    const error = errorFromResponse(429, new Headers({ 'retry-after': '7' }), problemBody(429, 'rate_limited'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect((errorFromResponse(429, new Headers(), '') as RateLimitError).retryAfterMs).toBeNull();
  });

  it('falls back for bodies that are not problem+json', () => {
    const html = errorFromResponse(
      502,
      new Headers({ 'request-id': 'req_proxy' }),
      '<html><body>Bad gateway</body></html>',
      'Bad Gateway',
    );
    expect(html).toBeInstanceOf(InternalServerError);
    expect(html.code).toBe('bad_gateway');
    expect(html.requestId).toBe('req_proxy');
    expect(html.problem).toBeUndefined();
    expect(html.message).toContain('Bad gateway');

    const empty = errorFromResponse(404, new Headers(), '', 'Not Found');
    expect(empty).toBeInstanceOf(NotFoundError);
    expect(empty.code).toBe('not_found');
    expect(empty.requestId).toBeNull();
    expect(empty.message).toBe('404 not_found: Not Found');

    expect(errorFromResponse(429, new Headers(), 'slow down').code).toBe('rate_limited');
    expect(errorFromResponse(401, new Headers(), '').code).toBe('unauthenticated');
    expect(errorFromResponse(409, new Headers(), '').code).toBe('unknown');
    expect(errorFromResponse(418, new Headers(), "I'm a teapot")).toBeInstanceOf(ApiError);
  });

  it('does not let a code from another status into a class (types stay honest)', () => {
    const error = errorFromResponse(409, new Headers(), problemBody(409, 'not_found'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('unknown');
    const future = errorFromResponse(
      422,
      new Headers(),
      JSON.stringify({ code: 'some_future_code', detail: 'New rule.', requestId: 'req_f' }),
    );
    expect(future).toBeInstanceOf(UnprocessableEntityError);
    expect(future.code).toBe('unknown');
    expect(future.requestId).toBe('req_f');
    expect(future.message).toContain('New rule.');
  });
});

describe('isLiveDropError', () => {
  it('recognises every SDK error and nothing else', () => {
    for (const error of [
      new ConnectionError('x'),
      new TimeoutError('x', 1),
      new AbortError('x'),
      new LiveDropError('x'),
    ])
      expect(isLiveDropError(error)).toBe(true);
    for (const value of [new Error('x'), null, undefined, 'LiveDropError', { isLiveDropError: 'yes' }, 42])
      expect(isLiveDropError(value)).toBe(false);
  });

  it('works across realms, where instanceof does not', () => {
    // A class with the same brand, defined and instantiated in another V8 context (as an iframe would).
    const foreign: unknown = runInNewContext(`
      class LiveDropError extends Error { get isLiveDropError() { return true; } }
      class NotFoundError extends LiveDropError { constructor() { super('404 not_found'); this.status = 404; this.code = 'not_found'; } }
      new NotFoundError();
    `);
    expect(foreign instanceof Error).toBe(false);
    expect(foreign instanceof LiveDropError).toBe(false);
    expect(isLiveDropError(foreign)).toBe(true);
    // Checking the brand means a plain object carrying it counts too (what a structured clone keeps).
    expect(isLiveDropError({ isLiveDropError: true })).toBe(true);
  });

  it('names classes explicitly so minified bundles still say what failed', () => {
    expect(
      new RateLimitError({
        status: 429,
        code: 'rate_limited',
        message: 'm',
        requestId: null,
        errors: [],
        problem: undefined,
        headers: new Headers(),
        retryAfterMs: null,
      }).name,
    ).toBe('RateLimitError');
    expect(new TimeoutError('t', 5).name).toBe('TimeoutError');
  });
});

describe('ApiError#retryable', () => {
  it('is true for what a second attempt could change: 408, 429, 5xx and a key still in use', () => {
    const retryable = (status: number, code = '') =>
      errorFromResponse(status, new Headers(), problemBody(status, code)).retryable;
    expect(retryable(408)).toBe(true);
    expect(retryable(429, 'rate_limited')).toBe(true);
    expect(retryable(500, 'internal_error')).toBe(true);
    expect(retryable(503, 'service_unavailable')).toBe(true);
    expect(retryable(409, 'idempotency_key_in_use')).toBe(true);
    expect(retryable(409, 'sold_out')).toBe(false);
    expect(retryable(422, 'limit_exceeded')).toBe(false);
    expect(retryable(404, 'not_found')).toBe(false);
  });
});
