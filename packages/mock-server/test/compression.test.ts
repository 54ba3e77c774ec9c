import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld, usd } from './support/drop-world';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire, not decoded. */
  readonly bytes: Buffer;
}

/** A GET that keeps the body's bytes as sent (fetch would decode them). */
function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function decoded(res: RawResponse): string {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.bytes).toString('utf8');
  if (coding === 'gzip') return gunzipSync(res.bytes).toString('utf8');
  expect(coding).toBeUndefined();
  return res.bytes.toString('utf8');
}

describe('compression of the hydrate and the listings', () => {
  it('sends a 200-offer hydrate in br or gzip as Accept-Encoding asks, with Vary: Accept-Encoding', async () => {
    await using world = await startDropWorld({ rateLimits: false });
    const session = await world.liveSession();
    for (let index = 0; index < 200; index++)
      await world.liveOffer(session.id, { sku: `NW-${index}`, title: `Storm Parka no. ${index}`, price: usd(12_900) });
    const url = `${world.ld.url}/v1/sessions/${session.id}`;
    const get = (acceptEncoding: string | undefined, key = world.keys.secretKey) =>
      rawGet(url, {
        authorization: `Bearer ${key}`,
        ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
      });

    const identity = await get(undefined);
    const gzip = await get('gzip, deflate');
    const br = await get('gzip, deflate, br');
    const refused = await get('br;q=0, gzip;q=0');
    const preferred = await get('br;q=0.5, gzip');
    expect([identity, gzip, br, refused, preferred].map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(preferred.headers['content-encoding']).toBe('gzip');
    const body = identity.bytes.toString('utf8');
    expect(JSON.parse(body).offers).toHaveLength(200);
    for (const res of [gzip, br, refused, preferred]) {
      expect(decoded(res)).toBe(body);
      expect(res.headers.vary).toBe('Authorization, Accept-Encoding');
      expect(res.headers.etag).toBe(identity.headers.etag);
    }
    expect(gzip.bytes.length).toBeLessThan(body.length / 4);
    expect(br.bytes.length).toBeLessThan(body.length / 4);

    const publicView = await get(undefined, world.keys.publishableKey);
    const publicGzip = await get('gzip', world.keys.publishableKey);
    const publicBr = await get('br', world.keys.publishableKey);
    expect(decoded(publicBr)).toBe(publicView.bytes.toString('utf8'));
    console.log(
      `[compression] 200-offer hydrate, secret key: identity ${identity.bytes.length} B, gzip ${gzip.bytes.length} B, br ${br.bytes.length} B; ` +
        `publishable key: identity ${publicView.bytes.length} B, gzip ${publicGzip.bytes.length} B, br ${publicBr.bytes.length} B`,
    );

    // A revalidation says Vary too, so a cache never serves one coding's copy for another.
    const revalidated = await rawGet(url, {
      authorization: `Bearer ${world.keys.secretKey}`,
      'accept-encoding': 'br',
      'if-none-match': String(identity.headers.etag),
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.vary).toBe('Authorization, Accept-Encoding');
    expect(revalidated.bytes.length).toBe(0);
  });

  it('compresses the listing feed and a session listing, and leaves small and other bodies alone', async () => {
    await using world = await startDropWorld({ rateLimits: false });
    const session = await world.liveSession();
    for (let index = 0; index < 20; index++) await world.liveOffer(session.id, { sku: `NW-${index}` });
    const auth = { authorization: `Bearer ${world.keys.publishableKey}`, 'accept-encoding': 'gzip' };

    const listing = await rawGet(`${world.ld.url}/v1/sessions/${session.id}/listing`, auth);
    expect(listing.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decoded(listing))['@type']).toBe('Event');
    const feed = await rawGet(`${world.ld.url}/v1/listings`, auth);
    expect(feed.headers['content-encoding']).toBe('gzip');
    expect(feed.headers.vary).toContain('Accept-Encoding');

    const offer = await expectStatus(world.api.get(`/v1/sessions/${session.id}`));
    const single = await rawGet(`${world.ld.url}/v1/offers/${offer.offers[0].id}`, {
      authorization: `Bearer ${world.keys.secretKey}`,
      'accept-encoding': 'gzip',
    });
    expect(single.status).toBe(200);
    expect(single.headers['content-encoding']).toBeUndefined();
    expect(single.headers.vary ?? '').not.toContain('Accept-Encoding');
  });

  it('answers through fetch as before: the client decodes, the body conforms', async () => {
    await using world = await startDropWorld({ rateLimits: false });
    const session = await world.liveSession();
    for (let index = 0; index < 20; index++) await world.liveOffer(session.id, { sku: `NW-${index}` });
    const res = await fetch(`${world.ld.url}/v1/sessions/${session.id}`, {
      headers: { authorization: `Bearer ${world.keys.secretKey}`, 'accept-encoding': 'br' },
    });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect((await res.json()).offers).toHaveLength(20);
  });
});
