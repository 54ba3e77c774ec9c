import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { errorFromResponse } from '../errors/error-from-response';
import { ResponseValidationError } from '../errors/response-validation-error';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS, backoffDelay, parseRetryAfter } from './backoff';
import { retryDelay } from './retry-policy';

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  errorFromResponse(
    status,
    new Headers(headers),
    JSON.stringify({ type: 'about:blank', title: 't', status, detail: 'd', code, requestId: 'req_1' }),
  );

describe('backoffDelay (full jitter)', () => {
  it('draws from [0, base·2^(n-1)) and never reaches the cap', () => {
    for (let retry = 1; retry <= 12; retry++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
      expect(backoffDelay(retry, () => 0)).toBe(0);
      expect(backoffDelay(retry, () => 0.999_999)).toBe(Math.floor(0.999_999 * ceiling));
      expect(backoffDelay(retry, () => 0.999_999)).toBeLessThan(ceiling);
    }
    expect(backoffDelay(1, () => 0.5)).toBe(250);
    expect(backoffDelay(2, () => 0.5)).toBe(500);
    expect(backoffDelay(30, () => 0.5)).toBe(4000);
  });

  it('spreads real random draws across the window', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(3));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(2000);
    expect(Math.max(...draws)).toBeGreaterThan(1500);
    expect(Math.min(...draws)).toBeLessThan(500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T18:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP-date, clamping the past to 0', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 18:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 17:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('5m', now)).toBeNull();
  });
});

describe('retryDelay', () => {
  const half = () => 0.5;
  it('retries connection errors and timeouts with backoff', () => {
    expect(retryDelay(new TypeError('fetch failed'), 1, half)).toBe(250);
    expect(retryDelay(new TypeError('fetch failed'), 2, half)).toBe(500);
  });
  it('retries 408, 429, 5xx and 409 idempotency_key_in_use only', () => {
    expect(retryDelay(problem(408, 'unknown'), 1, half)).toBe(250);
    expect(retryDelay(problem(429, 'rate_limited'), 1, half)).toBe(250);
    expect(retryDelay(problem(500, 'internal_error'), 1, half)).toBe(250);
    expect(retryDelay(problem(503, 'service_unavailable'), 1, half)).toBe(250);
    expect(retryDelay(problem(409, 'idempotency_key_in_use'), 1, half)).toBe(250);
    expect(retryDelay(problem(409, 'sold_out'), 1, half)).toBeNull();
    expect(retryDelay(problem(400, 'validation_failed'), 1, half)).toBeNull();
    expect(retryDelay(problem(404, 'not_found'), 1, half)).toBeNull();
    expect(retryDelay(problem(422, 'idempotency_key_reused'), 1, half)).toBeNull();
  });
  it('waits as long as Retry-After says, up to the cap, and gives up beyond it', () => {
    expect(retryDelay(problem(429, 'rate_limited', { 'retry-after': '2' }), 1, half)).toBe(2000);
    expect(retryDelay(problem(409, 'idempotency_key_in_use', { 'retry-after': '1' }), 1, half)).toBe(1000);
    expect(
      retryDelay(problem(503, 'service_unavailable', { 'retry-after': String(MAX_RETRY_AFTER_MS / 1000) }), 1, half),
    ).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(problem(429, 'rate_limited', { 'retry-after': '3600' }), 1, half)).toBeNull();
  });
  it('never retries a response that broke the contract', () => {
    const error = new ResponseValidationError({
      operationId: 'getOffer',
      status: 200,
      requestId: null,
      issues: [{ path: 'id', message: 'bad' }],
    });
    expect(retryDelay(error, 1, half)).toBeNull();
    expect(problem(500, 'internal_error')).toBeInstanceOf(ApiError);
  });
});
