import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import type { RateLimitOptions } from '../src/rate-limit/config';
import { createReferenceServer } from '../src/server';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, buyerBrowser, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

const start = (rateLimits?: RateLimitOptions | false) =>
  startReferenceServer({ clock: createManualClock(START), ...(rateLimits === undefined ? {} : { rateLimits }) });
const control = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.controlKey);
const advance = async (ld: StartedReferenceServer, ms: number) =>
  expect((await control(ld).post('/__control/clock', { advanceMs: ms })).status).toBe(200);

/** A live offer of the house creator, ready for tokens. */
async function liveOffer(ld: StartedReferenceServer, offer: Record<string, unknown> = {}): Promise<string> {
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  const { creatorId } = ld.server.keys;
  const seller = await api.post('/v1/sellers', { name: 'Acme' });
  await api.post(`/v1/creators/${creatorId}/entitlements`, {
    sellerId: seller.body.id,
    commissionBps: 1000,
    contentRights: ['live_stream'],
  });
  const session = await api.post('/v1/sessions', {
    creatorId,
    title: 'Drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  const created = await api.post(`/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'SKU-1',
    title: 'Parka',
    price: { amount: 5000, currency: 'USD' },
    quantity: 50,
    ...offer,
  });
  expect(created.status).toBe(201);
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  expect((await api.post(`/v1/offers/${created.body.id}/publish`)).status).toBe(200);
  return created.body.id as string;
}

/** Tokens issued so far, as the event log records them. */
async function issuedTokens(api: Api): Promise<number> {
  const page = await api.get('/v1/events?types=livedrop.token.issued&limit=1000');
  expect(page.status).toBe(200);
  return page.body.data.length as number;
}

/** Checks a 429 is a problem+json naming `code`, with a whole-second Retry-After. */
function expectThrottled(
  response: { status: number; headers: Headers; body: any },
  code: 'rate_limited' | 'velocity_exceeded',
  retryAfter: number,
): void {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('retry-after')).toBe(String(retryAfter));
  expect(response.body).toMatchObject({ status: 429, code, type: `https://docs.livedrop.dev/errors#${code}` });
  expect(response.body.requestId).toBe(response.headers.get('request-id'));
}

