import type { Offer, Reservation } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock, isoTime } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const SELLER_CONSENT = '2026-11-20T09:00:00.000Z';

/** A seller, an entitlement, a live session and a published offer, made through the API. */
async function liveOffer(api: Api, creatorId: string, fields: Record<string, unknown>): Promise<Offer> {
  const seller = await api.post('/v1/sellers', { name: 'Acme Sneakers' });
  expect(seller.status).toBe(201);
  expect(
    (
      await api.post(`/v1/creators/${creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId,
    title: 'Friday drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'SNK-1',
    title: 'Runner',
    price: { amount: 2500, currency: 'USD' },
    quantity: 10,
    ...fields,
  });
  expect(offer.status).toBe(201);
  const published = await api.post(`/v1/offers/${offer.body.id}/publish`);
  expect(published.status).toBe(200);
  return published.body as Offer;
}

/** A running server with one live offer and the calls these tests make, each checking the invariant on every read. */
async function drop(ld: StartedReferenceServer, fields: Record<string, unknown> = {}) {
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  const browser = apiAs(ld.url, ld.server.keys.publishableKey);
  const offer = await liveOffer(api, ld.server.keys.creatorId, fields);
  let buyers = 0;
  const read = async (): Promise<Offer> => {
    const res = await api.get(`/v1/offers/${offer.id}`);
    expect(res.status).toBe(200);
    const { total, available, reserved, sold } = res.body.stock;
    expect(available + reserved + sold, 'available + reserved + sold == total').toBe(total);
    expect(res.body.soldOut).toBe(available === 0);
    return res.body as Offer;
  };
  const token = async (buyerId = `buyer_${++buyers}`, body: Record<string, unknown> = {}) => {
    const res = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId, ...body });
    expect(res.status).toBe(201);
    return res.body.token as string;
  };
  const reserve = async (
    quantity: number,
    options: { buyerId?: string; backorderConsent?: boolean; offerToken?: string } = {},
  ) => {
    const offerToken = options.offerToken ?? (await token(options.buyerId));
    const res = await browser.post('/v1/reservations', {
      offerToken,
      quantity,
      ...(options.backorderConsent === undefined ? {} : { backorderConsent: options.backorderConsent }),
    });
    await read();
    return res;
  };
  const hold = async (quantity: number, options: { buyerId?: string; backorderConsent?: boolean } = {}) => {
    const res = await reserve(quantity, options);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Reservation & { clientSecret: string };
  };
  const get = async (id: string) => {
    const res = await api.get(`/v1/reservations/${id}`);
    expect(res.status).toBe(200);
    await read();
    return res.body as Reservation;
  };
  const release = (id: string) => api.post(`/v1/reservations/${id}/release`);
  const events = async (type: string) =>
    (await api.get(`/v1/events?types=${type}&limit=1000`)).body.data as {
      subject: string;
      data: { reservation: Reservation };
    }[];
  const patchQuantity = async (quantity: number) => {
    const current = await read();
    return api.patch(`/v1/offers/${offer.id}`, { quantity }, { headers: { 'if-match': String(current.version) } });
  };
  return { api, browser, offer, read, token, reserve, hold, get, release, events, patchQuantity };
}

const at = (ms: number) => isoTime(START + ms);

describe('holding, reading and releasing', () => {
  it('holds, shows the reservation to its holders only, and releases exactly once', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, browser, offer, read, hold, release, events } = await drop(ld);
    const held = await hold(3, { buyerId: 'buyer_ann' });
    expect(held).toMatchObject({
      object: 'reservation',
      offerId: offer.id,
      sessionId: offer.sessionId,
      buyerId: 'buyer_ann',
      quantity: 3,
      status: 'held',
      unitPrice: { amount: 2500, currency: 'USD' },
      amount: { amount: 7500, currency: 'USD' },
      expiresAt: at(600_000),
      queuePosition: null,
      orderId: null,
    });
    expect(held.clientSecret).toMatch(new RegExp(`^${held.id}_secret_[A-Za-z0-9]{24,}$`));
    expect((await read()).stock).toEqual({ total: 10, available: 7, reserved: 3, sold: 0, backordered: 0 });
    const heldEvents = await events('livedrop.reservation.held');
    expect(heldEvents).toHaveLength(1);
    expect(heldEvents[0]!.data).toEqual({
      reservation: { ...held, clientSecret: undefined },
      attribution: {
        creatorId: ld.server.keys.creatorId,
        sessionId: offer.sessionId,
        offerId: offer.id,
        campaign: null,
      },
    });
    expect(heldEvents[0]!.data.reservation).not.toHaveProperty('clientSecret');

    const platform = await api.get(`/v1/reservations/${held.id}`);
    expect(platform.status).toBe(200);
    expect(platform.body).toEqual(held);
    for (const query of [
      '',
      '?clientSecret=',
      `?clientSecret=${held.clientSecret}x`,
      `?clientSecret=${held.clientSecret.slice(0, -1)}`,
      `?clientSecret=${held.id}_secret_wrong`,
    ]) {
      const hidden = await browser.get(`/v1/reservations/${held.id}${query}`);
      expect(hidden.status, query).toBe(404);
      expect(hidden.body.code).toBe('not_found');
      expect(JSON.stringify(hidden.body)).not.toContain(held.clientSecret);
    }
    const shown = await browser.get(`/v1/reservations/${held.id}?clientSecret=${held.clientSecret}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(held);
    const other = ld.server.engine.createTenant('Other Platform');
    expect((await apiAs(ld.url, other.secretKey).get(`/v1/reservations/${held.id}`)).status).toBe(404);

    expect((await browser.post(`/v1/reservations/${held.id}/release`)).status).toBe(404);
    expect((await read()).stock.reserved).toBe(3);
    const released = await browser.post(`/v1/reservations/${held.id}/release?clientSecret=${held.clientSecret}`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ id: held.id, status: 'released', expiresAt: null });
    expect((await read()).stock).toEqual({ total: 10, available: 10, reserved: 0, sold: 0, backordered: 0 });

    const again = await release(held.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('reservation_not_held');
    expect((await read()).stock.available).toBe(10);
    expect(await events('livedrop.reservation.released')).toHaveLength(1);
  });

  it('expires a hold at its TTL and returns its units exactly once', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const clock = ld.server.engine.clock;
    const { read, hold, get, release, events } = await drop(ld, { reservationTtlSeconds: 60 });
    const held = await hold(4);
    expect(held.expiresAt).toBe(at(60_000));
    clock.advance(30_000);
    expect((await get(held.id)).status).toBe('held');
    clock.advance(29_999);
    expect((await get(held.id)).status).toBe('held');
    expect((await read()).stock).toMatchObject({ available: 6, reserved: 4 });
    clock.advance(1); // exactly expiresAt
    const expired = await get(held.id);
    expect(expired).toMatchObject({ status: 'expired', expiresAt: at(60_000) });
    expect((await read()).stock).toMatchObject({ available: 10, reserved: 0 });
    for (let step = 0; step < 4; step++) {
      clock.advance(45_000);
      expect((await read()).stock).toMatchObject({ total: 10, available: 10, reserved: 0 });
    }
    expect((await release(held.id)).body.code).toBe('reservation_not_held');
    expect((await read()).stock.available).toBe(10);
    const expiredEvents = await events('livedrop.reservation.expired');
    expect(expiredEvents.map((e) => e.subject)).toEqual([held.id]);
  });

  it('a released hold does not expire later, and a jump far past many TTLs expires each hold once', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const clock = ld.server.engine.clock;
    const { read, hold, release, events } = await drop(ld, { reservationTtlSeconds: 10 });
    const released = await hold(2);
    const holds = [await hold(1), await hold(3)];
    expect((await release(released.id)).status).toBe(200);
    clock.advance(3_600_000);
    expect((await read()).stock).toEqual({ total: 10, available: 10, reserved: 0, sold: 0, backordered: 0 });
    expect((await events('livedrop.reservation.expired')).map((e) => e.subject).sort()).toEqual(
      holds.map((h) => h.id).sort(),
    );
  });
});

