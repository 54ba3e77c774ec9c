import type { Engine } from '../engine';
import type { EventLog } from '../event-log';
import { edgeOptions } from './edge-options';

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
  const { publicMaxAgeSeconds, publicStaleWhileRevalidateSeconds } = edgeOptions(engine);
  return { etag, 'cache-control': `public, max-age=${publicMaxAgeSeconds}, stale-while-revalidate=${publicStaleWhileRevalidateSeconds}`, vary: 'Authorization' };
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

/** Cached views per event log; at most this many per log, oldest dropped first. */
const MAX_VIEWS_PER_LOG = 1024;
const views = new WeakMap<EventLog, Map<string, CachedView & { readonly revision: number }>>();

/**
 * The serialized view named `key` in `tenantId`'s log, rebuilt only when the log moved. Every change
 * a view can show appends an event, so the log's head is the view's revision: while it has not moved,
 * a read (200 or 304) reuses the bytes instead of rebuilding, serializing and hashing.
 */
export function cachedView(engine: Engine, tenantId: string, key: string, build: () => unknown): CachedView {
  const log = engine.log(tenantId);
  let cache = views.get(log);
  if (!cache) views.set(log, (cache = new Map()));
  const hit = cache.get(key);
  if (hit?.revision === log.headSeq) return hit;
  const body = JSON.stringify(build());
  const fresh = { revision: log.headSeq, body, etag: etagOf(body) };
  cache.delete(key);
  cache.set(key, fresh);
  if (cache.size > MAX_VIEWS_PER_LOG) cache.delete(cache.keys().next().value!);
  return fresh;
}
