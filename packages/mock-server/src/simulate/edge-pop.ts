import { NOT_STORABLE, parseCacheControl, type CachePolicy } from './cache-control';
import { headerBytes, type OriginFetch, type OriginReply } from './origin-fetch';

/**
 * How the edge answered a viewer: from its copy (`hit`), from a stale copy while it refetches in
 * the background (`stale`), after asking the origin (`miss`: no copy; `revalidated`: the copy was
 * too old and was checked with `If-None-Match`), or by passing an uncacheable request through (`pass`).
 */
export type EdgeOutcome = 'hit' | 'stale' | 'miss' | 'revalidated' | 'pass';

/** The edge's answer to one viewer request. */
export interface EdgeReply {
  readonly status: number;
  readonly outcome: EdgeOutcome;
  /** Bytes sent to the viewer. */
  readonly bytes: number;
  /** The ETag of what the viewer now holds, or null. */
  readonly etag: string | null;
  /** The origin's answer when the request went there in the foreground; else null. */
  readonly origin: OriginReply | null;
  /** What the origin allowed for the copy the edge answered from (after this request). */
  readonly policy: CachePolicy;
}

interface Entry {
  readonly body: Uint8Array;
  readonly etag: string | null;
  /** Headers replayed to viewers (content type, ETag, caching). */
  readonly headers: Headers;
  storedAtMs: number;
  policy: CachePolicy;
  refreshing: boolean;
}

/** Headers of the origin's answer an edge repeats to viewers. */
const REPLAYED_HEADERS = ['content-type', 'etag', 'cache-control', 'vary'];

/**
 * One edge point of presence: a shared HTTP cache in front of the origin, keyed by path and the
 * request headers the origin's `Vary` names. It honours `max-age`/`s-maxage`, `no-cache`,
 * `stale-while-revalidate` and revalidates with `If-None-Match` (a 304 refreshes the copy). Time is
 * the simulation's (the server's injected clock), not the wall clock. Concurrent misses are not
 * collapsed: each goes to the origin, as on a cache without request collapsing.
 */
export class EdgePop {
  readonly #origin: OriginFetch;
  readonly #now: () => number;
  readonly #onBackground: (reply: OriginReply) => void;
  readonly #entries = new Map<string, Entry>();
  readonly #vary = new Map<string, readonly string[]>();
  readonly #pending = new Set<Promise<void>>();

  /**
   * @param origin how the POP reaches the origin
   * @param now the simulation's clock (epoch ms)
   * @param onBackground told of every origin answer the POP fetched on its own (background revalidation)
   */
  constructor(origin: OriginFetch, now: () => number, onBackground: (reply: OriginReply) => void) {
    this.#origin = origin;
    this.#now = now;
    this.#onBackground = onBackground;
  }