describe('retries and attribution', () => {
  it('an Idempotency-Key retry replays the hold instead of reserving twice', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { browser, read, token, events } = await drop(ld);
    const offerToken = await token();
    const key = { headers: { 'idempotency-key': 'checkout-attempt-1' } };
    const first = await browser.post('/v1/reservations', { offerToken, quantity: 2 }, key);
    expect(first.status).toBe(201);
    const retry = await browser.post('/v1/reservations', { offerToken, quantity: 2 }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => browser.post('/v1/reservations', { offerToken, quantity: 2 }, key)),
    );
    expect(burst.every((r) => r.status === 201 && r.body.id === first.body.id)).toBe(true);
    // Without the key the same token is a replay.
    expect((await browser.post('/v1/reservations', { offerToken, quantity: 2 })).body.code).toBe('token_replayed');
    expect((await read()).stock).toMatchObject({ available: 8, reserved: 2 });
    expect(await events('livedrop.reservation.held')).toHaveLength(1);
  });

  it("carries the token's attribution onto the reservation and its events", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { offer, token, reserve, events } = await drop(ld);
    const attribution = { campaign: 'black-friday', medium: 'live', referrer: 'https://example.com/live' };
    const res = await reserve(1, { offerToken: await token('buyer_ann', { attribution }) });
    expect(res.body.attribution).toEqual(attribution);
    expect((await events('livedrop.reservation.held'))[0]!.data).toMatchObject({
      reservation: { id: res.body.id, attribution },
      attribution: {
        creatorId: ld.server.keys.creatorId,
        sessionId: offer.sessionId,
        offerId: offer.id,
        campaign: 'black-friday',
      },
    });
  });
});