describe('per-buyer limits on token issuance (on by default)', () => {
  it('admits a burst of 10 per buyer, then answers 429 rate_limited with Retry-After and issues nothing', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const offerId = await liveOffer(ld);

    const first = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' });
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-policy')).toBe('"per-buyer";q=10;w=10, "velocity";q=20;w=600');
    expect(first.headers.get('ratelimit')).toBe('"per-buyer";r=9;t=1, "velocity";r=19;t=600');
    for (let i = 2; i <= 10; i++)
      expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).status).toBe(201);
    expect(await issuedTokens(api)).toBe(10);

    const refused = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' });
    expectThrottled(refused, 'rate_limited', 1);
    expect(refused.body.detail).toBe(
      'Too many POST /v1/offers/{id}/tokens requests for buyer buyer_ann: the per-buyer limit is 10 per 10 s. Nothing was changed; retry after 1 s.',
    );
    expect(refused.headers.get('ratelimit')).toMatch(/^"per-buyer";r=0;t=10$/);
    expect(await issuedTokens(api)).toBe(10);

    // Another buyer through the same key is not affected.
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bob' })).status).toBe(201);
    // One second of the server's clock brings one token back.
    await advance(ld, 1000);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).status).toBe(201);
    expectThrottled(await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' }), 'rate_limited', 1);
  });

  it('exposes the header fields to browsers, and sends them only on limited routes', async () => {
    await using ld = await start();
    const offerId = await liveOffer(ld);
    const browser = await buyerBrowser(ld.url, ld.server.keys, 'buyer_ann');
    const issued = await browser.post(`/v1/offers/${offerId}/tokens`, {});
    expect(issued.status).toBe(201);
    const exposed = issued.headers.get('access-control-expose-headers')!.split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['retry-after', 'ratelimit-policy', 'ratelimit']));
    const read = await apiAs(ld.url, ld.server.keys.secretKey).get(`/v1/offers/${offerId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-policy')).toBeNull();
    expect(read.headers.get('ratelimit')).toBeNull();
  });

  it('forgets every bucket on a control reset', async () => {
    await using ld = await start({ routes: { issueOfferToken: { perBuyer: { limit: 1, windowSeconds: 60 } } } });
    let offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).status).toBe(201);
    expectThrottled(await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' }), 'rate_limited', 60);
    expect((await control(ld).post('/__control/reset')).status).toBe(200);
    offerId = await liveOffer(ld);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).status).toBe(201);
  });
});

describe('per-key limits (configured per route)', () => {
  it('throttles one key on a route and leaves other keys and routes alone', async () => {
    await using ld = await start({ routes: { getOffer: { perKey: { limit: 3, windowSeconds: 60 } } } });
    const offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await api.get(`/v1/offers/${offerId}`));
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(reads.map((r) => r.headers.get('ratelimit'))).toEqual([
      '"per-key";r=2;t=20',
      '"per-key";r=1;t=40',
      '"per-key";r=0;t=60',
    ]);
    expect(reads[0]!.headers.get('ratelimit-policy')).toBe('"per-key";q=3;w=60');

    const refused = await api.get(`/v1/offers/${offerId}`);
    // One request comes back every 20 s (3 per 60 s).
    expectThrottled(refused, 'rate_limited', 20);
    expect(refused.body.detail).toBe(
      'Too many GET /v1/offers/{id} requests for this API key: the per-key limit is 3 per 60 s. Nothing was changed; retry after 20 s.',
    );

    // The moderator key has its own bucket; other routes have none.
    expect((await apiAs(ld.url, ld.server.keys.moderatorKey).get(`/v1/offers/${offerId}`)).status).toBe(200);
    expect((await api.get('/v1/sessions')).status).toBe(200);
    await advance(ld, 20_000);
    expect((await api.get(`/v1/offers/${offerId}`)).status).toBe(200);
  });

  it('refuses before reading the body: a throttled bad request is a 429, not a 400', async () => {
    await using ld = await start({ routes: { createSeller: { perKey: { limit: 1, windowSeconds: 10 } } } });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expect((await api.post('/v1/sellers', { name: 'Acme' })).status).toBe(201);
    expectThrottled(await api.post('/v1/sellers', { nope: true }), 'rate_limited', 10);
    expect(ld.server.engine.store.counts()).toMatchObject({ sellers: 1 });
  });
});

describe('per-buyer limits on reservations', () => {
  it('throttles a buyer after its token verifies; the token stays unused and stock untouched', async () => {
    await using ld = await start({ routes: { createReservation: { perBuyer: { limit: 2, windowSeconds: 60 } } } });
    const offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const browser = apiAs(ld.url, ld.server.keys.publishableKey);
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++)
      tokens.push((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).body.token);

    expect((await browser.post('/v1/reservations', { offerToken: tokens[0], quantity: 1 })).status).toBe(201);
    const second = await browser.post('/v1/reservations', { offerToken: tokens[1], quantity: 1 });
    expect(second.status).toBe(201);
    expect(second.headers.get('ratelimit')).toBe('"per-buyer";r=0;t=60');

    const refused = await browser.post(
      '/v1/reservations',
      { offerToken: tokens[2], quantity: 1 },
      { headers: { 'idempotency-key': 'ann-third' } },
    );
    expectThrottled(refused, 'rate_limited', 30);
    expect(refused.body.detail).toContain('for buyer buyer_ann: the per-buyer limit is 2 per 60 s');
    const stock = (await api.get(`/v1/offers/${offerId}`)).body.stock;
    expect(stock).toMatchObject({ total: 50, available: 48, reserved: 2 });

    // Another buyer reserves meanwhile.
    const bobToken = (await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bob' })).body.token;
    expect((await browser.post('/v1/reservations', { offerToken: bobToken, quantity: 1 })).status).toBe(201);

    // After Retry-After the same request, same Idempotency-Key, holds: the 429 was not stored as its result.
    await advance(ld, 30_000);
    const retried = await browser.post(
      '/v1/reservations',
      { offerToken: tokens[2], quantity: 1 },
      { headers: { 'idempotency-key': 'ann-third' } },
    );
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body).toMatchObject({ status: 'held', buyerId: 'buyer_ann' });
  });

  it('a token that does not verify is refused as such and counts for no buyer', async () => {
    await using ld = await start({ routes: { createReservation: { perBuyer: { limit: 1, windowSeconds: 60 } } } });
    await liveOffer(ld);
    const browser = apiAs(ld.url, ld.server.keys.publishableKey);
    for (let i = 0; i < 3; i++) {
      const res = await browser.post('/v1/reservations', { offerToken: 'not-a-token', quantity: 1 });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_invalid');
      expect(res.headers.get('ratelimit')).toBeNull();
    }
  });
});

describe('velocity check on token issuance', () => {
  it('refuses a buyer past maxTokens in the window with 429 velocity_exceeded, naming the window', async () => {
    await using ld = await start({ velocity: { maxTokens: 3, windowSeconds: 60 } });
    const offerId = await liveOffer(ld, { perBuyerLimit: 2 });
    const otherOfferId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);

    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot' })).status).toBe(201);
    await advance(ld, 5_000);
    // Refusals issue nothing, so they do not count.
    const over = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot', quantityMax: 3 });
    expect(over.body.code).toBe('limit_exceeded');
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot' })).status).toBe(201);
    // The window spans every offer of the tenant.
    const third = await api.post(`/v1/offers/${otherOfferId}/tokens`, { buyerId: 'buyer_bot' });
    expect(third.status).toBe(201);
    expect(third.headers.get('ratelimit')).toBe('"per-buyer";r=7;t=3, "velocity";r=0;t=60');

    const refused = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot' });
    // The first token leaves the window 55 s from now.
    expectThrottled(refused, 'velocity_exceeded', 55);
    expect(refused.body.title).toBe('Too many tokens for one buyer');
    expect(refused.body.detail).toBe(
      'Buyer buyer_bot was already issued 3 offer tokens in the last 60 s, the most one buyer may get in that window (velocity check against automated buying). No token was issued; retry after 55 s, when the oldest leaves the window.',
    );
    expect(await issuedTokens(api)).toBe(3);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_human' })).status).toBe(201);

    await advance(ld, 55_000);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot' })).status).toBe(201);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_bot' })).body.code).toBe(
      'velocity_exceeded',
    );
  });

  it('an idempotent replay of an issued token does not count twice', async () => {
    await using ld = await start({ velocity: { maxTokens: 2, windowSeconds: 60 } });
    const offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const once = { headers: { 'idempotency-key': 'token-once' } };
    const first = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' }, once);
    const replay = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' }, once);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.jti).toBe(first.body.jti);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).status).toBe(201);
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).body.code).toBe(
      'velocity_exceeded',
    );
  });
});

describe('configuration', () => {
  it('rateLimits: false turns every limit off', async () => {
    await using ld = await start(false);
    const offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    for (let i = 0; i < 30; i++) {
      const res = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' });
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-policy')).toBeNull();
    }
  });

  it('a route may turn a default scope off and keep the rest', async () => {
    await using ld = await start({
      routes: { issueOfferToken: { perBuyer: false } },
      velocity: { maxTokens: 12, windowSeconds: 60 },
    });
    const offerId = await liveOffer(ld);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    for (let i = 0; i < 12; i++)
      expect(
        (await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).headers.get('ratelimit-policy'),
      ).toBe('"velocity";q=12;w=60');
    expect((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_ann' })).body.code).toBe(
      'velocity_exceeded',
    );
  });

  it('rejects limits that cannot work, naming the field', () => {
    expect(() =>
      createReferenceServer({ rateLimits: { routes: { getOffer: { perKey: { limit: 0, windowSeconds: 60 } } } } }),
    ).toThrow('rateLimits: routes.getOffer.perKey.limit must be a positive integer, got 0.');
    expect(() => createReferenceServer({ rateLimits: { velocity: { maxTokens: 5, windowSeconds: 1.5 } } })).toThrow(
      'rateLimits: velocity.windowSeconds must be a positive integer, got 1.5.',
    );
    expect(() =>
      createReferenceServer({ rateLimits: { routes: { getOffer: { perBuyer: { limit: 1, windowSeconds: 1 } } } } }),
    ).toThrow(
      'rateLimits: routes.getOffer.perBuyer is not possible: only issueOfferToken and createReservation name a buyer; use perKey.',
    );
  });
});
