/** How long a stored response is replayed for its key: 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * How long a request holds its key while it runs. A holder that dies (a crashed instance) never
 * completes nor abandons; once its lease runs out a retry with the same key may run.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

/** A response kept to be replayed for a repeated key. Its size is the response's, never the request's. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What to do with a request that carries an idempotency key. */
export type IdempotencyDecision =
  /** The key is now leased to the caller: run the request, then `complete` or `abandon`. */
  | { readonly kind: 'proceed' }
  /** The same request already ran: answer its stored response. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** The same request is running under another owner's lease: refuse for now (409). */
  | { readonly kind: 'in_use' }
  /** The key was used with a different request (another fingerprint): refuse (422). */
  | { readonly kind: 'reused' };

/**
 * Where idempotency keys live: Stripe's semantics over two records per key, a short in-flight
 * lease held by one owner and then the stored response. Keys are scoped (by API key) by the
 * caller. Every method is async so memory and Redis implement the same interface; `now` is the
 * server's clock, passed in because several servers may share one store.
 *
 * `fingerprint` identifies the request (a SHA-256 hex of method, operation, path, query and
 * body), so a record never holds a request body.
 */
export interface IdempotencyStore {
  /**
   * Leases `scope`/`key` to `owner` for this request, or says why the request cannot run: a
   * stored response to replay, a live lease of another owner (`in_use`), or a different
   * fingerprint (`reused`). An expired lease is taken over.
   */
  begin(scope: string, key: string, fingerprint: string, owner: string, now: number): Promise<IdempotencyDecision>;
  /**
   * Stores `response` for the key (kept {@link IDEMPOTENCY_RETENTION_MS} from `now`), if `owner`
   * still holds its lease. Answers whether it did.
   */
  complete(scope: string, key: string, owner: string, response: StoredResponse, now: number): Promise<boolean>;
  /** Releases `owner`'s lease without storing anything, so a retry can run. Answers whether it held one. */
  abandon(scope: string, key: string, owner: string): Promise<boolean>;
  /** Forgets stored responses past their retention and leases past their end; answers how many. */
  sweep(now: number): Promise<number>;
  /** Forgets every key (the control API's reset). */
  clear(): Promise<void>;
}
