import type { RealtimeOptions } from '../realtime/realtime';
/**
 * Where the client writes one line per HTTP attempt. `console` fits, as do pino and winston
 * loggers. Lines never contain the API key, client secrets or tokens.
 */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** One HTTP attempt, for logs and telemetry (see {@link ClientOptions.onAttempt}). */
export interface AttemptInfo {
  /** The contract's operation id, e.g. `createReservation`. */
  readonly operationId: string;
  readonly method: string;
  /** Path and query, with secrets (`clientSecret`, tokens) redacted. */
  readonly path: string;
  /** The response status; null when no response arrived (connection error, timeout, abort). */
  readonly status: number | null;
  /** The response's `Request-Id`, when there was one. */
  readonly requestId: string | null;
  readonly durationMs: number;
  /** 0 for the first attempt, 1 for the first retry, … */
  readonly retryCount: number;
  /** The `Idempotency-Key` sent (every POST has one; the same on all its retries). */
  readonly idempotencyKey: string | null;
  /** The error's name when the attempt failed without a response, e.g. `TimeoutError`. */
  readonly error: string | null;
}

/** The final response of a successful call (see {@link RequestOptions.onResponse}). */
export interface ResponseMeta {
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string | null;
  /** Retries it took (0 when the first attempt succeeded). */
  readonly retryCount: number;
  /** True when the server replayed the first response for a repeated `Idempotency-Key`. */
  readonly replayed: boolean;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The API key: `sk_…` (platform, server only), `pk_…` (publishable), `ck_…` (creator) or `mk_…` (moderator). */
  apiKey: string;
  /**
   * A buyer session credential (`bs_…`) your backend minted with `buyerSessions.create` and handed
   * to the page: sent as `LiveDrop-Buyer-Session` beside a publishable key, it is how the server
   * knows which buyer the browser acts for (offer tokens, reservations). A publishable key cannot
   * name a buyer itself. Leave it out with a secret key, which names `buyerId` directly.
   * @default undefined
   */
  buyerSession?: string | undefined;
  /**
   * The API's base URL, e.g. the reference server's `http://127.0.0.1:4010`. A path prefix is kept
   * (`https://gw.example.com/livedrop` calls `https://gw.example.com/livedrop/v1/...`).
   */
  baseUrl: string;
  /**
   * The fetch to call, for runtimes without a global one, proxies, or tests.
   * @default globalThis.fetch (looked up on each call, so test interceptors installed later apply)
   */
  fetch?: typeof fetch | undefined;
  /**
   * Milliseconds to wait for each attempt's response before giving up on it (it is retried).
   * @default 30000
   */
  timeout?: number | undefined;
  /**
   * Retries after a connection error, timeout, 408, 409 `idempotency_key_in_use`, 429 or 5xx.
   * POSTs are retried too: each carries an `Idempotency-Key`, reused across its retries.
   * @default 2
   */
  maxRetries?: number | undefined;
  /** Gets one line per attempt (method, path, status, `Request-Id`, duration, retry count). @default undefined (silent) */
  logger?: Logger | undefined;
  /** Called once per attempt with what the logger sees, for metrics and tracing. @default undefined */
  onAttempt?: ((attempt: AttemptInfo) => void) | undefined;
  /**
   * Allow a secret (`sk_`) key where a DOM exists. A secret key in a page is readable by anyone who
   * opens it; use a publishable key in browsers and keep the secret key on your server.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * Check every response body against the contract's schema and throw `ResponseValidationError`
   * naming the field that does not match. Turn off only to talk to a newer server from an old client.
   * @default true
   */
  validateResponses?: boolean | undefined;
  /**
   * Defaults for every realtime stream of this client: `transport`, `stallTimeoutMs`,
   * `initialReconnectDelayMs`, `maxReconnectDelayMs` (each stream's own options win).
   * @default undefined
   */
  realtime?: RealtimeOptions | undefined;
}

/** Options every method takes as its last argument. */
export interface RequestOptions {
  /**
   * The `Idempotency-Key` of a POST. One is generated (`crypto.randomUUID()`) when absent; pass
   * your own to make a retry that you schedule yourself (after a crash, from a queue) safe too.
   * @default crypto.randomUUID()
   */
  idempotencyKey?: string | undefined;
  /** Aborts the call, including any backoff wait; it then rejects with `AbortError` and is not retried. @default undefined */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds for this call. @default the client's `timeout` */
  timeout?: number | undefined;
  /** Retries for this call. @default the client's `maxRetries` */
  maxRetries?: number | undefined;
  /** Extra headers for this call. @default undefined */
  headers?: Record<string, string> | undefined;
  /** Called with the final response (status, headers such as `ETag`, `Request-Id`). @default undefined */
  onResponse?: ((response: ResponseMeta) => void) | undefined;
}
