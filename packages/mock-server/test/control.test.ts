import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import type { MemoryStorage } from '../src/storage/memory/memory-storage';
import { apiAs, buyerBrowser, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

const start = () => startReferenceServer({ clock: createManualClock(START) });
const control = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.controlKey);
const platform = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.keys.secretKey);

async function sellerEvents(api: Api): Promise<string[]> {
  const page = await api.get('/v1/events?types=livedrop.seller.created&limit=1000');
  expect(page.status).toBe(200);
  return page.body.data.map((event: { subject: string }) => event.subject);
}

/** A live offer of the house creator, ready for tokens. */
async function liveOffer(ld: StartedReferenceServer, offer: Record<string, unknown> = {}) {
  const api = platform(ld);
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
    quantity: 10,
    ...offer,
  });
  expect(created.status).toBe(201);
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  expect((await api.post(`/v1/offers/${created.body.id}/publish`)).status).toBe(200);
  return { sessionId: session.body.id as string, offerId: created.body.id as string };
}

async function hold(ld: StartedReferenceServer, offerId: string, buyerId: string) {
  const api = platform(ld);
  const token = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId });
  expect(token.status).toBe(201);
  const reservation = await api.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
  expect(reservation.status).toBe(201);
  expect(reservation.body.status).toBe('held');
  return reservation.body as { id: string; expiresAt: string };
}

describe('control key', () => {
  it('guards every control route: 401 without a key or with an API key', async () => {
    await using ld = await start();
    const routes: [string, string, unknown][] = [
      ['POST', '/__control/reset', undefined],
      ['POST', '/__control/clock', { advanceMs: 1000 }],
      ['POST', '/__control/faults', { errorRate: 1 }],
      ['POST', '/__control/seed', { fixture: 'basic' }],
      ['GET', '/__control/state', undefined],
    ];
    for (const key of [undefined, ld.server.keys.secretKey, ld.server.keys.moderatorKey, 'ctl_test_wrong']) {
      const api = apiAs(ld.url, key);
      for (const [method, path, body] of routes) {
        const response = method === 'GET' ? await api.get(path) : await api.post(path, body);
        expect(response.status, `${method} ${path} with ${key ?? 'no key'}`).toBe(401);
        expect(response.body.code).toBe('unauthenticated');
        expect(response.body.detail).toContain('control key');
      }
    }
    // Nothing moved: no faults, the clock where it was, no fixture.
    const state = await control(ld).get('/__control/state');
    expect(state.body).toMatchObject({ now: '2026-11-25T18:00:00.000Z', faults: {}, counts: { sessions: 0 } });
  });
});

describe('reset', () => {
  it('forgets objects and events but keeps the default keys working', async () => {
    await using ld = await start();
    const api = platform(ld);
    const seller = await api.post('/v1/sellers', { name: 'Acme' });
    await control(ld).post('/__control/faults', { latencyMs: 10 });
    const reset = await control(ld).post('/__control/reset');
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      object: 'control_state',
      counts: { sellers: 0, tenants: 1, creators: 1 },
      events: 1,
      invariantHolds: true,
      faults: {},
    });

    expect((await api.get(`/v1/sellers/${seller.body.id}`)).status).toBe(404);
    expect(await sellerEvents(api)).toEqual([]);
    // Every key of the default tenant still works, and the house creator is the same.
    expect((await api.post('/v1/sellers', { name: 'Again' })).status).toBe(201);
    expect(
      (await apiAs(ld.url, ld.server.keys.creatorKey).get(`/v1/creators/${ld.server.keys.creatorId}`)).status,
    ).toBe(200);
  });

  it('forgets other tenants and their keys', async () => {
    await using ld = await start();
    const other = ld.server.engine.createTenant('Other');
    expect((await apiAs(ld.url, other.secretKey).get('/v1/events')).status).toBe(200);
    await control(ld).post('/__control/reset');
    expect((await apiAs(ld.url, other.secretKey).get('/v1/events')).status).toBe(401);
  });

  it('keeps the clock where it is, unless restoreClock takes it back to the start time', async () => {
    await using ld = await start();
    await control(ld).post('/__control/clock', { advanceMs: 3_600_000 });
    const kept = await control(ld).post('/__control/reset');
    expect(kept.body.now).toBe('2026-11-25T19:00:00.000Z');
    const restored = await control(ld).post('/__control/reset', { restoreClock: true });
    expect(restored.body.now).toBe('2026-11-25T18:00:00.000Z');
    expect(new Date(restored.headers.get('date')!).toISOString()).toBe('2026-11-25T18:00:00.000Z');
    const bad = await control(ld).post('/__control/reset', { restoreClock: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('restoreClock');
  });
});

