import { ApiError } from '../errors/api-error';
import { isLiveDropError, type LiveDropError } from '../errors/live-drop-error';
import { RateLimitError } from '../errors/status-errors';
import { ConnectionError, TimeoutError } from '../errors/transport-errors';
import { RealtimeEmitter, type StreamLifecycleEvents, type StreamState } from './emitter';
import { reconnectDelay } from './reconnect-delay';
import { reconnectManager } from './reconnect-manager';
import { SseParser, type SseMessage } from './sse-parser';
import { streamReadError, type StreamTransport } from './transport';

/** What a stream does with one SSE message. */
export type DecodedMessage =
  /** Deliver `payload` under each of `names`. */
  | { readonly kind: 'deliver'; readonly seq: number; readonly names: readonly string[]; readonly payload: unknown }
  /** The message breaks the contract: report `error`, skip it. */
  | { readonly kind: 'invalid'; readonly error: LiveDropError }
  /** Not for this client (an event name it does not know yet): skip it. */
  | { readonly kind: 'skip' };

/** Tuning of one stream; every field has a default. */
export interface RealtimeStreamOptions {
  /**
   * Resume after this `seq` (an SSE id this stream sent before), e.g. the last one an app stored.
   * @default undefined (from the start of what the stream replays)
   */
  lastEventId?: string | number | undefined;
  /**
   * Milliseconds without a single byte (event or heartbeat comment) after which the connection is
   * taken for dead and replaced; waiting for the response headers counts too. The server sends a
   * heartbeat every 15 s. (A quarter of it more, at most 1 s, is allowed before giving up, so an
   * event loop that was blocked is not mistaken for a dead connection.)
   * @default 45000
   */
  stallTimeoutMs?: number | undefined;
  /**
   * The reconnection delay until the server names one with `retry:`; that one (at least 50 ms)
   * then is the base of the backoff, doubling per failed attempt, with jitter.
   * @default 1000
   */
  initialReconnectDelayMs?: number | undefined;
  /** The longest wait between reconnection attempts. @default 30000 */
  maxReconnectDelayMs?: number | undefined;
  /** Closes the stream when it aborts. @default undefined */
  signal?: AbortSignal | undefined;
  /** How to open connections. @default the client's (streaming `fetch`) */
  transport?: StreamTransport | undefined;
}

/** The default stall timeout: 45 s, three missed heartbeats. */
export const DEFAULT_STALL_TIMEOUT_MS = 45_000;
const DEFAULT_INITIAL_RECONNECT_DELAY_MS = 1000;
const DEFAULT_MAX_RECONNECT_DELAY_MS = 30_000;
/** A server's `retry:` below this is raised to it: `retry: 0` must not become a reconnection loop. */
const MIN_SERVER_RETRY_MS = 50;

/** @internal What a stream connects to and how it reads messages. */
export interface StreamSource {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly transport: StreamTransport;
  readonly decode: (message: SseMessage) => DecodedMessage;
}

const CLOSED = Symbol('closed');
const RECONNECT_NOW = Symbol('reconnect now');

