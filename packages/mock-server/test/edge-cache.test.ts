import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld } from './support/drop-world';
import { parseSse, readUntil } from './support/sse';

const PUBLIC_CACHE = /^public, max-age=(\d+), stale-while-revalidate=(\d+)$/;

describe('edge caching of public views', () => {
  it('lets a CDN share the publishable hydrate: public, short max-age with stale-while-revalidate, strong ETag, Vary: Authorization and Accept-Encoding', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    await world.liveOffer(session.id);

    const res = await world.browser.get(`/v1/sessions/${session.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=10');
    expect(res.headers.get('vary')).toBe('Authorization, Accept-Encoding');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(etag.startsWith('W/')).toBe(false);

    const revalidated = await world.browser.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBeUndefined();
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('vary')).toBe('Authorization, Accept-Encoding');
    expect(revalidated.headers.get('cache-control')).toMatch(PUBLIC_CACHE);
  });

  it('never lets a shared cache keep a secret-key view, a buyer object or an error', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id);
    const { reservation } = await world.reserve(offer.id, 'buyer_1');

    for (const key of [world.keys.secretKey, world.keys.creatorKey, world.keys.moderatorKey]) {
      const res = await fetch(`${world.ld.url}/v1/sessions/${session.id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(res.headers.get('vary')).toBe('Authorization, Accept-Encoding');
    }
    const reads = [
      world.api.get(`/v1/reservations/${reservation.id}`),
      world.browser.get(`/v1/reservations/${reservation.id}?clientSecret=${reservation.clientSecret}`),
      world.api.get(`/v1/offers/${offer.id}`),
      world.api.get('/v1/events'),
      world.browser.get('/v1/sessions/ses_doesnotexist'),
      world.browser.get('/v1/events'),
    ];
    for (const res of await Promise.all(reads))
      expect(res.headers.get('cache-control'), `status ${res.status}`).toBe('private, no-store');
  });

  it('takes max-age and stale-while-revalidate from the server options', async () => {
    await using world = await startDropWorld({
      edge: { publicMaxAgeSeconds: 5, publicStaleWhileRevalidateSeconds: 30 },
    });
    const session = await world.session();
    const res = await world.browser.get(`/v1/sessions/${session.id}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=30');
  });

  it('serves the public session stream fan-out safe, and the platform stream private', async () => {
    await using world = await startDropWorld();
    const session = await world.session();
    const open = (path: string, key: string) =>
      fetch(`${world.ld.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

    const publicStream = await open(`/v1/sessions/${session.id}/stream`, world.keys.publishableKey);
    expect(publicStream.headers.get('content-type')).toBe('text/event-stream');
    expect(publicStream.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(publicStream.headers.get('vary')).toBe('Authorization');
    await publicStream.body!.cancel();

    const platformStream = await open('/v1/events/stream', world.keys.secretKey);
    expect(platformStream.headers.get('cache-control')).toBe('private, no-store, no-transform');
    await platformStream.body!.cancel();
  });
});

describe('cache safety', () => {
  it('no public response of a whole drop carries a buyer id, reservation id, client secret, order id or token', async () => {
    await using world = await startDropWorld();
    const { api, browser, ld, keys } = world;
    const session = await world.session({
      metadata: { crm: 'internal-note-7731' },
      expectedViewers: 2_000,
      watchUrl: 'https://watch.example.com/winter',
    });
    const sessionId: string = session.id;

    // A viewer watches live from before the drop: every byte it receives is checked.
    const live = await fetch(`${ld.url}/v1/sessions/${sessionId}/stream`, {
      headers: { authorization: `Bearer ${keys.publishableKey}` },
    });
    const liveText = readUntil(live, (text) => parseSse(text).some((message) => message.event === 'session.ended'));

    await expectStatus(api.post(`/v1/sessions/${sessionId}/start`));
    const backorder = { allowed: true, limit: 5, sellerConsentAt: '2026-11-20T09:00:00.000Z' };
    const parka = await world.liveOffer(sessionId, { quantity: 2, reservationTtlSeconds: 60, backorder });
    const boots = await world.liveOffer(sessionId, {
      sku: 'NW-2',
      title: 'Trail Boots',
      price: { amount: 5_000, currency: 'USD' },
      quantity: 5,
    });

    const secrets = new Map<string, string>();
    const remember = (what: string, value: string) => secrets.set(value, what);
    const buy = async (offerId: string, buyerId: string, extra: Record<string, unknown> = {}) => {
      remember('buyer id', buyerId);
      const { issued, reservation } = await world.reserve(offerId, buyerId, extra);
      remember('token', issued.token);
      remember('token jti', issued.jti);
      remember('reservation id', reservation.id);
      remember('client secret', reservation.clientSecret);
      return reservation;
    };

    // Two holds sell the parka out; a third buyer backorders; a release promotes the backorder.
    const first = await buy(parka.id, 'buyer_alice_9f2');
    const second = await buy(parka.id, 'buyer_bob_4c1');
    const queued = await buy(parka.id, 'buyer_carol_77a', { backorderConsent: true });
    expect([first.status, second.status, queued.status]).toEqual(['held', 'held', 'backordered']);
    await expectStatus(api.post(`/v1/reservations/${second.id}/release`));

    // Orders: a platform capture and a browser confirmation.
    const captured = await expectStatus(
      api.post(`/v1/reservations/${first.id}/capture`, { paymentReference: 'pi_test_secret_ref' }),
      201,
    );
    remember('order id', captured.id);
    remember('payment reference', 'pi_test_secret_ref');
    const bootsHold = await buy(boots.id, 'buyer_dave_0b3');
    const confirmed = await expectStatus(
      browser.post(`/v1/reservations/${bootsHold.id}/confirm`, {
        clientSecret: bootsHold.clientSecret,
        paymentMethod: 'pm_test_ok',
      }),
      201,
    );
    remember('order id', confirmed.id);
    for (const transfer of [...captured.transfers, ...confirmed.transfers]) remember('transfer id', transfer.id);
    remember('session metadata', 'internal-note-7731');

    // The promoted hold lapses; the session ends.
    await world.advance(61_000);
    await expectStatus(api.post(`/v1/sessions/${sessionId}/end`));

    // Every public response: the publishable hydrate, the listing and the feed, the live stream and a replay.
    const hydrate = await fetch(`${ld.url}/v1/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${keys.publishableKey}` },
    });
    const listing = await fetch(`${ld.url}/v1/sessions/${sessionId}/listing`, {
      headers: { authorization: `Bearer ${keys.publishableKey}` },
    });
    const feed = await fetch(`${ld.url}/v1/listings`, { headers: { authorization: `Bearer ${keys.publishableKey}` } });
    const replay = await fetch(`${ld.url}/v1/sessions/${sessionId}/stream`, {
      headers: { authorization: `Bearer ${keys.publishableKey}` },
    });
    const publicBytes: Record<string, string> = {
      hydrate: await hydrate.text(),
      listing: await listing.text(),
      feed: await feed.text(),
      'live stream': await liveText,
      'replayed stream': await readUntil(replay, (text) =>
        parseSse(text).some((message) => message.event === 'session.ended'),
      ),
    };
    expect(hydrate.headers.get('cache-control')).toMatch(PUBLIC_CACHE);
    expect(listing.headers.get('cache-control')).toMatch(PUBLIC_CACHE);
    expect(feed.headers.get('cache-control')).toMatch(PUBLIC_CACHE);

    // The views are real: they show the offers and the stock the flow moved.
    expect(publicBytes.hydrate).toContain(parka.id);
    expect(publicBytes.listing).toContain('NW-2');
    expect(parseSse(publicBytes['live stream']!).map((message) => message.event)).toContain('stock');
    expect(secrets.size).toBeGreaterThanOrEqual(20);

    const leaks: string[] = [];
    for (const [where, bytes] of Object.entries(publicBytes)) {
      for (const [value, what] of secrets)
        if (bytes.includes(value)) leaks.push(`${where} contains the ${what} ${value}`);
      // Nothing in a public view is even shaped like a reservation, order, transfer, secret or token.
      for (const pattern of [
        /\bres_[A-Za-z0-9]/,
        /\bord_[A-Za-z0-9]/,
        /\btr_[A-Za-z0-9]/,
        /clientSecret/,
        /\beyJ[A-Za-z0-9_-]{10,}/,
      ]) {
        if (pattern.test(bytes)) leaks.push(`${where} matches ${pattern}`);
      }
    }
    expect(leaks).toEqual([]);

    // The platform's own views do carry them: the search above can find what it looks for.
    const platformEvents = JSON.stringify((await api.get('/v1/events?limit=1000')).body);
    for (const value of [first.id, captured.id, 'buyer_alice_9f2']) expect(platformEvents).toContain(value);
  });
});