  #key(path: string, headers: Readonly<Record<string, string>>): string {
    const names = this.#vary.get(path) ?? [];
    return [path, ...names.map((name) => `${name}:${headers[name] ?? ''}`)].join('\n');
  }

  #store(path: string, headers: Readonly<Record<string, string>>, reply: OriginReply): CachePolicy {
    const policy = reply.status === 200 ? parseCacheControl(reply.headers.get('cache-control')) : NOT_STORABLE;
    const vary = (reply.headers.get('vary') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    if (!policy.storable || vary.includes('*')) return NOT_STORABLE;
    this.#vary.set(path, vary);
    const kept = new Headers();
    for (const name of REPLAYED_HEADERS) {
      const value = reply.headers.get(name);
      if (value !== null) kept.set(name, value);
    }
    this.#entries.set(this.#key(path, headers), {
      body: reply.body,
      etag: reply.headers.get('etag'),
      headers: kept,
      storedAtMs: this.#now(),
      policy,
      refreshing: false,
    });
    return policy;
  }

  /** Applies a 304 to the copy: it is fresh again, under the policy the 304 carries. */
  #refresh(entry: Entry, reply: OriginReply): void {
    entry.storedAtMs = this.#now();
    const header = reply.headers.get('cache-control');
    if (header !== null) entry.policy = parseCacheControl(header);
  }

  /** Asks the origin about `entry` with its ETag; a 200 replaces it, a 304 refreshes it. */
  async #revalidate(
    path: string,
    headers: Readonly<Record<string, string>>,
    entry: Entry,
  ): Promise<{ reply: OriginReply; policy: CachePolicy }> {
    const reply = await this.#origin(path, {
      authorization: headers.authorization ?? '',
      ...(entry.etag ? { 'if-none-match': entry.etag } : {}),
    });
    if (reply.status === 304) {
      this.#refresh(entry, reply);
      return { reply, policy: entry.policy };
    }
    this.#entries.delete(this.#key(path, headers));
    return { reply, policy: this.#store(path, headers, reply) };
  }

  /** The viewer's answer from a copy: 304 when the viewer already holds it, else the body. */
  #fromCopy(entry: Entry, viewerEtag: string | undefined): { status: number; bytes: number; etag: string | null } {
    if (viewerEtag !== undefined && entry.etag !== null && viewerEtag === entry.etag)
      return { status: 304, bytes: headerBytes(entry.headers), etag: entry.etag };
    return { status: 200, bytes: headerBytes(entry.headers) + entry.body.byteLength, etag: entry.etag };
  }

  /**
   * Answers a viewer's GET. `headers` are lower-case; `if-none-match` is the viewer's own ETag,
   * answered by the edge from its copy.
   */
  async get(path: string, headers: Readonly<Record<string, string>>): Promise<EdgeReply> {
    const { 'if-none-match': viewerEtag, ...forwarded } = headers;
    const entry = this.#entries.get(this.#key(path, forwarded));
    if (entry) {
      const age = this.#now() - entry.storedAtMs;
      if (age < entry.policy.maxAgeMs)
        return { ...this.#fromCopy(entry, viewerEtag), outcome: 'hit', origin: null, policy: entry.policy };
      if (age < entry.policy.maxAgeMs + entry.policy.staleWhileRevalidateMs) {
        if (!entry.refreshing) this.#background(path, forwarded, entry);
        return { ...this.#fromCopy(entry, viewerEtag), outcome: 'stale', origin: null, policy: entry.policy };
      }
      const { reply, policy } = await this.#revalidate(path, forwarded, entry);
      const current = this.#entries.get(this.#key(path, forwarded));
      if (current) return { ...this.#fromCopy(current, viewerEtag), outcome: 'revalidated', origin: reply, policy };
      return {
        status: reply.status,
        bytes: reply.wireBytes,
        etag: reply.headers.get('etag'),
        outcome: 'revalidated',
        origin: reply,
        policy,
      };
    }
    const reply = await this.#origin(path, forwarded);
    const policy = this.#store(path, forwarded, reply);
    const stored = this.#entries.get(this.#key(path, forwarded));
    if (stored) return { ...this.#fromCopy(stored, viewerEtag), outcome: 'miss', origin: reply, policy };
    return {
      status: reply.status,
      bytes: reply.wireBytes,
      etag: reply.headers.get('etag'),
      outcome: policy.storable ? 'miss' : 'pass',
      origin: reply,
      policy,
    };
  }

  #background(path: string, headers: Readonly<Record<string, string>>, entry: Entry): void {
    entry.refreshing = true;
    const done = this.#revalidate(path, headers, entry)
      .then(({ reply }) => this.#onBackground(reply))
      .finally(() => {
        entry.refreshing = false;
        this.#pending.delete(done);
      });
    this.#pending.add(done);
  }

  /**
   * Fetches `path` into the cache ahead of demand (warm-up): a conditional request when a copy
   * exists, a plain one otherwise.
   * @returns the origin's answer
   */
  async prefetch(path: string, headers: Readonly<Record<string, string>>): Promise<OriginReply> {
    const entry = this.#entries.get(this.#key(path, headers));
    if (entry) return (await this.#revalidate(path, headers, entry)).reply;
    const reply = await this.#origin(path, headers);
    this.#store(path, headers, reply);
    return reply;
  }

  /** Whether the copy of `path` is missing or no longer fresh (a warm cache refreshes it ahead of demand). */
  needsRefresh(path: string, headers: Readonly<Record<string, string>>): boolean {
    const entry = this.#entries.get(this.#key(path, headers));
    return !entry || this.#now() - entry.storedAtMs >= entry.policy.maxAgeMs;
  }

  /** Resolves once every background revalidation started so far has finished. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