function seqOf(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

function parseCursor(value: string | number | undefined): number {
  if (value === undefined || value === '') return 0;
  const seq = typeof value === 'number' ? value : seqOf(value);
  if (seq === undefined || !Number.isSafeInteger(seq) || seq < 0)
    throw new TypeError(`lastEventId must be a seq (a non-negative integer), not ${JSON.stringify(value)}.`);
  return seq;
}

/** Whether a connection failure ends the stream for good (retrying the same request cannot help). */
function isFinal(error: LiveDropError): boolean {
  if (error instanceof ApiError) return !error.retryable;
  return !(error instanceof ConnectionError || error instanceof TimeoutError);
}

/**
 * A realtime stream: a typed event emitter over a Server-Sent Events connection that it keeps
 * alive. It reconnects after a failure with jittered exponential backoff (the server's `retry:` as
 * the base), resumes after the last event it delivered (`Last-Event-ID`), drops anything at or
 * before that (so every event arrives exactly once, in order), replaces a connection that stalls,
 * and stops for good on an error that retrying cannot fix (401, 403, 404). `close()` ends it and
 * leaves no timer or connection behind.
 */
export class RealtimeStream<Events extends object> extends RealtimeEmitter<Events & StreamLifecycleEvents> {
  readonly #source: StreamSource;
  readonly #stallTimeoutMs: number;
  readonly #maxDelayMs: number;
  readonly #userSignal: AbortSignal | undefined;
  #baseDelayMs: number;
  #lastSeq: number;
  #state: StreamState = 'connecting';
  #connection: AbortController | undefined;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;
  #lastByteAt = 0;
  #wake: (() => void) | undefined;
  readonly #unsubscribe: () => void;
  readonly #onUserAbort = () => this.close();

  /** @internal Made by `client.realtime`. */
  constructor(source: StreamSource, options: RealtimeStreamOptions = {}) {
    super();
    this.#source = source;
    this.#lastSeq = parseCursor(options.lastEventId);
    this.#stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.#baseDelayMs = options.initialReconnectDelayMs ?? DEFAULT_INITIAL_RECONNECT_DELAY_MS;
    this.#maxDelayMs = options.maxReconnectDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS;
    this.#userSignal = options.signal;
    this.#unsubscribe = reconnectManager.subscribe(() => this.#reconnectIfStale());
    this.#userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
    if (this.#userSignal?.aborted) this.close();
    else void this.#run();
  }

  /** Where the stream is: `connecting`, `open`, `reconnecting` or `closed`. */
  get state(): StreamState {
    return this.#state;
  }

  /** The `seq` of the last event delivered (what a reconnection resumes after); undefined before the first. */
  get lastEventId(): string | undefined {
    return this.#lastSeq === 0 ? undefined : String(this.#lastSeq);
  }

  /** Closes the connection and stops reconnecting; no timer or socket is left. Safe to call twice. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#unsubscribe();
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
    this.#disarmStall();
    this.#connection?.abort(CLOSED);
    this.#wake?.();
  }

  // A method, not a comparison: TypeScript would keep `#state` narrowed across the awaits that change it.
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#isClosed()) {
      const failure = await this.#connectOnce();
      if (failure === CLOSED || this.#isClosed()) break;
      if (failure === RECONNECT_NOW) {
        attempt = 0;
        this.#state = 'reconnecting';
        this.deliver('reconnecting', {
          attempt: 1,
          delayMs: 0,
          error: new ConnectionError('Reconnecting at once: the network or the page came back.'),
        });
        continue;
      }
      if (isFinal(failure)) {
        this.close();
        this.deliver('error', failure);
        break;
      }
      attempt = this.#state === 'open' ? 1 : attempt + 1;
      const retryAfter = failure instanceof RateLimitError ? (failure.retryAfterMs ?? 0) : 0;
      const delayMs = Math.max(retryAfter, reconnectDelay(attempt, this.#baseDelayMs, this.#maxDelayMs));
      this.#state = 'reconnecting';
      this.deliver('reconnecting', { attempt, delayMs, error: failure });
      // A listener may have closed the stream.
      if (this.#isClosed()) break;
      await this.#sleep(delayMs);
    }
  }

  /** Opens one connection and reads it until it ends; answers why it ended. */
  async #connectOnce(): Promise<LiveDropError | typeof RECONNECT_NOW | typeof CLOSED> {
    const connection = new AbortController();
    this.#connection = connection;
    const resumedAfter = this.lastEventId;
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.#source.headers };
    if (resumedAfter !== undefined) headers['last-event-id'] = resumedAfter;
    const parser = new SseParser({
      onMessage: (message) => this.#onMessage(message),
      onRetry: (ms) => (this.#baseDelayMs = Math.max(MIN_SERVER_RETRY_MS, ms)),
    });
    // Armed before the request: a server that never answers the headers stalls the stream too.
    this.#armStall(connection);
    try {
      const chunks = await this.#source.transport.open(this.#source.url, {
        headers,
        lastEventId: resumedAfter,
        signal: connection.signal,
      });
      if (connection.signal.aborted) return this.#abortReason(connection.signal);
      this.#lastByteAt = Date.now();
      this.#state = 'open';
      this.deliver('connected', { resumedAfter });
      if (connection.signal.aborted) return this.#abortReason(connection.signal);
      for await (const chunk of chunks) {
        this.#lastByteAt = Date.now();
        parser.feed(chunk);
        if (connection.signal.aborted) break;
      }
      if (connection.signal.aborted) return this.#abortReason(connection.signal);
      return new ConnectionError(`The server ended the stream ${new URL(this.#source.url).pathname}.`);
    } catch (error) {
      if (connection.signal.aborted) return this.#abortReason(connection.signal);
      return streamReadError(error, new URL(this.#source.url).pathname) as LiveDropError;
    } finally {
      this.#disarmStall();
      if (!connection.signal.aborted) connection.abort(CLOSED);
    }
  }

  #abortReason(signal: AbortSignal): LiveDropError | typeof RECONNECT_NOW | typeof CLOSED {
    const reason: unknown = signal.reason;
    if (reason === RECONNECT_NOW || reason === CLOSED) return reason;
    return isLiveDropError(reason) ? reason : new ConnectionError('The stream was aborted.', { cause: reason });
  }

  #onMessage(message: SseMessage): void {
    if (this.#isClosed() || this.#connection?.signal.aborted) return;
    const decoded = this.#source.decode(message);
    if (decoded.kind !== 'deliver') {
      // Skipped or unreadable: step past it anyway, so a reconnection does not fetch it again.
      const seq = seqOf(message.lastEventId);
      if (seq !== undefined && seq > this.#lastSeq) this.#lastSeq = seq;
      if (decoded.kind === 'invalid') this.deliver('error', decoded.error);
      return;
    }
    // A replay after a reconnection may repeat what was delivered: at or before the cursor is a duplicate.
    if (decoded.seq <= this.#lastSeq) return;
    this.#lastSeq = decoded.seq;
    for (const name of decoded.names) this.deliver(name, decoded.payload);
  }

  #armStall(connection: AbortController): void {
    this.#lastByteAt = Date.now();
    let suspectedAt: number | undefined;
    const check = () => {
      const quietFor = Date.now() - this.#lastByteAt;
      if (quietFor < this.#stallTimeoutMs) {
        suspectedAt = undefined;
        this.#stallTimer = setTimeout(check, this.#stallTimeoutMs - quietFor);
        return;
      }
      // Timers run before pending I/O after the event loop was blocked (a busy page, a starved
      // process): look once more after the bytes already waiting have been read.
      if (suspectedAt === undefined || this.#lastByteAt > suspectedAt) {
        suspectedAt = Date.now();
        this.#stallTimer = setTimeout(check, Math.min(1000, this.#stallTimeoutMs / 4));
        return;
      }
      this.#stallTimer = undefined;
      connection.abort(
        new TimeoutError(
          `The stream ${new URL(this.#source.url).pathname} sent nothing (not even a heartbeat) for ${this.#stallTimeoutMs} ms.`,
          this.#stallTimeoutMs,
        ),
      );
    };
    this.#stallTimer = setTimeout(check, this.#stallTimeoutMs);
  }

  #disarmStall(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  /** A reconnect signal: connect now when waiting, or when the connection has gone quiet. */
  #reconnectIfStale(): void {
    if (this.#state === 'reconnecting') {
      this.#wake?.();
      return;
    }
    if (this.#state === 'open' && Date.now() - this.#lastByteAt > this.#stallTimeoutMs / 3)
      this.#connection?.abort(RECONNECT_NOW);
  }
}
