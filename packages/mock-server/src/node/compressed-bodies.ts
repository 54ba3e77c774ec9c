import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ContentCoding } from './content-coding';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Compressed bodies kept, most recently used last: a few views, each in up to two codings. */
const COMPRESSED_BODIES = 32;

/**
 * Brotli at quality 5: most of quality 11's gain at a small part of its time, the usual setting for
 * bodies compressed on the fly (quality 11 takes tens of ms for a 150 KiB hydrate).
 */
const BROTLI_OPTIONS = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};

/** One cached encoding: the body it was made from, and its bytes (a promise, so concurrent askers share one job). */
interface Entry {
  readonly source: string;
  readonly bytes: Promise<Buffer>;
}

/**
 * The compressed bytes of the view bodies one running server answered last, so that a view is
 * compressed once per version and coding however many clients read it. An entry is keyed by the
 * body's `ETag` (its version) and coding, and used only for the very body it was made from (the
 * same string: a cached view is one string per version), so two bodies that share a tag never mix.
 * Compression runs on libuv's thread pool, off the event loop.
 */
export class CompressedBodies {
  readonly #entries = new Map<string, Entry>();

  /** `body` in `coding` (`br` or `gzip`); `etag` is its version, or `null` to key on the body itself. */
  encode(body: string, etag: string | null, coding: Exclude<ContentCoding, 'identity'>): Promise<Buffer> {
    const key = `${coding} ${etag ?? body}`;
    const entries = this.#entries;
    let entry = entries.get(key);
    if (entry && entry.source === body) entries.delete(key);
    else entry = { source: body, bytes: coding === 'br' ? brotli(body, BROTLI_OPTIONS) : gzipped(body) };
    entries.set(key, entry);
    if (entries.size > COMPRESSED_BODIES) entries.delete(entries.keys().next().value!);
    // A failed job is not kept: the next request tries again.
    entry.bytes.catch(() => entries.get(key) === entry && entries.delete(key));
    return entry.bytes;
  }
}
