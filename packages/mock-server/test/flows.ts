import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenantKeys } from '../src/engine';
import { apiAs, buyerBrowser, type Api } from './support/http';

/** A reference server reachable at `baseUrl`, however it is transported. */
export interface FlowTarget {
  readonly baseUrl: string;
  readonly keys: TenantKeys;
  readonly controlKey: string;
  dispose(): Promise<void>;
}

/** The clients of one flow run: one per key role, plus the control API. */
interface Clients {
  readonly platform: Api;
  readonly browser: Api;
  readonly creator: Api;
  readonly moderator: Api;
  readonly control: Api;
  readonly keys: TenantKeys;
  /** The browser of signed-in buyer `buyerId` (a buyer session beside the publishable key). */
  readonly buyer: (buyerId: string) => Promise<Api>;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });

/** A seller the house creator may sell for, and a scheduled session of that creator. */
async function party(c: Clients): Promise<{ sellerId: string; sessionId: string }> {
  const seller = await c.platform.post('/v1/sellers', {
    name: 'Northwind',
    trust: { verified: true, completedOrders: 12 },
  });
  expect(seller.status).toBe(201);
  const entitlement = await c.platform.post(`/v1/creators/${c.keys.creatorId}/entitlements`, {
    sellerId: seller.body.id,
    commissionBps: 1500,
    contentRights: ['live_stream', 'replay'],
  });
  expect(entitlement.status).toBe(201);
  const session = await c.creator.post('/v1/sessions', {
    creatorId: c.keys.creatorId,
    title: 'Winter drop',
    scheduledStartAt: '2030-01-01T18:00:00.000Z',
  });
  expect(session.status).toBe(201);
  expect(session.body.status).toBe('scheduled');
  return { sellerId: seller.body.id, sessionId: session.body.id };
}

/** A live session with one live offer of `quantity` units. */
async function liveOffer(
  c: Clients,
  offer: Record<string, unknown> = {},
): Promise<{ sessionId: string; offerId: string }> {
  const { sellerId, sessionId } = await party(c);
  const created = await c.platform.post(`/v1/sessions/${sessionId}/offers`, {
    sellerId,
    sku: 'NW-1',
    title: 'Storm Parka',
    price: usd(12_900),
    quantity: 5,
    ...offer,
  });
  expect(created.status).toBe(201);
  expect((await c.creator.post(`/v1/sessions/${sessionId}/start`)).status).toBe(200);
  expect((await c.creator.post(`/v1/offers/${created.body.id}/publish`)).status).toBe(200);
  return { sessionId, offerId: created.body.id };
}

async function issueToken(c: Clients, offerId: string, buyerId: string): Promise<string> {
  const issued = await (await c.buyer(buyerId)).post(`/v1/offers/${offerId}/tokens`, {});
  expect(issued.status).toBe(201);
  return issued.body.token;
}

async function stockOf(c: Clients, sessionId: string, offerId: string) {
  const view = await c.platform.get(`/v1/sessions/${sessionId}`);
  expect(view.status).toBe(200);
  return view.body.offers.find((offer: { id: string }) => offer.id === offerId).stock as {
    total: number;
    available: number;
    reserved: number;
    sold: number;
  };
}

/**
 * Registers LiveDrop's core flows as one vitest suite, run against whatever `setup` starts — a real
 * socket or msw — so every transport is held to the same behaviour. Each test gets a fresh server.
 */
