import type { Engine } from '../engine';

/*
 * Caching of the views a CDN may share. The rule: only what a publishable key reads is `public`,
 * and only views made of public data reach that key. Everything else — secret-key views, buyer
 * objects, errors — is `private, no-store` (the pipeline's default), so no shared cache keeps it.
 */

/** `Cache-Control` of every response that is not a public view. */
export const PRIVATE_NO_STORE = 'private, no-store';

/**
 * Headers of a public view: short freshness with `stale-while-revalidate`, a strong ETag, and
 * `Vary: Authorization` because the view depends on the key (its tenant and role).
 */
export function publicCacheHeaders(engine: Engine, etag: string): Record<string, string> {
  const { publicMaxAgeSeconds, publicStaleWhileRevalidateSeconds } = engine.config.edge;
  return {
    etag,
    'cache-control': `public, max-age=${publicMaxAgeSeconds}, stale-while-revalidate=${publicStaleWhileRevalidateSeconds}`,
    vary: 'Authorization',
  };
}

/** Headers of a view only its caller may keep (a secret, creator or moderator key's). */
export function privateViewHeaders(etag: string): Record<string, string> {
  return { etag, 'cache-control': PRIVATE_NO_STORE, vary: 'Authorization' };
}

/**
 * A strong ETag for a serialized body: two 32-bit multiply-xor lanes (cyrb53's mixing) and the
 * length. Not cryptographic, and needn't be: it only tells a client whether its copy is current.
 */
export function etagOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `"${text.length.toString(16)}-${hex(h2)}${hex(h1)}"`;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function noneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A serialized view and its ETag. */
export interface CachedView {
  readonly body: string;
  readonly etag: string;
}

/**
 * Where a tenant's views stood when a reader looked: the tenant log's head `seq`, and the cache's
 * epoch (moved by {@link ViewCache.clear}, since a reset starts the logs over at seq 0).
 */
export interface ViewRevision {
  readonly epoch: number;
  readonly seq: number;
}

/** Cached views per tenant when the engine sets no other bound; beyond it the oldest go first. */
export const MAX_VIEWS_PER_TENANT = 1024;

/**
 * Serialized views (a hydrated session, a listing) by tenant and view key, each valid while its
 * tenant's log has not moved. Every change a view can show appends an event, so the log's head is
 * the view's revision: while it has not moved, a read (200 or 304) reuses the bytes instead of
 * rebuilding, serializing and hashing. The engine owns one ({@link Engine.views}).
 *
 * Read the revision BEFORE the records a view is built from: a change committed in between then
 * only makes the cached view newer than its revision says (the next reader rebuilds it), never
 * older.
 * @example
 * const revision = await engine.views.revision(engine, tenantId);
 * const view = engine.views.view(tenantId, `session/${id}/public`, revision, () => buildSessionView(...));
 */
export class ViewCache {
  readonly #byTenant = new Map<string, Map<string, CachedView & { readonly seq: number }>>();
  readonly #maxPerTenant: number;
  #epoch = 0;

  /** @param maxPerTenant views kept per tenant, oldest dropped first. @default {@link MAX_VIEWS_PER_TENANT} */
  constructor(maxPerTenant = MAX_VIEWS_PER_TENANT) {
    this.#maxPerTenant = maxPerTenant;
  }

  /** The revision of `tenantId`'s views now: its log's head. */
  async revision(engine: Engine, tenantId: string): Promise<ViewRevision> {
    const epoch = this.#epoch;
    return { epoch, seq: await engine.storage.events.head(tenantId) };
  }

  /**
   * The view `key` of `tenantId` at `revision`: the cached bytes when they were made at that
   * revision, else `build()` serialized (and kept, unless a {@link clear} came since the revision
   * was read).
   */
  view(tenantId: string, key: string, revision: ViewRevision, build: () => unknown): CachedView {
    const current = revision.epoch === this.#epoch;
    let views = this.#byTenant.get(tenantId);
    const hit = current ? views?.get(key) : undefined;
    if (hit?.seq === revision.seq) return hit;
    const body = JSON.stringify(build());
    const fresh = { seq: revision.seq, body, etag: etagOf(body) };
    if (!current) return fresh;
    if (!views) this.#byTenant.set(tenantId, (views = new Map()));
    // Deleted first so the Map's order stays the order views were (re)built, oldest first.
    views.delete(key);
    views.set(key, fresh);
    if (views.size > this.#maxPerTenant) views.delete(views.keys().next().value!);
    return fresh;
  }

  /** Forgets every view; revisions read before this are not cached any more. Called on reset. */
  clear(): void {
    this.#epoch++;
    this.#byTenant.clear();
  }
}