describe('refusals change nothing and keep the token usable', () => {
  it("enforces the token's quantityMax and the per-buyer limit with 422 limit_exceeded", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { read, token, reserve, hold, release } = await drop(ld, { perBuyerLimit: 3 });
    const ann = await token('buyer_ann');
    const overQmax = await reserve(4, { offerToken: ann });
    expect(overQmax.status).toBe(422);
    expect(overQmax.body.code).toBe('limit_exceeded');
    expect(overQmax.body.detail).toMatch(/quantityMax of 3/);
    expect((await read()).stock.available).toBe(10);
    // The refusal did not consume the token.
    const first = await reserve(2, { offerToken: ann });
    expect(first.status).toBe(201);

    const second = await token('buyer_ann');
    const overLimit = await reserve(2, { offerToken: second });
    expect(overLimit.status).toBe(422);
    expect(overLimit.body.code).toBe('limit_exceeded');
    expect(overLimit.body.detail).toMatch(/1 or fewer/);
    expect((await read()).stock).toMatchObject({ available: 8, reserved: 2 });
    expect((await reserve(1, { offerToken: second })).status).toBe(201);
    expect((await reserve(1, { buyerId: 'buyer_ann' })).body.code).toBe('limit_exceeded');
    // Another buyer is not affected; a release frees the buyer's allowance.
    await hold(3, { buyerId: 'buyer_bob' });
    expect((await release(first.body.id)).status).toBe(200);
    expect((await reserve(2, { buyerId: 'buyer_ann' })).status).toBe(201);

    const { reserve: reserveUnlimited, token: tokenUnlimited } = await drop(ld);
    const small = await tokenUnlimited('buyer_cat', { quantityMax: 1 });
    expect((await reserveUnlimited(2, { offerToken: small })).body.code).toBe('limit_exceeded');
    expect((await reserveUnlimited(1, { offerToken: small })).status).toBe(201);
  });

  it('answers 409 offer_not_live for paused and ended offers', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer, read, token, reserve } = await drop(ld);
    const offerToken = await token();
    expect((await api.post(`/v1/offers/${offer.id}/pause`)).status).toBe(200);
    const paused = await reserve(1, { offerToken });
    expect(paused.status).toBe(409);
    expect(paused.body.code).toBe('offer_not_live');
    expect((await api.post(`/v1/offers/${offer.id}/publish`)).status).toBe(200);
    expect((await reserve(1, { offerToken })).status).toBe(201);

    const late = await token();
    expect((await api.post(`/v1/offers/${offer.id}/end`)).status).toBe(200);
    const ended = await reserve(1, { offerToken: late });
    expect(ended.status).toBe(409);
    expect(ended.body.code).toBe('offer_not_live');
    expect((await read()).stock).toMatchObject({ available: 9, reserved: 1 });
  });

  it('refuses a token whose price is no longer the price', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer, read, token, reserve } = await drop(ld);
    const offerToken = await token();
    const current = await read();
    expect(
      (
        await api.patch(
          `/v1/offers/${offer.id}`,
          { price: { amount: 2000, currency: 'USD' } },
          { headers: { 'if-match': String(current.version) } },
        )
      ).status,
    ).toBe(200);
    const res = await reserve(1, { offerToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('token_invalid');
    expect(res.body.detail).toMatch(/price changed/);
    const fresh = await reserve(1);
    expect(fresh.status).toBe(201);
    expect(fresh.body.unitPrice).toEqual({ amount: 2000, currency: 'USD' });
  });

  it('answers 409 sold_out, and says whether consenting to a backorder would help', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { read, reserve, hold, events } = await drop(ld, { quantity: 3 });
    await hold(2);
    const tooMany = await reserve(2);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe('sold_out');
    expect(tooMany.body.detail).toMatch(/no backorders/);
    await hold(1);
    expect((await read()).soldOut).toBe(true);
    const soldOut = await reserve(1, { backorderConsent: true });
    expect(soldOut.body.code).toBe('sold_out');
    expect((await read()).stock).toEqual({ total: 3, available: 0, reserved: 3, sold: 0, backordered: 0 });
    expect(await events('livedrop.offer.sold_out')).toHaveLength(1);

    const withQueue = await drop(ld, {
      quantity: 1,
      backorder: { allowed: true, limit: 5, sellerConsentAt: SELLER_CONSENT },
    });
    await withQueue.hold(1);
    const noConsent = await withQueue.reserve(1);
    expect(noConsent.body.code).toBe('sold_out');
    expect(noConsent.body.detail).toMatch(/backorderConsent: true/);
    const refusedConsent = await withQueue.reserve(1, { backorderConsent: false });
    expect(refusedConsent.body.code).toBe('sold_out');
    expect((await withQueue.read()).stock.backordered).toBe(0);
  });
});

