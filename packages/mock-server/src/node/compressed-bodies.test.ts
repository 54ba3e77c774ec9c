import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CompressedBodies } from './compressed-bodies';

const view = (version: number) => JSON.stringify({ version, offers: Array.from({ length: 50 }, (_, i) => ({ i })) });

describe('CompressedBodies', () => {
  it('compresses a view once per version and coding, and each coding decodes to the body', async () => {
    const bodies = new CompressedBodies();
    const body = view(1);
    const gzip = bodies.encode(body, '"v1"', 'gzip');
    const br = bodies.encode(body, '"v1"', 'br');
    // The same bytes, not a second compression: concurrent and later readers share one job.
    expect(bodies.encode(body, '"v1"', 'gzip')).toBe(gzip);
    expect(bodies.encode(body, '"v1"', 'br')).toBe(br);
    expect(gunzipSync(await gzip).toString('utf8')).toBe(body);
    expect(brotliDecompressSync(await br).toString('utf8')).toBe(body);

    const next = view(2);
    const changed = bodies.encode(next, '"v2"', 'gzip');
    expect(changed).not.toBe(gzip);
    expect(gunzipSync(await changed).toString('utf8')).toBe(next);
  });

  it('never answers the bytes of another body that came with the same tag', async () => {
    const bodies = new CompressedBodies();
    await bodies.encode(view(1), '"same"', 'gzip');
    const other = view(2);
    expect(gunzipSync(await bodies.encode(other, '"same"', 'gzip')).toString('utf8')).toBe(other);
  });

  it('keys a body without a tag on the body itself', async () => {
    const bodies = new CompressedBodies();
    const body = view(3);
    expect(bodies.encode(body, null, 'br')).toBe(bodies.encode(body, null, 'br'));
  });
});
