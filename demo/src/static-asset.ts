import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** What {@link createStaticAsset} serves. */
export interface StaticAssetOptions {
  readonly body: Buffer;
  readonly contentType: string;
  /** The `Cache-Control` header. */
  readonly cacheControl: string;
}

/** A file served from memory: compressed once, negotiated per request, revalidated by ETag. */
export interface StaticAsset {
  /** Answers a GET or HEAD for the asset (200, or 304 when the client's copy is current). */
  respond(req: IncomingMessage, res: ServerResponse): void;
}

type Coding = 'br' | 'gzip' | 'identity';

/** The q-value the `Accept-Encoding` header gives `coding` (0 when refused or absent). */
function quality(header: string, coding: Coding): number {
  let wildcard: number | null = null;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const value = q === undefined ? 1 : Number(q);
    if (name === coding) return value;
    if (name === '*') wildcard = value;
  }
  // identity is acceptable unless refused explicitly (RFC 9110 §12.5.3).
  return wildcard ?? (coding === 'identity' ? 1 : 0);
}

/** The coding to answer with: brotli, then gzip, then none. */
function negotiate(header: string | undefined): Coding {
  if (!header) return 'identity';
  for (const coding of ['br', 'gzip'] as const) if (quality(header, coding) > 0) return coding;
  return 'identity';
}

/**
 * Compresses `body` once, with brotli and with gzip, and serves whichever the client accepts,
 * with `Vary: Accept-Encoding`, the given `Cache-Control` and an ETag per encoding.
 */
export function createStaticAsset(options: StaticAssetOptions): StaticAsset {
  const hash = createHash('sha256').update(options.body).digest('base64url').slice(0, 22);
  const variants: Record<Coding, { body: Buffer; etag: string }> = {
    br: {
      body: brotliCompressSync(options.body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: options.body.length,
        },
      }),
      etag: `"${hash}-br"`,
    },
    gzip: { body: gzipSync(options.body, { level: 9 }), etag: `"${hash}-gz"` },
    identity: { body: options.body, etag: `"${hash}"` },
  };
  return {
    respond(req, res) {
      const coding = negotiate(req.headers['accept-encoding']);
      const variant = variants[coding];
      const headers: Record<string, string | number> = {
        'content-type': options.contentType,
        'cache-control': options.cacheControl,
        etag: variant.etag,
        vary: 'Accept-Encoding',
      };
      if (coding !== 'identity') headers['content-encoding'] = coding;
      const known = (req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (known.includes(variant.etag) || known.includes('*')) {
        res.writeHead(304, headers).end();
        return;
      }
      headers['content-length'] = variant.body.length;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : variant.body);
    },
  };
}
