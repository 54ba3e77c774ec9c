/** What a shared cache may do with a response, read from its `Cache-Control` (RFC 9111). */
export interface CachePolicy {
  /** Whether a shared cache may keep it at all (`no-store`, `private` or no `Cache-Control` say no). */
  readonly storable: boolean;
  /** How long the copy answers without asking the origin (`s-maxage`, else `max-age`; 0 with `no-cache`). */
  readonly maxAgeMs: number;
  /** How long after that a stale copy may still answer while the cache refetches in the background. */
  readonly staleWhileRevalidateMs: number;
}

/** A response no shared cache keeps. */
export const NOT_STORABLE: CachePolicy = { storable: false, maxAgeMs: 0, staleWhileRevalidateMs: 0 };

function seconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value) * 1000;
}

/**
 * Parses `Cache-Control` for a shared cache. Without the header nothing is stored: the edge uses
 * no heuristic freshness, so only what the origin explicitly allows is cached.
 * @example parseCacheControl('public, max-age=2, stale-while-revalidate=10') // { storable: true, maxAgeMs: 2000, staleWhileRevalidateMs: 10000 }
 */
export function parseCacheControl(header: string | null): CachePolicy {
  if (header === null) return NOT_STORABLE;
  const directives = new Map<string, string | undefined>();
  for (const part of header.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    directives.set(
      name,
      rest.length === 0
        ? undefined
        : rest
            .join('=')
            .trim()
            .replace(/^"(.*)"$/, '$1'),
    );
  }
  if (directives.has('no-store') || directives.has('private')) return NOT_STORABLE;
  const maxAge = seconds(directives.get('s-maxage')) ?? seconds(directives.get('max-age'));
  const noCache = directives.has('no-cache');
  if (maxAge === null && !noCache && !directives.has('public')) return NOT_STORABLE;
  return {
    storable: true,
    maxAgeMs: noCache ? 0 : (maxAge ?? 0),
    staleWhileRevalidateMs:
      noCache || directives.has('must-revalidate') ? 0 : (seconds(directives.get('stale-while-revalidate')) ?? 0),
  };
}
