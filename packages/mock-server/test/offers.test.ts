import type { Offer } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import type { ModerateOffer } from '../src/moderation';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const NOW = Date.parse('2026-11-25T18:00:00Z');
const HOUR = 60 * 60 * 1000;
const usd = (amount: number) => ({ amount, currency: 'USD' });

const boot = (moderate?: ModerateOffer) =>
  startReferenceServer({ clock: createManualClock(NOW), ...(moderate ? { moderate } : {}) });

async function events(api: Api, after = 0): Promise<any[]> {
  const page = await api.get(`/v1/events?after=${after}&limit=1000`);
  expect(page.status).toBe(200);
  expect(page.body.hasMore).toBe(false);
  return page.body.data;
}
const eventCount = async (api: Api) => (await events(api)).length;

/** A seller the house creator may sell for (1500 bps), and a session of the house creator. */
async function world(ld: StartedReferenceServer, { live = true } = {}) {
  const { keys } = ld.server;
  const api = apiAs(ld.url, keys.secretKey);
  const seller = await api.post('/v1/sellers', { name: 'Acme Audio' });
  await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
    sellerId: seller.body.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  const session = await api.post('/v1/sessions', {
    creatorId: keys.creatorId,
    title: 'Black Friday drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  if (live) expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const sellerId: string = seller.body.id;
  const sessionId: string = session.body.id;
  const offerBody = (extra: Record<string, unknown> = {}) => ({
    sellerId,
    sku: 'HP-1',
    title: 'Studio headphones',
    price: usd(4999),
    quantity: 10,
    ...extra,
  });
  const createOffer = async (extra: Record<string, unknown> = {}, as: Api = api) =>
    as.post(`/v1/sessions/${sessionId}/offers`, offerBody(extra));
  return { api, keys, sellerId, sessionId, offerBody, createOffer };
}

/** The session's offers as a platform sees them, to show a refusal stored nothing. */
async function offerIds(api: Api, sessionId: string): Promise<string[]> {
  return (await api.get(`/v1/sessions/${sessionId}`)).body.offers.map((o: { id: string }) => o.id);
}

describe('creating offers', () => {
  it('creates a draft offer with full stock, default split from the config and entitlement, and emits offer.created', async () => {
    await using ld = await boot();
    const { api, sellerId, sessionId, createOffer } = await world(ld);
    const res = await createOffer({ compareAtPrice: usd(7999), priceFloor: usd(3999) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^off_/),
      object: 'offer',
      sessionId,
      sellerId,
      sku: 'HP-1',
      title: 'Studio headphones',
      price: usd(4999),
      compareAtPrice: usd(7999),
      priceFloor: usd(3999),
      status: 'draft',
      soldOut: false,
      stock: { total: 10, available: 10, reserved: 0, sold: 0, backordered: 0 },
      perBuyerLimit: null,
      reservationTtlSeconds: 600,
      backorder: null,
      split: { platformFeeBps: 1000, creatorCommissionBps: 1500 },
      moderation: { decision: 'approved', note: null, reviewedAt: '2026-11-25T18:00:00.000Z' },
      version: 1,
      publishedAt: null,
      endsAt: null,
      endedAt: null,
      createdAt: '2026-11-25T18:00:00.000Z',
      updatedAt: '2026-11-25T18:00:00.000Z',
    });
    expect((await events(api)).at(-1)).toMatchObject({
      type: 'livedrop.offer.created',
      subject: res.body.id,
      data: { offer: res.body },
    });
    expect(await offerIds(api, sessionId)).toEqual([res.body.id]);
    expect((await api.get(`/v1/offers/${res.body.id}`)).body).toEqual(res.body);
  });

  it('keeps the optional settings a platform sends, including a split override', async () => {
    await using ld = await boot();
    const { createOffer } = await world(ld);
    const backorder = { allowed: true, limit: 50, sellerConsentAt: '2026-11-20T00:00:00.000Z' };
    const res = await createOffer({
      perBuyerLimit: 2,
      reservationTtlSeconds: 120,
      backorder,
      split: { platformFeeBps: 500, creatorCommissionBps: 2500 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      perBuyerLimit: 2,
      reservationTtlSeconds: 120,
      backorder,
      split: { platformFeeBps: 500, creatorCommissionBps: 2500 },
    });
    const feeOnly = await createOffer({ split: { platformFeeBps: 800 } });
    expect(feeOnly.body.split).toEqual({ platformFeeBps: 800, creatorCommissionBps: 1500 });
  });

  it('lets a creator key add offers to its own sessions only', async () => {
    await using ld = await boot();
    const { api, keys, sellerId, createOffer } = await world(ld);
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    expect((await createOffer({}, creatorApi)).status).toBe(201);
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    await api.post(`/v1/creators/${zoe.body.id}/entitlements`, {
      sellerId,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    const zoes = await api.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Zoe live',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    const before = await eventCount(api);
    const res = await creatorApi.post(`/v1/sessions/${zoes.body.id}/offers`, {
      sellerId,
      sku: 'X',
      title: 'X',
      price: usd(100),
      quantity: 1,
    });
    expect(res.status).toBe(404);
    expect(await eventCount(api)).toBe(before);
    for (const key of [keys.publishableKey, keys.moderatorKey])
      expect((await createOffer({}, apiAs(ld.url, key))).status).toBe(403);
    expect((await createOffer({}, apiAs(ld.url, undefined))).status).toBe(401);
  });

  it('refuses what breaks a business rule with the right code, storing nothing', async () => {
    await using ld = await boot();
    const { api, keys, sessionId, createOffer } = await world(ld);
    const other = ld.server.engine.createTenant('Other');
    const foreignSeller = await apiAs(ld.url, other.secretKey).post('/v1/sellers', { name: 'Theirs' });
    const unentitled = await api.post('/v1/sellers', { name: 'No deal' });
    const before = await eventCount(api);

    const noSeller = await createOffer({ sellerId: foreignSeller.body.id });
    expect(noSeller.status).toBe(404);
    expect(noSeller.body.detail).toContain(foreignSeller.body.id);
    expect((await createOffer({ sellerId: 'sel_unknown' })).status).toBe(404);

    const noEntitlement = await createOffer({ sellerId: unentitled.body.id });
    expect(noEntitlement.status).toBe(403);
    expect(noEntitlement.body.code).toBe('entitlement_missing');
    expect(noEntitlement.body.detail).toContain(`/v1/creators/${keys.creatorId}/entitlements`);

    const compareAt = await createOffer({ compareAtPrice: { amount: 7999, currency: 'EUR' } });
    expect(compareAt.status).toBe(422);
    expect(compareAt.body.code).toBe('currency_mismatch');
    expect(compareAt.body.errors[0].path).toBe('compareAtPrice.currency');
    const floorCurrency = await createOffer({ priceFloor: { amount: 100, currency: 'JPY' } });
    expect(floorCurrency.status).toBe(422);
    expect(floorCurrency.body.errors[0].path).toBe('priceFloor.currency');

    const belowFloor = await createOffer({ priceFloor: usd(5500) });
    expect(belowFloor.status).toBe(422);
    expect(belowFloor.body.code).toBe('price_below_floor');
    expect(belowFloor.body.detail).toContain('$49.99');
    expect(belowFloor.body.detail).toContain('$55.00');

    const split = await createOffer({ split: { platformFeeBps: 9000 } });
    expect(split.status).toBe(400);
    expect(split.body.code).toBe('validation_failed');
    expect(split.body.errors[0].path).toBe('split');

    const notFound = await api.post('/v1/sessions/ses_unknown/offers', {
      sellerId: 'sel_x',
      sku: 'X',
      title: 'X',
      price: usd(1),
      quantity: 1,
    });
    expect(notFound.status).toBe(404);
    expect(
      (
        await apiAs(ld.url, other.secretKey).post(`/v1/sessions/${sessionId}/offers`, {
          sellerId: foreignSeller.body.id,
          sku: 'X',
          title: 'X',
          price: usd(1),
          quantity: 1,
        })
      ).status,
    ).toBe(404);

    expect(await eventCount(api)).toBe(before);
    expect(await offerIds(api, sessionId)).toEqual([]);
  });

  it('refuses an entitlement that has expired on the clock', async () => {
    await using ld = await boot();
    const { api, keys, sessionId } = await world(ld);
    const seller = await api.post('/v1/sellers', { name: 'Seasonal' });
    await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: seller.body.id,
      commissionBps: 3000,
      contentRights: ['live_stream'],
      expiresAt: new Date(NOW + HOUR).toISOString(),
    });
    const body = { sellerId: seller.body.id, sku: 'S', title: 'Seasonal', price: usd(100), quantity: 1 };
    const inTime = await api.post(`/v1/sessions/${sessionId}/offers`, body);
    expect(inTime.body.split.creatorCommissionBps).toBe(3000);
    ld.server.engine.clock.advance(HOUR);
    const late = await api.post(`/v1/sessions/${sessionId}/offers`, body);
    expect(late.status).toBe(403);
    expect(late.body.code).toBe('entitlement_missing');
  });

  it('refuses bad fields and unknown fields with 400 naming them', async () => {
    await using ld = await boot();
    const { api, sessionId, createOffer } = await world(ld);
    const before = await eventCount(api);
    const cases: [Record<string, unknown>, string][] = [
      [{ price: { amount: 49.99, currency: 'USD' } }, 'price.amount'],
      [{ price: { amount: -1, currency: 'USD' } }, 'price.amount'],
      [{ price: { amount: 100, currency: 'XYZ' } }, 'price.currency'],
      [{ quantity: 0 }, 'quantity'],
      [{ reservationTtlSeconds: 5 }, 'reservationTtlSeconds'],
      [{ split: { platformFeeBps: 10_001 } }, 'split.platformFeeBps'],
    ];
    for (const [extra, field] of cases) {
      const res = await createOffer(extra);
      expect(res.status, field).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const unknown = await createOffer({ status: 'live' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    const nested = await createOffer({ stock: { total: 5 } });
    expect(nested.body.errors[0].code).toBe('unrecognized_keys');
    expect(await eventCount(api)).toBe(before);
    expect(await offerIds(api, sessionId)).toEqual([]);
  });

  it('refuses offers for an ended session with 409', async () => {
    await using ld = await boot();
    const { api, sessionId, createOffer } = await world(ld);
    await api.post(`/v1/sessions/${sessionId}/end`);
    const before = await eventCount(api);
    const res = await createOffer();
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_state');
    expect(await eventCount(api)).toBe(before);
  });
});

describe('money terms: who sets the split and the price floor', () => {
  it('refuses a split sent with a creator key (403 naming "split"); the split comes from the entitlement and the config', async () => {
    await using ld = await boot();
    const { api, keys, sessionId, createOffer } = await world(ld);
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    const before = { events: await eventCount(api), offers: await offerIds(api, sessionId) };
    for (const split of [{ platformFeeBps: 0, creatorCommissionBps: 10_000 }, { platformFeeBps: 1000 }]) {
      const res = await createOffer({ split }, creatorApi);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('forbidden');
      expect(res.body.errors).toEqual([
        { path: 'split', code: 'forbidden', message: expect.stringContaining('split') },
      ]);
      expect(res.body.detail).toMatch(/entitlement/);
      expect(res.body.detail).toMatch(/platform/);
    }
    expect({ events: await eventCount(api), offers: await offerIds(api, sessionId) }).toEqual(before);

    const own = await createOffer({}, creatorApi);
    expect(own.status).toBe(201);
    expect(own.body.split).toEqual({
      platformFeeBps: ld.server.engine.config.platformFeeBps,
      creatorCommissionBps: 1500,
    });
  });

  it("takes the price floor of a creator key's offer from the entitlement; a creator key cannot send one", async () => {
    await using ld = await boot();
    const { api, keys, sellerId, sessionId, offerBody } = await world(ld);
    const floored = await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId,
      commissionBps: 1200,
      contentRights: ['live_stream'],
      priceFloor: usd(4000),
    });
    expect(floored.status, JSON.stringify(floored.body)).toBe(201);
    expect(floored.body.priceFloor).toEqual(usd(4000));
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    const create = (extra: Record<string, unknown>) =>
      creatorApi.post(`/v1/sessions/${sessionId}/offers`, offerBody(extra));

    const own = await create({});
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ priceFloor: usd(4000), split: { creatorCommissionBps: 1200 } });
    const below = await create({ price: usd(3999) });
    expect(below.status).toBe(422);
    expect(below.body.code).toBe('price_below_floor');
    const lowered = await create({ priceFloor: usd(100) });
    expect(lowered.status).toBe(403);
    expect(lowered.body.errors.map((e: { path: string }) => e.path)).toEqual(['priceFloor']);

    // The platform may set its own floor on its offers; without one, the entitlement's applies.
    expect((await api.post(`/v1/sessions/${sessionId}/offers`, offerBody())).body.priceFloor).toEqual(usd(4000));
    const platformFloor = await api.post(`/v1/sessions/${sessionId}/offers`, offerBody({ priceFloor: usd(2000) }));
    expect(platformFloor.body.priceFloor).toEqual(usd(2000));
  });

  it("refuses a split or price floor in a creator key's PATCH; the platform may change them within bounds", async () => {
    await using ld = await boot();
    const { api, keys, createOffer } = await world(ld);
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    const offer = (await createOffer({}, creatorApi)).body;
    const before = await eventCount(api);
    const ifMatch = (version: number) => ({ headers: { 'if-match': String(version) } });
    const split = await creatorApi.patch(
      `/v1/offers/${offer.id}`,
      { split: { platformFeeBps: 0, creatorCommissionBps: 10_000 } },
      ifMatch(1),
    );
    expect(split.status).toBe(403);
    expect(split.body.errors.map((e: { path: string }) => e.path)).toEqual(['split']);
    const floor = await creatorApi.patch(`/v1/offers/${offer.id}`, { priceFloor: null }, ifMatch(1));
    expect(floor.status).toBe(403);
    expect(floor.body.errors.map((e: { path: string }) => e.path)).toEqual(['priceFloor']);
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/offers/${offer.id}`)).body).toEqual(offer);

    const tooMuch = await api.patch(
      `/v1/offers/${offer.id}`,
      { split: { platformFeeBps: 6000, creatorCommissionBps: 5000 } },
      ifMatch(1),
    );
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors.map((e: { path: string }) => e.path)).toEqual(['split']);
    const changed = await api.patch(
      `/v1/offers/${offer.id}`,
      { split: { platformFeeBps: 500 }, priceFloor: usd(4500) },
      ifMatch(1),
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      split: { platformFeeBps: 500, creatorCommissionBps: 1500 },
      priceFloor: usd(4500),
      version: 2,
    });
    const above = await api.patch(`/v1/offers/${offer.id}`, { priceFloor: usd(5000) }, ifMatch(2));
    expect(above.status).toBe(422);
    expect(above.body.code).toBe('price_below_floor');
  });
});

describe('moderation', () => {
  it('calls a custom hook with the offer and follows its verdict', async () => {
    const seen: unknown[] = [];
    const moderate: ModerateOffer = async (offer) => {
      seen.push(offer);
      if (offer.sku === 'BAD') return { decision: 'reject', note: 'Not allowed on this platform.' };
      if (offer.sku === 'ASK') return { decision: 'escalate', note: 'Check the brand.' };
      return 'approve';
    };
    await using ld = await boot(moderate);
    const { api, createOffer } = await world(ld);
    const approved = await createOffer({ sku: 'OK' });
    expect(approved.body).toMatchObject({ status: 'draft', moderation: { decision: 'approved', note: null } });
    const rejected = await createOffer({ sku: 'BAD' });
    expect(rejected.status).toBe(201);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      moderation: {
        decision: 'rejected',
        note: 'Not allowed on this platform.',
        reviewedAt: '2026-11-25T18:00:00.000Z',
      },
    });
    const escalated = await createOffer({ sku: 'ASK' });
    expect(escalated.body).toMatchObject({
      status: 'pending_review',
      moderation: { decision: 'escalated', note: 'Check the brand.', reviewedAt: null },
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({ sku: 'OK', price: usd(4999), stock: { total: 10 } });

    const publishRejected = await api.post(`/v1/offers/${rejected.body.id}/publish`);
    expect(publishRejected.status).toBe(409);
    const reviewRejected = await apiAs(ld.url, ld.server.keys.moderatorKey).post(
      `/v1/offers/${rejected.body.id}/review`,
      { decision: 'approve' },
    );
    expect(reviewRejected.status).toBe(409);
  });

  it('re-checks the session after the hook: a session ended meanwhile refuses the offer', async () => {
    let release!: () => void;
    let entered!: () => void;
    const hookEntered = new Promise<void>((resolve) => (entered = resolve));
    const moderate: ModerateOffer = () =>
      new Promise((resolve) => {
        entered();
        release = () => resolve('approve');
      });
    await using ld = await boot(moderate);
    const { api, sessionId, createOffer } = await world(ld);
    const pending = createOffer();
    await hookEntered;
    expect((await api.post(`/v1/sessions/${sessionId}/end`)).status).toBe(200);
    const before = await eventCount(api);
    release();
    const res = await pending;
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_state');
    expect(await eventCount(api)).toBe(before);
    expect(await offerIds(api, sessionId)).toEqual([]);
  });

  it('holds a claimed discount of 3× for review by default; a moderator approves, then it can go live', async () => {
    await using ld = await boot();
    const { api, keys, createOffer } = await world(ld);
    const res = await createOffer({ compareAtPrice: usd(4999 * 3) });
    expect(res.body).toMatchObject({
      status: 'pending_review',
      moderation: { decision: 'escalated', reviewedAt: null },
    });
    expect(res.body.moderation.note).toContain('compare-at');
    const id = res.body.id;

    const early = await api.post(`/v1/offers/${id}/publish`);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('moderator');
    expect((await api.post(`/v1/offers/${id}/review`, { decision: 'approve' })).status).toBe(403);
    expect((await apiAs(ld.url, keys.creatorKey).post(`/v1/offers/${id}/review`, { decision: 'approve' })).status).toBe(
      403,
    );
    const moderator = apiAs(ld.url, keys.moderatorKey);
    const badBody = await moderator.post(`/v1/offers/${id}/review`, { decision: 'maybe', extra: 1 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((e: { path: string }) => e.path)).toContain('decision');

    ld.server.engine.clock.advance(HOUR);
    const reviewed = await moderator.post(`/v1/offers/${id}/review`, {
      decision: 'approve',
      note: 'The brand confirms the list price.',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      status: 'draft',
      version: 2,
      moderation: {
        decision: 'approved',
        note: 'The brand confirms the list price.',
        reviewedAt: '2026-11-25T19:00:00.000Z',
      },
    });
    expect((await events(api)).at(-1)).toMatchObject({
      type: 'livedrop.offer.reviewed',
      data: { offer: reviewed.body },
    });
    const count = await eventCount(api);
    expect((await moderator.post(`/v1/offers/${id}/review`, { decision: 'reject' })).status).toBe(409);
    expect(await eventCount(api)).toBe(count);

    const published = await api.post(`/v1/offers/${id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('live');
    expect((await moderator.get(`/v1/offers/${id}`)).body.status).toBe('live');
  });

  it('rejects counterfeit titles by default and lets a moderator reject an escalated offer', async () => {
    await using ld = await boot();
    const { createOffer, keys } = await world(ld);
    expect((await createOffer({ title: 'Replica watch' })).body.status).toBe('rejected');
    const escalated = await createOffer({ compareAtPrice: usd(20_000) });
    const rejected = await apiAs(ld.url, keys.moderatorKey).post(`/v1/offers/${escalated.body.id}/review`, {
      decision: 'reject',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', moderation: { decision: 'rejected', note: null } });
  });
});

describe('moderation of edits', () => {
  /** A live, approved offer and a token a buyer got for it before any edit. */
  async function liveWorld(ld: StartedReferenceServer) {
    const w = await world(ld);
    const offer = (await w.createOffer()).body;
    expect(offer.moderation.decision).toBe('approved');
    expect((await w.api.post(`/v1/offers/${offer.id}/publish`)).status).toBe(200);
    const token = (await w.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' })).body.token as string;
    const live = (await w.api.get(`/v1/offers/${offer.id}`)).body;
    return { ...w, offer: live, token };
  }
  const ifMatch = (version: number) => ({ headers: { 'if-match': String(version) } });

  it('refuses an edit the hook rejects with 422 moderation_rejected, changing nothing', async () => {
    await using ld = await boot();
    const { api, keys, offer } = await liveWorld(ld);
    const before = await eventCount(api);
    for (const as of [api, apiAs(ld.url, keys.creatorKey)]) {
      const res = await as.patch(
        `/v1/offers/${offer.id}`,
        { title: 'Replica studio headphones' },
        ifMatch(offer.version),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('moderation_rejected');
      expect(res.body.detail).toContain('counterfeit');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['title']);
    }
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/offers/${offer.id}`)).body).toEqual(offer);
  });

  it('takes a live offer off sale while an escalated edit waits for a moderator', async () => {
    await using ld = await boot();
    const { api, keys, sessionId, offer, token } = await liveWorld(ld);
    const res = await api.patch(`/v1/offers/${offer.id}`, { compareAtPrice: usd(4999 * 18) }, ifMatch(offer.version));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: 'pending_review',
      compareAtPrice: usd(4999 * 18),
      moderation: { decision: 'escalated', reviewedAt: null },
      version: offer.version + 1,
    });
    expect((await events(api)).at(-1)).toMatchObject({ type: 'livedrop.offer.updated', data: { offer: res.body } });

    // Viewers see it is no longer on sale, and cannot buy it.
    const pub = apiAs(ld.url, keys.publishableKey);
    const view = await pub.get(`/v1/sessions/${sessionId}`);
    expect(view.body.offers.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [offer.id, 'pending_review'],
    ]);
    const held = await api.post('/v1/reservations', { offerToken: token, quantity: 1 });
    expect(held.status).toBe(409);
    expect(held.body.code).toBe('offer_not_live');
    expect(held.body.detail).toMatch(/review/);
    expect((await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_2' })).body.code).toBe('offer_not_live');
    expect((await api.post(`/v1/offers/${offer.id}/publish`)).status).toBe(409);

    // Approved, it comes back paused (it had been on sale): publishing puts it on sale again.
    const reviewed = await apiAs(ld.url, keys.moderatorKey).post(`/v1/offers/${offer.id}/review`, {
      decision: 'approve',
    });
    expect(reviewed.body).toMatchObject({ status: 'paused', moderation: { decision: 'approved' } });
    expect((await api.post(`/v1/offers/${offer.id}/publish`)).body.status).toBe('live');
    const fresh = (await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_3' })).body.token;
    expect((await api.post('/v1/reservations', { offerToken: fresh, quantity: 1 })).status).toBe(201);
  });

  it('calls the hook again with the edited offer when title, price or compare-at price change, and only then', async () => {
    const seen: Offer[] = [];
    await using ld = await boot((offer) => {
      seen.push(offer);
      return 'approve';
    });
    const { api, offer } = await liveWorld(ld);
    seen.length = 0;
    const quantity = await api.patch(
      `/v1/offers/${offer.id}`,
      { quantity: 20, perBuyerLimit: 2 },
      ifMatch(offer.version),
    );
    expect(quantity.status).toBe(200);
    expect(seen).toEqual([]);
    const same = await api.patch(`/v1/offers/${offer.id}`, { title: offer.title }, ifMatch(offer.version + 1));
    expect(same.status).toBe(200);
    expect(seen).toEqual([]);
    for (const [field, value] of [
      ['title', 'Studio headphones, white'],
      ['price', usd(4499)],
      ['compareAtPrice', usd(5999)],
    ] as const) {
      const version: number = (await api.get(`/v1/offers/${offer.id}`)).body.version;
      const res = await api.patch(`/v1/offers/${offer.id}`, { [field]: value }, ifMatch(version));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('live');
      expect(seen.at(-1)).toMatchObject({ id: offer.id, [field]: value });
    }
    expect(seen).toHaveLength(3);
  });
});

describe('offer lifecycle', () => {
  it('publishes only in a live session, pauses, resumes and ends, one event per change', async () => {
    await using ld = await boot();
    const { api, sessionId, createOffer } = await world(ld, { live: false });
    const offer = (await createOffer()).body;
    const before = await eventCount(api);
    const notStarted = await api.post(`/v1/offers/${offer.id}/publish`);
    expect(notStarted.status).toBe(409);
    expect(notStarted.body.code).toBe('invalid_state');
    expect(notStarted.body.detail).toContain('start the session first');
    expect((await api.post(`/v1/offers/${offer.id}/pause`)).status).toBe(409);
    expect(await eventCount(api)).toBe(before);

    await api.post(`/v1/sessions/${sessionId}/start`);
    const seq = await eventCount(api);
    ld.server.engine.clock.advance(60_000);
    const live = await api.post(`/v1/offers/${offer.id}/publish`);
    expect(live.body).toMatchObject({ status: 'live', publishedAt: '2026-11-25T18:01:00.000Z', version: 2 });
    expect((await api.post(`/v1/offers/${offer.id}/publish`)).status).toBe(409);
    ld.server.engine.clock.advance(60_000);
    const paused = await api.post(`/v1/offers/${offer.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', version: 3 });
    expect((await api.post(`/v1/offers/${offer.id}/pause`)).status).toBe(409);
    const resumed = await api.post(`/v1/offers/${offer.id}/publish`);
    expect(resumed.body).toMatchObject({ status: 'live', publishedAt: '2026-11-25T18:01:00.000Z', version: 4 });
    const ended = await api.post(`/v1/offers/${offer.id}/end`);
    expect(ended.body).toMatchObject({ status: 'ended', endedAt: '2026-11-25T18:02:00.000Z', version: 5 });
    const types = (await events(api, seq)).map((e) => e.type);
    expect(types).toEqual([
      'livedrop.offer.published',
      'livedrop.offer.paused',
      'livedrop.offer.published',
      'livedrop.offer.ended',
    ]);

    const count = await eventCount(api);
    for (const action of ['publish', 'pause', 'end']) {
      const res = await api.post(`/v1/offers/${offer.id}/${action}`);
      expect(res.status, action).toBe(409);
    }
    expect(await eventCount(api)).toBe(count);
    expect((await api.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it('ends a flash offer by itself at its endsAt on the server clock; a moved or cleared end is kept', async () => {
    await using ld = await boot();
    const { api, sessionId, createOffer } = await world(ld);
    // An end that is not in the future is refused, and nothing is stored.
    const before = await offerIds(api, sessionId);
    const past = await createOffer({ endsAt: '2026-11-25T18:00:00.000Z' });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'endsAt', code: 'too_small' }] });
    expect(past.body.detail).toContain("the server's clock reads 2026-11-25T18:00:00.000Z");
    expect(await offerIds(api, sessionId)).toEqual(before);

    const flash = (await createOffer({ endsAt: '2026-11-25T18:10:00.000Z', reservationTtlSeconds: 1800 })).body;
    expect(flash.endsAt).toBe('2026-11-25T18:10:00.000Z');
    await api.post(`/v1/offers/${flash.id}/publish`);
    const { token } = (await api.post(`/v1/offers/${flash.id}/tokens`, { buyerId: 'buyer_early' })).body;
    const hold = (await api.post('/v1/reservations', { offerToken: token, quantity: 1 })).body;
    const listing = (await api.get(`/v1/sessions/${sessionId}/listing`)).body;
    expect(listing.offers.find((o: { identifier: string }) => o.identifier === flash.id).validThrough).toBe(
      '2026-11-25T18:10:00.000Z',
    );

    const seq = await eventCount(api);
    ld.server.engine.clock.advance(10 * 60_000 - 1);
    expect((await api.get(`/v1/offers/${flash.id}`)).body.status).toBe('live');
    ld.server.engine.clock.advance(1);
    const ended = (await api.get(`/v1/offers/${flash.id}`)).body;
    expect(ended).toMatchObject({
      status: 'ended',
      endedAt: '2026-11-25T18:10:00.000Z',
      endsAt: '2026-11-25T18:10:00.000Z',
    });
    expect((await events(api, seq)).map((e) => [e.type, e.data.offer?.id])).toEqual([
      ['livedrop.offer.ended', flash.id],
    ]);
    // Like an offer ended by hand: no new tokens, and the hold made before keeps its TTL.
    const late = await api.post(`/v1/offers/${flash.id}/tokens`, { buyerId: 'buyer_late' });
    expect(late.body.code).toBe('offer_not_live');
    expect((await api.get(`/v1/reservations/${hold.id}`)).body.status).toBe('held');

    // A moved end is the one kept; a cleared one never ends the offer.
    const moved = (await createOffer({ sku: 'HP-2', endsAt: '2026-11-25T18:20:00.000Z' })).body;
    await api.post(`/v1/offers/${moved.id}/publish`);
    const later = await api.patch(
      `/v1/offers/${moved.id}`,
      { endsAt: '2026-11-25T18:40:00.000Z' },
      { headers: { 'if-match': '2' } },
    );
    expect(later.body).toMatchObject({ endsAt: '2026-11-25T18:40:00.000Z', version: 3 });
    ld.server.engine.clock.advance(20 * 60_000);
    expect((await api.get(`/v1/offers/${moved.id}`)).body.status).toBe('live');
    const cleared = await api.patch(`/v1/offers/${moved.id}`, { endsAt: null }, { headers: { 'if-match': '3' } });
    expect(cleared.body.endsAt).toBeNull();
    ld.server.engine.clock.advance(HOUR);
    expect((await api.get(`/v1/offers/${moved.id}`)).body).toMatchObject({ status: 'live', endedAt: null });
    const stale = await api.patch(
      `/v1/offers/${moved.id}`,
      { endsAt: '2026-11-25T18:00:00.000Z' },
      { headers: { 'if-match': '4' } },
    );
    expect(stale.body.code).toBe('validation_failed');
    expect((await api.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it('ending an offer keeps holds and releases the backorder queue before offer.ended', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const offer = (
      await createOffer({
        quantity: 1,
        backorder: { allowed: true, limit: 5, sellerConsentAt: '2026-11-20T00:00:00.000Z' },
      })
    ).body;
    await api.post(`/v1/offers/${offer.id}/publish`);
    const reserve = async (buyerId: string) => {
      const token = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId });
      return (await api.post('/v1/reservations', { offerToken: token.body.token, quantity: 1, backorderConsent: true }))
        .body;
    };
    const held = await reserve('buyer_1');
    const queued = await reserve('buyer_2');
    expect([held.status, queued.status]).toEqual(['held', 'backordered']);
    const seq = await eventCount(api);

    const ended = await api.post(`/v1/offers/${offer.id}/end`);
    expect(ended.body).toMatchObject({
      status: 'ended',
      stock: { total: 1, available: 0, reserved: 1, backordered: 0 },
    });
    expect((await events(api, seq)).map((e) => [e.type, e.subject])).toEqual([
      ['livedrop.reservation.released', queued.id],
      ['livedrop.offer.ended', offer.id],
    ]);
    expect((await api.get(`/v1/reservations/${held.id}`)).body).toMatchObject({
      status: 'held',
      expiresAt: held.expiresAt,
    });
    expect((await api.get(`/v1/reservations/${queued.id}`)).body.status).toBe('released');
  });

  it('ends a draft directly', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const offer = (await createOffer()).body;
    const ended = await api.post(`/v1/offers/${offer.id}/end`);
    expect(ended.body).toMatchObject({ status: 'ended', publishedAt: null });
  });

  it('scopes reads and actions: creator keys to their own offers, every key to its tenant', async () => {
    await using ld = await boot();
    const { api, keys, sellerId, createOffer } = await world(ld);
    const own = (await createOffer()).body;
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    await api.post(`/v1/creators/${zoe.body.id}/entitlements`, {
      sellerId,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    const zoes = await api.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Zoe live',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    await api.post(`/v1/sessions/${zoes.body.id}/start`);
    const theirs = (
      await api.post(`/v1/sessions/${zoes.body.id}/offers`, {
        sellerId,
        sku: 'Z',
        title: 'Zoe pick',
        price: usd(100),
        quantity: 1,
      })
    ).body;

    const creatorApi = apiAs(ld.url, keys.creatorKey);
    expect((await creatorApi.get(`/v1/offers/${own.id}`)).status).toBe(200);
    const before = await eventCount(api);
    expect((await creatorApi.get(`/v1/offers/${theirs.id}`)).status).toBe(404);
    for (const action of ['publish', 'pause', 'end'])
      expect((await creatorApi.post(`/v1/offers/${theirs.id}/${action}`)).status).toBe(404);
    expect(
      (await creatorApi.patch(`/v1/offers/${theirs.id}`, { title: 'Mine' }, { headers: { 'if-match': '1' } })).status,
    ).toBe(404);
    expect(await eventCount(api)).toBe(before);
    expect((await creatorApi.post(`/v1/offers/${own.id}/publish`)).status).toBe(200);

    const other = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    expect((await other.get(`/v1/offers/${own.id}`)).status).toBe(404);
    expect((await other.post(`/v1/offers/${own.id}/end`)).status).toBe(404);
    expect((await apiAs(ld.url, keys.publishableKey).get(`/v1/offers/${own.id}`)).status).toBe(403);
    expect((await api.get('/v1/offers/off_unknown')).status).toBe(404);
    expect((await apiAs(ld.url, keys.moderatorKey).get(`/v1/offers/${theirs.id}`)).status).toBe(200);
  });
});

describe('changing offers', () => {
  it('needs If-Match: 428 without it, 412 when stale', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const offer = (await createOffer()).body;
    const before = await eventCount(api);
    const missing = await api.patch(`/v1/offers/${offer.id}`, { title: 'New' });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('precondition_required');
    const stale = await api.patch(`/v1/offers/${offer.id}`, { title: 'New' }, { headers: { 'if-match': '2' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.detail).toContain('version 1');
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/offers/${offer.id}`)).body).toEqual(offer);
  });

  it('changes title, price, compare-at price, per-buyer limit and quantity, bumps the version, emits offer.updated', async () => {
    await using ld = await boot();
    const { api, sessionId, createOffer } = await world(ld);
    const offer = (await createOffer({ priceFloor: usd(3999), compareAtPrice: usd(6999) })).body;
    const view = await api.get(`/v1/sessions/${sessionId}`);
    ld.server.engine.clock.advance(60_000);
    const res = await api.patch(
      `/v1/offers/${offer.id}`,
      { title: 'Headphones, black', price: usd(3999), compareAtPrice: null, perBuyerLimit: 3, quantity: 25 },
      { headers: { 'if-match': '1' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: 'Headphones, black',
      price: usd(3999),
      compareAtPrice: null,
      perBuyerLimit: 3,
      stock: { total: 25, available: 25, reserved: 0, sold: 0, backordered: 0 },
      version: 2,
      updatedAt: '2026-11-25T18:01:00.000Z',
    });
    expect((await events(api)).at(-1)).toMatchObject({ type: 'livedrop.offer.updated', data: { offer: res.body } });
    const etag = view.headers.get('etag')!;
    expect((await api.get(`/v1/sessions/${sessionId}`, { headers: { 'if-none-match': etag } })).status).toBe(200);

    const zero = await api.patch(`/v1/offers/${offer.id}`, { quantity: 0 }, { headers: { 'if-match': '2' } });
    expect(zero.body).toMatchObject({ soldOut: true, stock: { total: 0, available: 0 }, version: 3 });
  });

  it('refuses a price below the floor or in another currency, changing nothing', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const offer = (await createOffer({ priceFloor: usd(3999), compareAtPrice: usd(6999) })).body;
    const before = await eventCount(api);
    const low = await api.patch(
      `/v1/offers/${offer.id}`,
      { price: usd(3000), title: 'Cheap' },
      { headers: { 'if-match': '1' } },
    );
    expect(low.status).toBe(422);
    expect(low.body.code).toBe('price_below_floor');
    expect(low.body.detail).toContain('$30.00');
    expect(low.body.detail).toContain('$39.99');
    const euro = await api.patch(
      `/v1/offers/${offer.id}`,
      { price: { amount: 4500, currency: 'EUR' } },
      { headers: { 'if-match': '1' } },
    );
    expect(euro.status).toBe(422);
    expect(euro.body.code).toBe('currency_mismatch');
    expect(euro.body.errors[0].path).toBe('price.currency');
    const compareAt = await api.patch(
      `/v1/offers/${offer.id}`,
      { compareAtPrice: { amount: 9000, currency: 'GBP' } },
      { headers: { 'if-match': '1' } },
    );
    expect(compareAt.status).toBe(422);
    expect(compareAt.body.errors[0].path).toBe('compareAtPrice.currency');
    // The floor is patchable (platform key), but only in the price's currency; the sku is not patchable.
    const euroFloor = await api.patch(
      `/v1/offers/${offer.id}`,
      { priceFloor: { amount: 100, currency: 'EUR' } },
      { headers: { 'if-match': '1' } },
    );
    expect(euroFloor.status).toBe(422);
    expect(euroFloor.body.errors[0].path).toBe('priceFloor.currency');
    const unknown = await api.patch(`/v1/offers/${offer.id}`, { sku: 'HP-2' }, { headers: { 'if-match': '1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('unrecognized_keys');
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/offers/${offer.id}`)).body).toEqual(offer);
  });

  it('refuses a quantity below what is held or sold, changing nothing, even with other fields in the same request', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const offer = (await createOffer()).body;
    await api.post(`/v1/offers/${offer.id}/publish`);
    const token = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' });
    expect((await api.post('/v1/reservations', { offerToken: token.body.token, quantity: 3 })).status).toBe(201);
    const current = (await api.get(`/v1/offers/${offer.id}`)).body;
    const before = await eventCount(api);
    const res = await api.patch(
      `/v1/offers/${offer.id}`,
      { quantity: 2, title: 'Renamed' },
      { headers: { 'if-match': String(current.version) } },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('quantity_below_committed');
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/offers/${offer.id}`)).body).toEqual(current);
    const ok = await api.patch(
      `/v1/offers/${offer.id}`,
      { quantity: 3 },
      { headers: { 'if-match': String(current.version) } },
    );
    expect(ok.body).toMatchObject({ soldOut: true, stock: { total: 3, available: 0, reserved: 3 } });
  });

  it('refuses changes to ended and rejected offers with 409', async () => {
    await using ld = await boot();
    const { api, createOffer } = await world(ld);
    const ended = (await api.post(`/v1/offers/${(await createOffer()).body.id}/end`)).body;
    const rejected = (await createOffer({ title: 'Counterfeit bag' })).body;
    const before = await eventCount(api);
    for (const offer of [ended, rejected]) {
      const res = await api.patch(
        `/v1/offers/${offer.id}`,
        { title: 'Again' },
        { headers: { 'if-match': String(offer.version) } },
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invalid_state');
    }
    expect(await eventCount(api)).toBe(before);
  });
});
