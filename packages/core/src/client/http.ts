import type { RouteEndpoint } from '../contract/route';
import { errorFromResponse } from '../errors/error-from-response';
import { isLiveDropError, type LiveDropError } from '../errors/live-drop-error';
import { AbortError, ConnectionError, TimeoutError } from '../errors/transport-errors';
import { randomUuid } from '../internal/random-uuid';
import { redactPath } from '../internal/redact';
import { retryDelay } from '../internal/retry-policy';
import { logAttempt } from './attempt-log';
import { decodeResponse } from './decode-response';
import type { ClientOptions, RequestOptions } from './options';
import type { ClientOperationId, ResponseOf } from './route-types';

/** The default per-attempt timeout: 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The default number of retries. */
export const DEFAULT_MAX_RETRIES = 2;

/** What one call sends besides its route: path parameters, query, JSON body, headers. */
export interface CallInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: object | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A decoded successful response. `data` is undefined for a 304. */
export interface ApiResult<T> {
  readonly data: T;
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string | null;
}

interface Attempt {
  start: number;
  retryCount: number;
  reported: boolean;
}

/**
 * The HTTP transport every resource calls through: fetch with the contract's routes, bearer auth,
 * idempotency keys on POSTs, retries with backoff, timeouts, logging and response validation.
 *
 * It calls the operations `Ops` of the route table it is given: every route for
 * {@link LiveDropClient}, the publishable ones for {@link LiveDropPublicClient} (so a browser's
 * bundle carries only those routes and their schemas).
 */
export class HttpTransport<Ops extends ClientOperationId = ClientOperationId> {
  readonly #options: ClientOptions;
  readonly #baseUrl: string;
  readonly #routes: { readonly [Op in Ops]: RouteEndpoint };

