import type { AttemptInfo, Logger } from './options';

/** Writes one line per attempt: quiet for successes, louder for what a retry or a human should see. */
export function logAttempt(
  logger: Logger | undefined,
  onAttempt: ((attempt: AttemptInfo) => void) | undefined,
  attempt: AttemptInfo,
): void {
  if (logger) {
    const outcome = attempt.status === null ? (attempt.error ?? 'no response') : String(attempt.status);
    const request = attempt.requestId ? ` request=${attempt.requestId}` : '';
    const line = `livedrop ${attempt.method} ${attempt.path} → ${outcome} in ${attempt.durationMs}ms retry=${attempt.retryCount}${request}`;
    const status = attempt.status ?? 599;
    const level = status < 400 ? 'debug' : status === 429 || status >= 500 ? 'warn' : 'info';
    logger[level](line, { ...attempt });
  }
  onAttempt?.(attempt);
}