export function defineFlowSuite(name: string, setup: () => Promise<FlowTarget>): void {
  describe(name, () => {
    let target: FlowTarget;
    let c: Clients;

    beforeEach(async () => {
      target = await setup();
      const { baseUrl, keys } = target;
      c = {
        platform: apiAs(baseUrl, keys.secretKey),
        browser: apiAs(baseUrl, keys.publishableKey),
        creator: apiAs(baseUrl, keys.creatorKey),
        moderator: apiAs(baseUrl, keys.moderatorKey),
        control: apiAs(baseUrl, target.controlKey),
        keys,
        buyer: (buyerId) => buyerBrowser(baseUrl, keys, buyerId),
      };
    });

    afterEach(async () => {
      await target.dispose();
    });

    it('runs a drop: party → session → moderated offer → start → publish → token → reserve → read → release', async () => {
      const { sellerId, sessionId } = await party(c);

      // A claimed discount of two thirds or more is escalated by the default moderation policy.
      const escalated = await c.creator.post(`/v1/sessions/${sessionId}/offers`, {
        sellerId,
        sku: 'NW-1',
        title: 'Storm Parka',
        price: usd(5_000),
        compareAtPrice: usd(20_000),
        quantity: 3,
      });
      expect(escalated.status).toBe(201);
      expect(escalated.body).toMatchObject({ status: 'pending_review', moderation: { decision: 'escalated' } });
      expect((await c.creator.post(`/v1/offers/${escalated.body.id}/publish`)).body.code).toBe('invalid_state');
      expect((await c.platform.post(`/v1/offers/${escalated.body.id}/review`, { decision: 'approve' })).status).toBe(
        403,
      );
      const reviewed = await c.moderator.post(`/v1/offers/${escalated.body.id}/review`, {
        decision: 'approve',
        note: 'Compare-at price checked.',
      });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body).toMatchObject({
        status: 'draft',
        moderation: { decision: 'approved', note: 'Compare-at price checked.' },
      });
      const offerId: string = escalated.body.id;

      const notLive = await (await c.buyer('buyer_1')).post(`/v1/offers/${offerId}/tokens`, {});
      expect(notLive.body.code).toBe('offer_not_live');
      const started = await c.creator.post(`/v1/sessions/${sessionId}/start`);
      expect(started.body.status).toBe('live');
      const published = await c.creator.post(`/v1/offers/${offerId}/publish`);
      expect(published.body.status).toBe('live');

      const token = await issueToken(c, offerId, 'buyer_1');
      expect(token.split('.')).toHaveLength(3);
      const held = await c.browser.post('/v1/reservations', { offerToken: token, quantity: 2 });
      expect(held.status).toBe(201);
      expect(held.body).toMatchObject({
        status: 'held',
        quantity: 2,
        offerId,
        sessionId,
        buyerId: 'buyer_1',
        amount: usd(10_000),
      });
      expect(held.body.clientSecret).toEqual(expect.any(String));
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ total: 3, available: 1, reserved: 2, sold: 0 });

      // The browser reads its reservation with the client secret; without it the reservation does not exist.
      const read = await c.browser.get(
        `/v1/reservations/${held.body.id}?clientSecret=${encodeURIComponent(held.body.clientSecret)}`,
      );
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('held');
      expect((await c.browser.get(`/v1/reservations/${held.body.id}`)).status).toBe(404);

      const released = await c.browser.post(
        `/v1/reservations/${held.body.id}/release?clientSecret=${encodeURIComponent(held.body.clientSecret)}`,
      );
      expect(released.status).toBe(200);
      expect(released.body.status).toBe('released');
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ total: 3, available: 3, reserved: 0 });
      // Stock returns exactly once.
      const again = await c.platform.post(`/v1/reservations/${held.body.id}/release`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('reservation_not_held');
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ available: 3, reserved: 0 });

      const types = (await c.platform.get('/v1/events?limit=1000')).body.data.map(
        (event: { type: string }) => event.type,
      );
      expect(types).toEqual(
        expect.arrayContaining([
          'livedrop.offer.created',
          'livedrop.offer.reviewed',
          'livedrop.session.started',
          'livedrop.offer.published',
          'livedrop.token.issued',
          'livedrop.reservation.held',
          'livedrop.reservation.released',
        ]),
      );
      expect((await c.platform.get('/v1/audit/verify')).body.valid).toBe(true);
    });

    it('hydrates a session with an ETag and answers 304 until something changes', async () => {
      const { sessionId, offerId } = await liveOffer(c);
      const first = await c.browser.get(`/v1/sessions/${sessionId}`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        object: 'session_view',
        session: { id: sessionId, status: 'live' },
        creator: { id: c.keys.creatorId, verified: true },
        sellers: [{ trust: { verified: true } }],
      });
      expect(first.body.offers).toHaveLength(1);
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();

      const unchanged = await c.browser.get(`/v1/sessions/${sessionId}`, { headers: { 'if-none-match': etag! } });
      expect(unchanged.status).toBe(304);
      expect(unchanged.body).toBeUndefined();
      expect(unchanged.headers.get('etag')).toBe(etag);

      await c.browser.post('/v1/reservations', { offerToken: await issueToken(c, offerId, 'buyer_1'), quantity: 1 });
      const changed = await c.browser.get(`/v1/sessions/${sessionId}`, { headers: { 'if-none-match': etag! } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(changed.body.offers[0].stock).toMatchObject({ available: 4, reserved: 1 });
    });

    it('refuses an invalid body with 400 validation_failed naming each field, and creates nothing', async () => {
      const before = (await c.platform.get('/v1/events?limit=1000')).body.data.length;
      const response = await c.platform.post('/v1/sessions', {
        creatorId: c.keys.creatorId,
        title: '',
        scheduledStartAt: 'next friday',
        surprise: 1,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.code).toBe('validation_failed');
      const paths = response.body.errors.map((error: { path: string }) => error.path);
      expect(paths).toEqual(expect.arrayContaining(['title', 'scheduledStartAt', '']));
      expect(response.body.requestId).toBe(response.headers.get('request-id'));
      expect((await c.platform.get('/v1/events?limit=1000')).body.data.length).toBe(before);
    });

    it('replays a reservation for a repeated Idempotency-Key instead of holding twice', async () => {
      const { sessionId, offerId } = await liveOffer(c);
      const body = { offerToken: await issueToken(c, offerId, 'buyer_1'), quantity: 1 };
      const options = { headers: { 'idempotency-key': 'reserve-buyer-1' } };
      const first = await c.browser.post('/v1/reservations', body, options);
      const retry = await c.browser.post('/v1/reservations', body, options);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ available: 4, reserved: 1 });
      const reused = await c.browser.post('/v1/reservations', { ...body, quantity: 2 }, options);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
    });

    it('refuses a replayed offer token with 409 token_replayed', async () => {
      const { sessionId, offerId } = await liveOffer(c);
      const offerToken = await issueToken(c, offerId, 'buyer_1');
      expect((await c.browser.post('/v1/reservations', { offerToken, quantity: 1 })).status).toBe(201);
      const replayed = await c.browser.post('/v1/reservations', { offerToken, quantity: 1 });
      expect(replayed.status).toBe(409);
      expect(replayed.body.code).toBe('token_replayed');
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ available: 4, reserved: 1 });
    });

    it('expires a hold when the control clock passes its TTL, returning the stock once', async () => {
      const { sessionId, offerId } = await liveOffer(c, { reservationTtlSeconds: 120 });
      const held = await c.platform.post('/v1/reservations', {
        offerToken: await issueToken(c, offerId, 'buyer_1'),
        quantity: 2,
      });
      expect(held.body.status).toBe('held');
      const expiresAt = Date.parse(held.body.expiresAt);

      const before = await c.control.post('/__control/clock', { advanceMs: 60_000 });
      expect(before.body.expired).toBe(0);
      expect((await c.platform.get(`/v1/reservations/${held.body.id}`)).body.status).toBe('held');

      const lapsed = await c.control.post('/__control/clock', { setTo: new Date(expiresAt).toISOString() });
      expect(lapsed.status).toBe(200);
      expect(lapsed.body.expired).toBe(1);
      expect((await c.platform.get(`/v1/reservations/${held.body.id}`)).body.status).toBe('expired');
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ total: 5, available: 5, reserved: 0 });
      // An expired hold cannot be given back a second time.
      const release = await c.platform.post(`/v1/reservations/${held.body.id}/release`);
      expect(release.status).toBe(409);
      expect(await stockOf(c, sessionId, offerId)).toMatchObject({ available: 5, reserved: 0 });
      const state = await c.control.get('/__control/state');
      expect(state.body.invariantHolds).toBe(true);
    });
  });
}