  constructor(options: ClientOptions, routes: { readonly [Op in Ops]: RouteEndpoint }) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#routes = routes;
  }

  /** Calls `operationId` and decodes its JSON response against the contract. */
  async request<Op extends Ops>(
    operationId: Op,
    input: CallInput = {},
    options: RequestOptions = {},
  ): Promise<ApiResult<ResponseOf<Op>>> {
    const route: RouteEndpoint = this.#routes[operationId];
    const { response, retryCount, fail } = await this.#send(operationId, route, input, options);
    const requestId = response.headers.get('request-id');
    let data: unknown;
    try {
      const text = response.status === 304 ? '' : await response.text();
      data =
        response.status === 304
          ? undefined
          : decodeResponse(text, { operationId, route, status: response.status, requestId, validate: this.validates });
    } catch (error) {
      throw fail(error);
    }
    options.onResponse?.({
      status: response.status,
      headers: response.headers,
      requestId,
      retryCount,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    });
    return { data: data as ResponseOf<Op>, status: response.status, headers: response.headers, requestId };
  }

  /**
   * Calls `operationId` and resolves with just the decoded body.
   *
   * Resources cast the result to the schema's type (`as Promise<Offer>`): `ok()`/`created()` in
   * `contract/routes.ts` type each response schema as plain `ZodMiniType`, so `ResponseOf` is
   * `unknown` until they are made generic. The body is validated against the route's own schema.
   */
  async call<Op extends Ops>(
    operationId: Op,
    input: CallInput = {},
    options: RequestOptions = {},
  ): Promise<ResponseOf<Op>> {
    return (await this.request(operationId, input, options)).data;
  }

  /** Whether responses are checked against the contract (the client's `validateResponses`). */
  get validates(): boolean {
    return this.#options.validateResponses ?? true;
  }

  /** Calls `operationId` and hands back the raw response (streams, NDJSON); error statuses still throw. */
  async raw(operationId: Ops, input: CallInput = {}, options: RequestOptions = {}): Promise<Response> {
    return (await this.#send(operationId, this.#routes[operationId], input, options)).response;
  }

  #url(route: RouteEndpoint, input: CallInput): string {
    const { segments } = shapeOf(route);
    // Literal text at even indexes, parameter names at odd ones.
    let path = segments[0]!;
    for (let index = 1; index < segments.length; index += 2)
      path += encodeURIComponent(input.params?.[segments[index]!] ?? '') + segments[index + 1]!;
    if (input.query === undefined) return path;
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(input.query)) if (value !== undefined) query.set(name, String(value));
    const search = query.toString();
    return search === '' ? path : `${path}?${search}`;
  }

  async #send(operationId: string, route: RouteEndpoint, input: CallInput, options: RequestOptions) {
    const { fetch, logger, onAttempt } = this.#options;
    const pathAndQuery = this.#url(route, input);
    const logPath = redactPath(pathAndQuery);
    const method = route.method;
    const timeout = options.timeout ?? this.#options.timeout ?? DEFAULT_TIMEOUT_MS;
    const signal = options.signal;
    const idempotencyKey = method === 'POST' ? (options.idempotencyKey ?? randomUuid()) : null;
    const { accept } = shapeOf(route);
    const headers: Record<string, string> = {
      accept,
      authorization: `Bearer ${this.#options.apiKey}`,
      ...input.headers,
      ...options.headers,
    };
    if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
    if (this.#options.buyerSession !== undefined) headers['livedrop-buyer-session'] = this.#options.buyerSession;
    const attempt: Attempt = { start: 0, retryCount: 0, reported: false };

    const logs = logger !== undefined || onAttempt !== undefined;
    const report = (status: number | null, response: Response | null, error: unknown) => {
      if (attempt.reported) return;
      attempt.reported = true;
      if (!logs) return;
      const requestId = response ? response.headers.get('request-id') : null;
      const errorName =
        error === undefined
          ? null
          : error instanceof AttemptTimeout
            ? 'TimeoutError'
            : signal?.aborted
              ? 'AbortError'
              : error instanceof Error
                ? error.name
                : 'Error';
      logAttempt(logger, onAttempt, {
        operationId,
        method,
        path: logPath,
        status,
        requestId,
        durationMs: Math.round(performance.now() - attempt.start),
        retryCount: attempt.retryCount,
        idempotencyKey,
        error: status === null ? errorName : null,
      });
    };

    const fail = (error: unknown): LiveDropError => {
      report(null, null, error);
      if (isLiveDropError(error)) return error;
      const what = `${method} ${logPath}`;
      if (signal?.aborted) return new AbortError(`${what} was aborted by its signal.`, { cause: signal.reason });
      if (error instanceof AttemptTimeout)
        return new TimeoutError(
          `${what} got no response within ${timeout} ms (after ${attempt.retryCount + 1} attempt(s)).`,
          timeout,
          { cause: error },
        );
      return new ConnectionError(
        `${what} could not reach ${this.#baseUrl}: ${error instanceof Error ? error.message : String(error)} (after ${attempt.retryCount + 1} attempt(s)).`,
        { cause: error },
      );
    };

    const limit = options.maxRetries ?? this.#options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const url = `${this.#baseUrl}${pathAndQuery}`;
    let body: string | undefined;
    if (input.body !== undefined) {
      body = JSON.stringify(input.body);
      headers['content-type'] = 'application/json';
    }
    try {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        attempt.start = performance.now();
        attempt.reported = false;
        let response: Response;
        try {
          response = await this.#attempt(
            fetch ?? globalThis.fetch,
            url,
            { method, headers, body: body ?? null },
            timeout,
            signal,
          );
          report(response.status, response, undefined);
          // The typed error (status, code, Retry-After) is what the retry decision reads.
          if (response.status >= 400)
            throw errorFromResponse(response.status, response.headers, await response.text(), response.statusText);
          return { response, retryCount: attempt.retryCount, fail };
        } catch (error) {
          report(null, null, error);
          if (signal?.aborted || attempt.retryCount >= limit) throw error;
          const delay = retryDelay(error, attempt.retryCount + 1);
          if (delay === null) throw error;
          await wait(delay, signal);
          attempt.retryCount++;
        }
      }
    } catch (error) {
      throw fail(error);
    }
  }

  /**
   * One attempt: `fetch(url, init)` with a per-attempt timeout, aborted by the caller's signal too.
   * The URL and init go to fetch as they are (no `Request` built first, which fetch would copy).
   */
  async #attempt(
    fetch: typeof globalThis.fetch,
    url: string,
    init: RequestInit,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout(timeout)), timeout);
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    try {
      return await fetch(url, { ...init, signal: controller.signal });
    } catch (error) {
      // A timed-out attempt rejects with the timeout, whatever the fetch made of the abort.
      throw controller.signal.reason instanceof AttemptTimeout ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }
}

/** What a route's every call needs, worked out once: its path split around the parameters, its `Accept`. */
interface RouteShape {
  /** `['/v1/offers/', 'id', '']`: literal text and parameter names, alternating. */
  readonly segments: readonly string[];
  readonly accept: string;
}

const shapes = new WeakMap<RouteEndpoint, RouteShape>();

function shapeOf(route: RouteEndpoint): RouteShape {
  let shape = shapes.get(route);
  if (!shape) {
    const accept =
      Object.values(route.responses).find((response) => response.contentType)?.contentType ?? 'application/json';
    shape = { segments: route.path.split(/\{(\w+)\}/), accept };
    shapes.set(route, shape);
  }
  return shape;
}

/** An attempt that got no response within the timeout (retried; the caller sees `TimeoutError`). */
class AttemptTimeout extends Error {
  override readonly name = 'TimeoutError';
  constructor(timeout: number) {
    super(`no response within ${timeout} ms`);
  }
}

/** Waits `ms` before a retry; the caller's signal ends the wait early (the loop then reports the abort). */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
