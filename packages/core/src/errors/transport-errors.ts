import { LiveDropError } from './live-drop-error';

/** The request never got a response: DNS, refused or torn connection. Retried automatically. */
export class ConnectionError extends LiveDropError {
  override readonly name = 'ConnectionError';
}

/** No response arrived within the timeout (per attempt). Retried automatically. */
export class TimeoutError extends LiveDropError {
  override readonly name = 'TimeoutError';
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. Never retried. The signal's reason is the `cause`. */
export class AbortError extends LiveDropError {
  override readonly name = 'AbortError';
}