describe('clock', () => {
  it('advances and sets the clock, and refuses to move it backwards', async () => {
    await using ld = await start();
    const advanced = await control(ld).post('/__control/clock', { advanceMs: 90_000 });
    expect(advanced.status).toBe(200);
    expect(advanced.body).toEqual({ object: 'clock', now: '2026-11-25T18:01:30.000Z', expired: 0 });

    const set = await control(ld).post('/__control/clock', { setTo: '2026-11-26T09:00:00.000Z' });
    expect(set.body).toEqual({ object: 'clock', now: '2026-11-26T09:00:00.000Z', expired: 0 });

    const backwards = await control(ld).post('/__control/clock', { setTo: '2026-11-26T08:59:59.999Z' });
    expect(backwards.status).toBe(409);
    expect(backwards.body.code).toBe('invalid_state');
    expect(backwards.body.detail).toContain('only moves forward');
    expect((await control(ld).get('/__control/state')).body.now).toBe('2026-11-26T09:00:00.000Z');

    // Objects are stamped with the moved clock.
    const seller = await platform(ld).post('/v1/sellers', { name: 'Acme' });
    expect(seller.body.createdAt).toBe('2026-11-26T09:00:00.000Z');
  });

  it('validates the body: exactly one of advanceMs or setTo, a non-negative integer', async () => {
    await using ld = await start();
    for (const body of [
      {},
      { advanceMs: 1, setTo: '2026-11-26T09:00:00.000Z' },
      { advanceMs: -1 },
      { advanceMs: 1.5 },
      { setTo: 'tomorrow' },
      { advanceMs: 1, extra: true },
    ]) {
      const response = await control(ld).post('/__control/clock', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    expect((await control(ld).get('/__control/state')).body.now).toBe('2026-11-25T18:00:00.000Z');
  });

  it('runs what fell due: lapsed holds expire and count in `expired`', async () => {
    await using ld = await start();
    const { offerId, sessionId } = await liveOffer(ld, { reservationTtlSeconds: 60, quantity: 5 });
    const first = await hold(ld, offerId, 'buyer_1');
    const second = await hold(ld, offerId, 'buyer_2');

    const early = await control(ld).post('/__control/clock', { advanceMs: 59_000 });
    expect(early.body.expired).toBe(0);
    expect((await platform(ld).get(`/v1/reservations/${first.id}`)).body.status).toBe('held');

    const lapsed = await control(ld).post('/__control/clock', { advanceMs: 1_000 });
    expect(lapsed.body.expired).toBe(2);
    for (const reservation of [first, second])
      expect((await platform(ld).get(`/v1/reservations/${reservation.id}`)).body.status).toBe('expired');
    const view = await platform(ld).get(`/v1/sessions/${sessionId}`);
    expect(view.body.offers[0].stock).toMatchObject({ total: 5, available: 5, reserved: 0 });
    expect((await control(ld).get('/__control/state')).body.invariantHolds).toBe(true);

    const again = await control(ld).post('/__control/clock', { advanceMs: 3_600_000 });
    expect(again.body.expired).toBe(0);
  });

  it('counts in `expired` only holds that lapsed: not released holds, captured ones, settlements or offer ends', async () => {
    await using ld = await start();
    const { offerId } = await liveOffer(ld, { reservationTtlSeconds: 60, quantity: 5 });
    const released = await hold(ld, offerId, 'buyer_1');
    expect((await platform(ld).post(`/v1/reservations/${released.id}/release`, {})).status).toBe(200);
    const captured = await hold(ld, offerId, 'buyer_2');
    expect(
      (await platform(ld).post(`/v1/reservations/${captured.id}/capture`, { paymentReference: 'pi_1' })).status,
    ).toBe(201);
    const lapsing = await hold(ld, offerId, 'buyer_3');

    // Past every TTL and the two-day settlement delay: one hold lapses, one order settles.
    const moved = await control(ld).post('/__control/clock', { advanceMs: 3 * 24 * 3_600_000 });
    expect(moved.body.expired).toBe(1);
    expect((await platform(ld).get(`/v1/reservations/${lapsing.id}`)).body.status).toBe('expired');
    expect((await platform(ld).get(`/v1/reservations/${released.id}`)).body.status).toBe('released');
    const orderId = (await platform(ld).get(`/v1/reservations/${captured.id}`)).body.orderId;
    expect((await platform(ld).get(`/v1/orders/${orderId}`)).body.settledAt).not.toBeNull();
  });
});

describe('faults', () => {
  it('errorPhase "before": 503 and nothing is created', async () => {
    await using ld = await start();
    const api = platform(ld);
    const faults = await control(ld).post('/__control/faults', { errorRate: 1, errorPhase: 'before' });
    expect(faults.status).toBe(200);
    expect(faults.body.faults).toEqual({ errorRate: 1, errorPhase: 'before' });
    const response = await api.post('/v1/sellers', { name: 'Acme' }, { headers: { 'idempotency-key': 'k-before' } });
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('service_unavailable');
    expect(response.headers.get('content-type')).toBe('application/problem+json');

    await control(ld).post('/__control/faults', {});
    expect(await sellerEvents(api)).toEqual([]);
    expect((await control(ld).get('/__control/state')).body.counts.sellers).toBe(0);
    // Nothing was kept for the key either: the retry runs for real.
    const retry = await api.post('/v1/sellers', { name: 'Acme' }, { headers: { 'idempotency-key': 'k-before' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('errorPhase "after": 503, but the change committed and a retry with the same key replays the 201', async () => {
    await using ld = await start();
    const api = platform(ld);
    // Scoped to sellers so the event log can still be read while the fault is on.
    await control(ld).post('/__control/faults', { errorRate: 1, errorPhase: 'after', paths: ['/v1/sellers'] });
    const lost = await api.post('/v1/sellers', { name: 'Acme' }, { headers: { 'idempotency-key': 'k-after' } });
    expect(lost.status).toBe(503);
    expect(lost.body.code).toBe('service_unavailable');
    expect(lost.body.detail).toContain('Idempotency-Key');

    const created = await sellerEvents(api);
    expect(created).toHaveLength(1);
    // Still faulty: the replay is answered before the fault can strike again.
    const retry = await api.post('/v1/sellers', { name: 'Acme' }, { headers: { 'idempotency-key': 'k-after' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(created[0]);
    expect(await sellerEvents(api)).toHaveLength(1);
  });

  it('errorRate 0 and reads: faults only strike at the configured rate', async () => {
    await using ld = await start();
    await control(ld).post('/__control/faults', { errorRate: 0, errorPhase: 'both' });
    expect((await platform(ld).post('/v1/sellers', { name: 'Acme' })).status).toBe(201);
  });

  it('latencyMs keeps requests in flight without failing them', async () => {
    await using ld = await start();
    const api = platform(ld);
    const state = await control(ld).post('/__control/faults', { latencyMs: 400, paths: ['/v1/sellers'] });
    expect(state.body.faults).toEqual({ latencyMs: 400, paths: ['/v1/sellers'] });
    // Observable without a stopwatch: a duplicate sent alongside finds the first still running.
    const same = { headers: { 'idempotency-key': 'slow' } };
    const statuses = (
      await Promise.all([
        api.post('/v1/sellers', { name: 'Slow' }, same),
        api.post('/v1/sellers', { name: 'Slow' }, same),
      ])
    ).map((response) => response.status);
    expect(statuses.sort()).toEqual([201, 409]);
    expect(await sellerEvents(api)).toHaveLength(1);
  });

  it('paths scopes the faults to path prefixes; control routes are never faulted', async () => {
    await using ld = await start();
    const api = platform(ld);
    await control(ld).post('/__control/faults', { errorRate: 1, paths: ['/v1/creators'] });
    expect((await api.post('/v1/sellers', { name: 'Acme' })).status).toBe(201);
    expect((await api.post('/v1/creators', { handle: 'ann', displayName: 'Ann' })).status).toBe(503);
    expect((await control(ld).get('/__control/state')).status).toBe(200);
    expect((await apiAs(ld.url, undefined).get('/openapi.json')).status).toBe(200);
  });

  it('validates the faults body', async () => {
    await using ld = await start();
    for (const body of [
      { errorRate: 2 },
      { errorPhase: 'during' },
      { latencyMs: -1 },
      { paths: 'v1' },
      { surprise: true },
    ]) {
      const response = await control(ld).post('/__control/faults', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    expect((await control(ld).get('/__control/state')).body.faults).toEqual({});
  });
});

describe('seed', () => {
  it('"basic" makes a seller, an entitlement and a scheduled session with two draft offers, through the API', async () => {
    await using ld = await start();
    const seeded = await control(ld).post('/__control/seed', { fixture: 'basic' });
    expect(seeded.status).toBe(200);
    expect(seeded.body).toMatchObject({
      object: 'control_state',
      counts: { sellers: 1, entitlements: 1, sessions: 1, offers: 2 },
      invariantHolds: true,
    });

    const api = platform(ld);
    const sessions = await api.get('/v1/sessions');
    expect(sessions.body.data).toHaveLength(1);
    const session = sessions.body.data[0];
    expect(session).toMatchObject({
      status: 'scheduled',
      creatorId: ld.server.keys.creatorId,
      metadata: { fixture: 'basic' },
    });
    const view = await api.get(`/v1/sessions/${session.id}`);
    expect(view.body.offers.map((offer: { status: string }) => offer.status)).toEqual(['draft', 'draft']);
    expect(view.body.sellers).toHaveLength(1);
    expect(view.body.sellers[0].trust.verified).toBe(true);
    const entitlements = await api.get(`/v1/creators/${ld.server.keys.creatorId}/entitlements`);
    expect(entitlements.body.data).toHaveLength(1);

    // Made through the pipeline: every object has its event in the default tenant's log.
    const types = (await api.get('/v1/events?limit=1000')).body.data.map((event: { type: string }) => event.type);
    expect(types).toEqual([
      'livedrop.creator.created',
      'livedrop.seller.created',
      'livedrop.entitlement.created',
      'livedrop.session.created',
      'livedrop.offer.created',
      'livedrop.offer.created',
    ]);
    expect(seeded.body.events).toBe(types.length);
  });

  it('"live-drop" starts the session and publishes the offers, so tokens can be issued', async () => {
    await using ld = await start();
    expect((await control(ld).post('/__control/seed', { fixture: 'live-drop' })).status).toBe(200);
    const api = platform(ld);
    const [session] = (await api.get('/v1/sessions?status=live')).body.data;
    expect(session).toBeDefined();
    const view = await api.get(`/v1/sessions/${session.id}`);
    expect(view.body.offers.map((offer: { status: string }) => offer.status)).toEqual(['live', 'live']);
    const buyer = await buyerBrowser(ld.url, ld.server.keys, 'buyer_1');
    const token = await buyer.post(`/v1/offers/${view.body.offers[0].id}/tokens`, {});
    expect(token.status).toBe(201);
  });

  it('replaces what was there, keeps the keys and the faults, and "empty" leaves only the house creator', async () => {
    await using ld = await start();
    const api = platform(ld);
    const mine = await api.post('/v1/sellers', { name: 'Mine' });
    await control(ld).post('/__control/seed', { fixture: 'basic' });
    expect((await api.get(`/v1/sellers/${mine.body.id}`)).status).toBe(404);

    await control(ld).post('/__control/faults', { latencyMs: 5, paths: ['/v1/sessions'] });
    const empty = await control(ld).post('/__control/seed', { fixture: 'empty' });
    expect(empty.body).toMatchObject({
      counts: { tenants: 1, creators: 1, sellers: 0, sessions: 0, offers: 0 },
      events: 1,
      faults: { latencyMs: 5, paths: ['/v1/sessions'] },
    });
    expect((await api.get('/v1/sessions')).body.data).toEqual([]);
  });

  it('seeds even while errors are injected, and keeps them in force afterwards', async () => {
    await using ld = await start();
    await control(ld).post('/__control/faults', { errorRate: 1, errorPhase: 'before' });
    const seeded = await control(ld).post('/__control/seed', { fixture: 'basic' });
    expect(seeded.status).toBe(200);
    expect(seeded.body.counts.offers).toBe(2);
    expect((await platform(ld).get('/v1/sessions')).status).toBe(503);
  });

  it('refuses an unknown fixture', async () => {
    await using ld = await start();
    const response = await control(ld).post('/__control/seed', { fixture: 'everything' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors[0].path).toBe('fixture');
  });
});

describe('state', () => {
  it('summarises the clock, counts, events, the invariant and the faults', async () => {
    await using ld = await start();
    await platform(ld).post('/v1/sellers', { name: 'Acme' });
    await control(ld).post('/__control/faults', { latencyMs: 0, dropStreams: true });
    const state = await control(ld).get('/__control/state');
    expect(state.status).toBe(200);
    expect(state.body).toEqual({
      object: 'control_state',
      now: '2026-11-25T18:00:00.000Z',
      counts: expect.objectContaining({ tenants: 1, sellers: 1, creators: 1, sessions: 0, offers: 0, reservations: 0 }),
      events: 2,
      invariantHolds: true,
      faults: { latencyMs: 0, dropStreams: true },
    });
  });
});

describe('OpenAPI', () => {
  it('serves the OpenAPI 3.1 document publicly, its servers relative (the Host header is never echoed)', async () => {
    await using ld = await start();
    const response = await apiAs(ld.url, undefined).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.servers[0].url).toBe('/');
    expect(response.body.paths['/v1/events'].get.operationId).toBe('listEvents');
    const again = await apiAs(ld.url, undefined).get('/openapi.json');
    expect(again.body).toEqual(response.body);
  });
});

describe('event log', () => {
  it('pages from any cursor with after and limit, with no gap and no duplicate', async () => {
    await using ld = await start();
    const api = platform(ld);
    for (let i = 0; i < 6; i++) await api.post('/v1/sellers', { name: `Seller ${i}` });

    const first = await api.get('/v1/events?limit=3');
    expect(first.body).toMatchObject({ object: 'event_page', hasMore: true, nextAfter: 3 });
    expect(first.body.data.map((event: { seq: number }) => event.seq)).toEqual([1, 2, 3]);
    const second = await api.get(`/v1/events?after=${first.body.nextAfter}&limit=3`);
    expect(second.body.data.map((event: { seq: number }) => event.seq)).toEqual([4, 5, 6]);
    expect(second.body.hasMore).toBe(true);
    const last = await api.get(`/v1/events?after=${second.body.nextAfter}&limit=3`);
    expect(last.body).toMatchObject({ hasMore: false, nextAfter: 7 });
    expect(last.body.data.map((event: { seq: number }) => event.seq)).toEqual([7]);
    const beyond = await api.get('/v1/events?after=7');
    expect(beyond.body).toEqual({ object: 'event_page', data: [], hasMore: false, nextAfter: 7 });

    // A CloudEvent with the chain extensions.
    const event = second.body.data[0];
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'livedrop.seller.created',
      datacontenttype: 'application/json',
      prevhash: first.body.data[2].hash,
    });
    expect(event.id).toMatch(/^evt_/);
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await api.get('/v1/events')).body.data).toHaveLength(7);
  });

  it('filters by types (comma-separated) and refuses an unknown type', async () => {
    await using ld = await start();
    const api = platform(ld);
    await api.post('/v1/sellers', { name: 'Acme' });
    await api.post('/v1/creators', { handle: 'ann', displayName: 'Ann' });
    const sellers = await api.get('/v1/events?types=livedrop.seller.created');
    expect(sellers.body.data.map((event: { type: string }) => event.type)).toEqual(['livedrop.seller.created']);
    const both = await api.get(
      `/v1/events?types=${encodeURIComponent('livedrop.seller.created, livedrop.creator.created')}`,
    );
    expect(both.body.data.map((event: { type: string }) => event.type)).toEqual([
      'livedrop.creator.created',
      'livedrop.seller.created',
      'livedrop.creator.created',
    ]);

    const unknown = await api.get('/v1/events?types=livedrop.seller.created,livedrop.seller.deleted');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect(unknown.body.errors[0].path).toContain('types');
    expect(unknown.body.detail).toContain('livedrop.seller.deleted');
    for (const query of ['limit=0', 'limit=1001', 'after=-1', 'after=x', 'surprise=1']) {
      const bad = await api.get(`/v1/events?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
    }
  });

  it('is per tenant', async () => {
    await using ld = await start();
    const other = ld.server.engine.createTenant('Other');
    await apiAs(ld.url, other.secretKey).post('/v1/sellers', { name: 'Theirs' });
    expect(await sellerEvents(platform(ld))).toEqual([]);
    expect(await sellerEvents(apiAs(ld.url, other.secretKey))).toHaveLength(1);
  });

  it('audit/verify walks the chain, and names the first event that was tampered with', async () => {
    await using ld = await start();
    const api = platform(ld);
    for (let i = 0; i < 4; i++) await api.post('/v1/sellers', { name: `Seller ${i}` });
    const intact = await api.get('/v1/audit/verify');
    expect(intact.status).toBe(200);
    expect(intact.body).toMatchObject({
      object: 'audit_verification',
      valid: true,
      eventsChecked: 5,
      headSeq: 5,
      firstInvalidSeq: null,
    });
    const head = (await api.get('/v1/events?after=4')).body.data[0];
    expect(intact.body.headHash).toBe(head.hash);

    const stored = (ld.server.engine.storage as MemoryStorage).events
      .log(ld.server.keys.tenantId)
      .unsafeEventsForTesting();
    (stored[2]!.data as { seller: { name: string } }).seller.name = 'Mallory';
    const tampered = await api.get('/v1/audit/verify');
    expect(tampered.body).toMatchObject({ valid: false, firstInvalidSeq: 3, headSeq: 5 });
    expect(tampered.body.headHash).toBe(stored[1]!.hash);
  });

  it('audit/verify needs a platform key', async () => {
    await using ld = await start();
    expect((await apiAs(ld.url, ld.server.keys.publishableKey).get('/v1/audit/verify')).status).toBe(403);
    expect((await apiAs(ld.url, ld.server.controlKey).get('/v1/audit/verify')).status).toBe(401);
  });
});
