import type { ServerResponse } from 'node:http';
import { encodeRetry } from '../realtime/sse-frame';
import type { SseSubscriber } from '../realtime/sse-subscriber';

/** Options of {@link GracefulDrain.drain}. */
export interface DrainOptions {
  /** The `retry:` (ms) sent to every open SSE stream before it ends: when its client reconnects (elsewhere). */
  readonly retryMs: number;
  /** How long in-flight requests may take to finish; past it the drain resolves anyway. */
  readonly timeoutMs: number;
}

/**
 * What a closing server waits for and what it ends: the exchanges in flight (answered, then
 * counted out when their response closes) and the open SSE streams (ended with a `retry:` hint,
 * so EventSource clients reconnect to another instance instead of waiting for this one).
 */
export class GracefulDrain {
  readonly #inFlight = new Set<ServerResponse>();
  readonly #streams = new Map<ServerResponse, SseSubscriber>();
  #retryMs = 0;
  #draining = false;
  #idle: (() => void) | undefined;

  /** True once {@link drain} began. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Open SSE streams. */
  get streams(): number {
    return this.#streams.size;
  }

  /** Counts `res` in flight until it closes. */
  begin(res: ServerResponse): void {
    this.#inFlight.add(res);
    res.once('close', () => {
      this.#inFlight.delete(res);
      this.#streams.delete(res);
      if (this.#inFlight.size === 0) this.#idle?.();
    });
  }

  /**
   * Takes `res` out of the requests a drain waits for: it is a stream that only ends when told. A
   * stream opened while draining is ended at once.
   */
  stream(res: ServerResponse, subscriber: SseSubscriber): void {
    this.#inFlight.delete(res);
    if (this.#inFlight.size === 0) this.#idle?.();
    if (res.closed) return;
    this.#streams.set(res, subscriber);
    if (this.#draining) this.#endStream(res, subscriber);
  }

  /**
   * Ends every open stream with a `retry:` hint, then resolves once every request in flight has
   * been answered, or after `timeoutMs`, whichever comes first.
   */
  async drain(options: DrainOptions): Promise<void> {
    this.#draining = true;
    this.#retryMs = options.retryMs;
    for (const [res, subscriber] of this.#streams) this.#endStream(res, subscriber);
    if (this.#inFlight.size === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idle = undefined;
        resolve();
      };
      const timer = setTimeout(done, options.timeoutMs);
      this.#idle = done;
    });
  }

  #endStream(res: ServerResponse, subscriber: SseSubscriber): void {
    this.#streams.delete(res);
    // Between two frames (writes are whole frames), so the field is read as one.
    if (!subscriber.ended) res.write(encodeRetry(this.#retryMs));
    subscriber.close();
  }
}