describe('backorders', () => {
  const backorder = { allowed: true, limit: 6, sellerConsentAt: SELLER_CONSENT };

  it('queues consenting buyers in order up to the limit', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { read, reserve, hold, get, events } = await drop(ld, { quantity: 2, backorder });
    await hold(2);
    const queued = [
      await hold(1, { backorderConsent: true }),
      await hold(2, { backorderConsent: true }),
      await hold(3, { backorderConsent: true }),
    ];
    expect(queued.map((r) => [r.status, r.queuePosition, r.expiresAt])).toEqual([
      ['backordered', 1, null],
      ['backordered', 2, null],
      ['backordered', 3, null],
    ]);
    expect(queued[0]!.clientSecret).toEqual(expect.any(String));
    expect((await read()).stock).toEqual({ total: 2, available: 0, reserved: 2, sold: 0, backordered: 6 });
    const full = await reserve(1, { backorderConsent: true });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('sold_out');
    expect(full.body.detail).toMatch(/room for 0/);
    expect((await read()).stock.backordered).toBe(6);
    expect((await events('livedrop.reservation.backordered')).map((e) => e.data.reservation.queuePosition)).toEqual([
      1, 2, 3,
    ]);
    expect((await get(queued[2]!.id)).queuePosition).toBe(3);
  });

  it('promotes in queue order on release, expiry and restock, each with a fresh TTL', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const clock = ld.server.engine.clock;
    const { read, hold, get, release, events, patchQuantity } = await drop(ld, {
      quantity: 3,
      reservationTtlSeconds: 60,
      backorder,
    });
    const first = await hold(2);
    const second = await hold(1);
    clock.advance(10_000);
    const [a, b, c, d] = [
      await hold(1, { backorderConsent: true }),
      await hold(2, { backorderConsent: true }),
      await hold(1, { backorderConsent: true }),
      await hold(1, { backorderConsent: true }),
    ] as const;

    // Leaving the queue moves the ones behind up.
    expect((await release(c.id)).status).toBe(200);
    expect([(await get(a.id)).queuePosition, (await get(b.id)).queuePosition, (await get(d.id)).queuePosition]).toEqual(
      [1, 2, 3],
    );
    expect((await read()).stock).toMatchObject({ available: 0, reserved: 3, backordered: 4 });

    // One returned unit: a (1 unit) is promoted; b (2 units) does not fit, and d waits behind b.
    clock.advance(5_000);
    expect((await release(second.id)).status).toBe(200);
    expect(await get(a.id)).toMatchObject({ status: 'held', queuePosition: null, expiresAt: at(75_000) });
    expect(await get(b.id)).toMatchObject({ status: 'backordered', queuePosition: 1 });
    expect(await get(d.id)).toMatchObject({ status: 'backordered', queuePosition: 2 });
    expect((await read()).stock).toEqual({ total: 3, available: 0, reserved: 3, sold: 0, backordered: 3 });

    // The first hold expires at 60 s: its 2 units go to b, and d still waits.
    clock.advance(45_000);
    expect(await get(first.id)).toMatchObject({ status: 'expired' });
    expect(await get(b.id)).toMatchObject({ status: 'held', expiresAt: at(120_000) });
    expect(await get(d.id)).toMatchObject({ status: 'backordered', queuePosition: 1 });
    expect((await read()).stock).toMatchObject({ available: 0, reserved: 3, backordered: 1 });

    // Restocking promotes d and leaves the rest available.
    const patched = await patchQuantity(5);
    expect(patched.status).toBe(200);
    expect(patched.body.stock).toEqual({ total: 5, available: 1, reserved: 4, sold: 0, backordered: 0 });
    expect(await get(d.id)).toMatchObject({ status: 'held', expiresAt: at(120_000) });
    expect((await events('livedrop.reservation.promoted')).map((e) => e.subject)).toEqual([a.id, b.id, d.id]);

    // Promoted holds expire like any other.
    clock.advance(60_000);
    expect((await read()).stock).toEqual({ total: 5, available: 5, reserved: 0, sold: 0, backordered: 0 });
  });

  it('refuses to lower stock below what is held, changing nothing', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { read, hold, patchQuantity } = await drop(ld, { quantity: 5 });
    await hold(3);
    const before = await read();
    const res = await patchQuantity(2);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('quantity_below_committed');
    expect(await read()).toEqual(before);
    expect((await patchQuantity(3)).body.stock).toEqual({
      total: 3,
      available: 0,
      reserved: 3,
      sold: 0,
      backordered: 0,
    });
    expect((await read()).soldOut).toBe(true);
  });

  it('ending the offer releases its queue and promotes nothing afterwards', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer, read, hold, get, release, events } = await drop(ld, { quantity: 1, backorder });
    const held = await hold(1);
    const queued = await hold(1, { backorderConsent: true });
    expect((await api.post(`/v1/offers/${offer.id}/end`)).status).toBe(200);
    expect(await get(queued.id)).toMatchObject({ status: 'released', queuePosition: null });
    expect((await read()).stock).toMatchObject({ available: 0, reserved: 1, backordered: 0 });
    // The hold granted before the end keeps working until it is released; its unit is not promoted.
    expect(await get(held.id)).toMatchObject({ status: 'held' });
    expect((await release(held.id)).status).toBe(200);
    expect((await read()).stock).toEqual({ total: 1, available: 1, reserved: 0, sold: 0, backordered: 0 });
    expect((await release(queued.id)).body.code).toBe('reservation_not_held');
    expect(await events('livedrop.reservation.promoted')).toHaveLength(0);
  });
});
