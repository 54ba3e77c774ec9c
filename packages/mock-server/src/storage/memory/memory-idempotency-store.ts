import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyDecision,
  type IdempotencyStore,
  type StoredResponse,
} from '../idempotency-store';

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long an in-flight request holds its key. @default {@link IDEMPOTENCY_LEASE_MS} (60 s) */
  leaseMs?: number;
  /** How long a stored response is replayed. @default {@link IDEMPOTENCY_RETENTION_MS} (24 h) */
  retentionMs?: number;
  /** How often (on the `now` the callers pass) `begin` also sweeps expired keys. @default 60 000 */
  sweepIntervalMs?: number;
}

type IdempotencyRecord =
  | { readonly state: 'leased'; readonly fingerprint: string; readonly owner: string; readonly expiresAt: number }
  | {
      readonly state: 'stored';
      readonly fingerprint: string;
      readonly response: StoredResponse;
      readonly expiresAt: number;
    };

class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, IdempotencyRecord>();
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  readonly #sweepIntervalMs: number;
  #nextSweep = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryIdempotencyStoreOptions) {
    this.#leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
    this.#retentionMs = options.retentionMs ?? IDEMPOTENCY_RETENTION_MS;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  async begin(
    scope: string,
    key: string,
    fingerprint: string,
    owner: string,
    now: number,
  ): Promise<IdempotencyDecision> {
    // Forgetting old keys scans them all, so it rides along with a begin at most once an interval.
    if (now >= this.#nextSweep) this.#sweepNow(now);
    const id = idOf(scope, key);
    const record = this.#records.get(id);
    if (record && now < record.expiresAt) {
      if (record.fingerprint !== fingerprint) return { kind: 'reused' };
      return record.state === 'leased' ? { kind: 'in_use' } : { kind: 'replay', response: record.response };
    }
    this.#records.set(id, { state: 'leased', fingerprint, owner, expiresAt: now + this.#leaseMs });
    return { kind: 'proceed' };
  }

  async complete(scope: string, key: string, owner: string, response: StoredResponse, now: number): Promise<boolean> {
    const id = idOf(scope, key);
    const record = this.#records.get(id);
    if (record?.state !== 'leased' || record.owner !== owner) return false;
    this.#records.set(id, {
      state: 'stored',
      fingerprint: record.fingerprint,
      response,
      expiresAt: now + this.#retentionMs,
    });
    return true;
  }

  async abandon(scope: string, key: string, owner: string): Promise<boolean> {
    const id = idOf(scope, key);
    const record = this.#records.get(id);
    if (record?.state !== 'leased' || record.owner !== owner) return false;
    this.#records.delete(id);
    return true;
  }

  async sweep(now: number): Promise<number> {
    return this.#sweepNow(now);
  }

  async clear(): Promise<void> {
    this.#records.clear();
  }

  #sweepNow(now: number): number {
    this.#nextSweep = now + this.#sweepIntervalMs;
    let forgotten = 0;
    for (const [id, record] of this.#records) {
      if (record.expiresAt > now) continue;
      this.#records.delete(id);
      forgotten++;
    }
    return forgotten;
  }
}

/** One key of one scope; `\u0000` cannot appear in a header value, so ids never collide. */
function idOf(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

/**
 * An idempotency store in this process's memory: the default of a single server, and the one
 * several servers in one process can share (pass the same store to each).
 * @example
 * const idempotency = createMemoryIdempotencyStore({ leaseMs: 30_000 });
 * const server = createReferenceServer({ storage: (context) => new MemoryStorage({ ...context, idempotency }) });
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  return new MemoryIdempotencyStore(options);
}
