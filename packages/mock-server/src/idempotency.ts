import type { Clock } from './clock';

/** How long an idempotency key is remembered: 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A response kept to be replayed for a repeated key. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Entry =
  | { readonly state: 'in_flight'; readonly fingerprint: string; readonly createdAt: number }
  | {
      readonly state: 'done';
      readonly fingerprint: string;
      readonly createdAt: number;
      readonly response: StoredResponse;
    };

/** What to do with a request that carries an idempotency key. */
export type IdempotencyDecision =
  | { readonly kind: 'proceed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in_use' }
  | { readonly kind: 'reused' };

/**
 * Stripe's idempotency semantics: the same key and body replay the first response; the same key
 * with another body is refused; a key whose first request is still running is refused for now.
 * Keys are scoped by API key and forgotten after {@link IDEMPOTENCY_RETENTION_MS} on the injected clock.
 */
export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Claims `scope:key` for this request, or says why it can't run. */
  begin(scope: string, key: string, fingerprint: string): IdempotencyDecision {
    const id = `${scope}:${key}`;
    const now = this.#clock.now();
    const entry = this.#entries.get(id);
    if (entry && now - entry.createdAt < IDEMPOTENCY_RETENTION_MS) {
      if (entry.fingerprint !== fingerprint) return { kind: 'reused' };
      if (entry.state === 'in_flight') return { kind: 'in_use' };
      return { kind: 'replay', response: entry.response };
    }
    this.#entries.set(id, { state: 'in_flight', fingerprint, createdAt: now });
    return { kind: 'proceed' };
  }

  /** Records the response that later repeats will replay. */
  complete(scope: string, key: string, response: StoredResponse): void {
    const id = `${scope}:${key}`;
    const entry = this.#entries.get(id);
    if (entry)
      this.#entries.set(id, { state: 'done', fingerprint: entry.fingerprint, createdAt: entry.createdAt, response });
  }

  /** Forgets a claim whose request changed nothing (a refusal before execution or a crash), so a retry can run. */
  abandon(scope: string, key: string): void {
    this.#entries.delete(`${scope}:${key}`);
  }

  /** Drops keys past their retention. */
  sweep(): void {
    const cutoff = this.#clock.now() - IDEMPOTENCY_RETENTION_MS;
    for (const [id, entry] of this.#entries) if (entry.createdAt <= cutoff) this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
