import { reverseSplit, splitAmount, type Order, type Refund, type Reservation, type Transfer } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock, isoTime } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const usd = (amount: number) => ({ amount, currency: 'USD' });

interface ShopOptions {
  readonly price?: { amount: number; currency: string };
  readonly split?: { platformFeeBps: number; creatorCommissionBps?: number };
  readonly reservationTtlSeconds?: number;
  readonly backorder?: boolean;
}

/** A live offer ($19.99, 10 % platform fee, 15 % commission by default) and the calls these tests make. */
async function shop(ld: StartedReferenceServer, options: ShopOptions = {}) {
  const { keys } = ld.server;
  const api = apiAs(ld.url, keys.secretKey);
  const browser = apiAs(ld.url, keys.publishableKey);
  const creator = apiAs(ld.url, keys.creatorKey);
  const control = apiAs(ld.url, ld.server.controlKey);
  const seller = await api.post('/v1/sellers', { name: 'Acme Outfitters' });
  expect(seller.status).toBe(201);
  expect(
    (
      await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId: keys.creatorId,
    title: 'Black Friday drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'PARKA-1',
    title: 'Storm Parka',
    price: options.price ?? usd(1999),
    quantity: 10,
    split: options.split ?? { platformFeeBps: 1000, creatorCommissionBps: 1500 },
    ...(options.reservationTtlSeconds === undefined ? {} : { reservationTtlSeconds: options.reservationTtlSeconds }),
    ...(options.backorder
      ? { backorder: { allowed: true, limit: 5, sellerConsentAt: '2026-11-20T09:00:00.000Z' } }
      : {}),
  });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  expect((await api.post(`/v1/offers/${offer.body.id}/publish`)).status).toBe(200);
  let buyers = 0;

  const hold = async (quantity: number, extra: Record<string, unknown> = {}) => {
    const token = await api.post(`/v1/offers/${offer.body.id}/tokens`, {
      buyerId: `buyer_${++buyers}`,
      quantityMax: 10,
    });
    expect(token.status).toBe(201);
    const held = await browser.post('/v1/reservations', { offerToken: token.body.token, quantity, ...extra });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    return held.body as Reservation & { clientSecret: string };
  };
  const capture = (id: string, headers: Record<string, string> = {}) =>
    api.post(`/v1/reservations/${id}/capture`, { paymentReference: 'pi_ext_123' }, { headers });
  const order = async (id: string) => {
    const res = await api.get(`/v1/orders/${id}`);
    expect(res.status).toBe(200);
    return res.body as Order;
  };
  const events = async (type?: string) =>
    (await api.get(`/v1/events?limit=1000${type ? `&types=${type}` : ''}`)).body.data as {
      type: string;
      subject: string;
      time: string;
      data: any;
    }[];
  const stock = async () =>
    (await api.get(`/v1/offers/${offer.body.id}`)).body.stock as { available: number; reserved: number; sold: number };
  const advance = async (advanceMs: number) =>
    expect((await control.post('/__control/clock', { advanceMs })).status).toBe(200);
  return {
    keys,
    api,
    browser,
    creator,
    control,
    sellerId: seller.body.id as string,
    sessionId: session.body.id as string,
    offerId: offer.body.id as string,
    hold,
    capture,
    order,
    events,
    stock,
    advance,
  };
}

describe('capture and confirm', () => {
  it('captures a hold into an order whose split and transfers are exact', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const held = await s.hold(3);
    const captured = await s.capture(held.id);
    expect(captured.status, JSON.stringify(captured.body)).toBe(201);
    const order = captured.body as Order;

    // 5997 × 10 % = 599.7, × 15 % = 899.55, × 75 % = 4497.75: floors 599/899/4497 leave 2 units,
    // which go to the largest remainders (seller .75, platform .7).
    const expected = splitAmount(5997, { platformFeeBps: 1000, creatorCommissionBps: 1500 });
    expect(expected).toEqual({ platform: 600, creator: 899, seller: 4498 });
    expect(order).toMatchObject({
      object: 'order',
      reservationId: held.id,
      offerId: s.offerId,
      sessionId: s.sessionId,
      creatorId: s.keys.creatorId,
      sellerId: s.sellerId,
      buyerId: held.buyerId,
      quantity: 3,
      gross: usd(5997),
      amountRefunded: usd(0),
      status: 'paid',
      paymentReference: 'pi_ext_123',
      attribution: null,
      capturedAt: isoTime(START),
      settledAt: null,
      timeToSettlementMs: null,
      refunds: [],
    });
    expect(order.id).toMatch(/^ord_/);
    expect(order.split).toEqual([
      { party: 'platform', destination: 'platform', bps: 1000, amount: usd(600) },
      { party: 'creator', destination: s.keys.creatorId, bps: 1500, amount: usd(899) },
      { party: 'seller', destination: s.sellerId, bps: 7500, amount: usd(4498) },
    ]);
    expect(order.transfers).toHaveLength(3);
    for (const [index, transfer] of order.transfers.entries()) {
      const leg = order.split[index]!;
      expect(transfer).toMatchObject({
        object: 'transfer',
        orderId: order.id,
        transferGroup: order.id,
        party: leg.party,
        destination: leg.destination,
        amount: leg.amount,
        amountReversed: usd(0),
        status: 'pending',
        availableAt: isoTime(START + 2 * DAY),
        paidAt: null,
        reversals: [],
      });
      expect(transfer.id).toMatch(/^tr_/);
    }
    expect(await s.order(order.id)).toEqual(order);
    expect(await s.stock()).toMatchObject({ available: 7, reserved: 0, sold: 3 });
    expect((await s.api.get(`/v1/reservations/${held.id}`)).body).toMatchObject({
      status: 'captured',
      orderId: order.id,
      expiresAt: null,
    });

    const created = await s.events('livedrop.order.created');
    expect(created).toHaveLength(1);
    expect(created[0]!.subject).toBe(order.id);
    expect(created[0]!.data).toEqual({
      order,
      attribution: { creatorId: s.keys.creatorId, sessionId: s.sessionId, offerId: s.offerId, campaign: null },
    });
    expect((await s.api.get('/v1/audit/verify')).body.valid).toBe(true);
    // Another tenant's key, and other roles, cannot read the order.
    const other = ld.server.engine.createTenant('Other Platform');
    expect((await apiAs(ld.url, other.secretKey).get(`/v1/orders/${order.id}`)).status).toBe(404);
    expect((await s.browser.get(`/v1/orders/${order.id}`)).status).toBe(403);
    expect((await s.browser.post(`/v1/reservations/${held.id}/capture`, { paymentReference: 'x' })).status).toBe(403);
  });

  it('splits a zero-decimal and a three-decimal currency exactly too, and leaves out empty legs', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld, {
      price: { amount: 333, currency: 'JPY' },
      split: { platformFeeBps: 0, creatorCommissionBps: 3333 },
    });
    const order = (await s.capture((await s.hold(1)).id)).body as Order;
    expect(order.split.map((leg) => leg.amount.amount)).toEqual([0, 111, 222]);
    expect(order.transfers.map((transfer) => [transfer.party, transfer.amount])).toEqual([
      ['creator', { amount: 111, currency: 'JPY' }],
      ['seller', { amount: 222, currency: 'JPY' }],
    ]);
  });

  it('confirms with the client secret: a decline keeps the hold and is recorded, replayed for the same key', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const held = await s.hold(2);
    const path = `/v1/reservations/${held.id}/confirm`;

    for (const clientSecret of [`${held.clientSecret}x`, 'nope']) {
      const wrong = await s.browser.post(path, { clientSecret, paymentMethod: 'pm_test_ok' });
      expect(wrong.status).toBe(404);
      expect(wrong.body.code).toBe('not_found');
    }

    const key = { 'idempotency-key': 'confirm-declined-1' };
    const declined = await s.browser.post(
      path,
      { clientSecret: held.clientSecret, paymentMethod: 'pm_test_declined' },
      { headers: key },
    );
    expect(declined.status).toBe(402);
    expect(declined.body.code).toBe('payment_declined');
    expect(declined.body.detail).toContain('pm_test_ok');
    expect((await s.api.get(`/v1/reservations/${held.id}`)).body).toMatchObject({
      status: 'held',
      orderId: null,
      expiresAt: held.expiresAt,
    });
    expect(await s.stock()).toMatchObject({ available: 8, reserved: 2, sold: 0 });
    const declines = await s.events('livedrop.payment.declined');
    expect(declines).toHaveLength(1);
    expect(declines[0]!.data).toEqual({
      reservationId: held.id,
      paymentMethod: 'pm_test_declined',
      attribution: { creatorId: s.keys.creatorId, sessionId: s.sessionId, offerId: s.offerId, campaign: null },
    });

    const replay = await s.browser.post(
      path,
      { clientSecret: held.clientSecret, paymentMethod: 'pm_test_declined' },
      { headers: key },
    );
    expect(replay.status).toBe(402);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.code).toBe('payment_declined');
    expect(await s.events('livedrop.payment.declined')).toHaveLength(1);

    const paid = await s.browser.post(path, { clientSecret: held.clientSecret, paymentMethod: 'pm_test_ok' });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      object: 'order',
      reservationId: held.id,
      gross: usd(3998),
      status: 'paid',
      paymentReference: `pm_test_ok:${held.id}`,
    });
    expect(await s.stock()).toMatchObject({ available: 8, reserved: 0, sold: 2 });
    const again = await s.browser.post(path, { clientSecret: held.clientSecret, paymentMethod: 'pm_test_ok' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('reservation_not_held');
    expect(again.body.detail).toContain(paid.body.id);
    expect(await s.events('livedrop.order.created')).toHaveLength(1);
  });

  it('refuses to capture an expired, released or backordered reservation, changing nothing', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld, { reservationTtlSeconds: 60, backorder: true });
    const lapsed = await s.hold(1);
    await s.advance(60_000);
    const before = (await s.events()).length;
    const expired = await s.capture(lapsed.id);
    expect(expired.status).toBe(409);
    expect(expired.body.code).toBe('reservation_expired');
    const confirmed = await s.browser.post(`/v1/reservations/${lapsed.id}/confirm`, {
      clientSecret: lapsed.clientSecret,
      paymentMethod: 'pm_test_declined',
    });
    expect(confirmed.status).toBe(409);
    expect(confirmed.body.code).toBe('reservation_expired');

    const released = await s.hold(1);
    expect((await s.api.post(`/v1/reservations/${released.id}/release`)).status).toBe(200);
    const notHeld = await s.capture(released.id);
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.code).toBe('reservation_not_held');

    await s.hold(10);
    const waiting = await s.hold(1, { backorderConsent: true });
    expect(waiting.status).toBe('backordered');
    const queued = await s.capture(waiting.id);
    expect(queued.status).toBe(409);
    expect(queued.body.code).toBe('reservation_not_held');

    const types = (await s.events()).slice(before).map((event) => event.type);
    expect(types).not.toContain('livedrop.order.created');
    expect(types).not.toContain('livedrop.payment.declined');
    expect(await s.stock()).toMatchObject({ available: 0, reserved: 10, sold: 0 });
    expect((await s.api.get(`/v1/reservations/${lapsed.id}`)).body.status).toBe('expired');
    expect((await s.control.get('/__control/state')).body.invariantHolds).toBe(true);
  });

  it('captures once: a second capture is 409 naming the order, the same Idempotency-Key replays the 201', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const held = await s.hold(2);
    const key = { 'idempotency-key': 'capture-res-1' };
    const first = await s.capture(held.id, key);
    expect(first.status).toBe(201);
    const retry = await s.capture(held.id, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const second = await s.capture(held.id);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('reservation_not_held');
    expect(second.body.detail).toContain(first.body.id);
    const [a, b] = await Promise.all([
      s.capture(held.id, { 'idempotency-key': 'k-a' }),
      s.capture(held.id, { 'idempotency-key': 'k-b' }),
    ]);
    expect([a.status, b.status]).toEqual([409, 409]);
    expect(await s.events('livedrop.order.created')).toHaveLength(1);
    expect(await s.stock()).toMatchObject({ reserved: 0, sold: 2 });
    expect(ld.server.engine.store.orders.size).toBe(1);
  });
});

describe('settlement', () => {
  it('pays every transfer once the settlement delay has passed on the clock', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const order = (await s.capture((await s.hold(3)).id)).body as Order;
    await s.advance(2 * DAY - 1);
    expect((await s.order(order.id)).transfers.map((transfer) => transfer.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    expect(await s.events('livedrop.transfer.paid')).toHaveLength(0);

    await s.advance(1);
    const settled = await s.order(order.id);
    expect(settled.settledAt).toBe(isoTime(START + 2 * DAY));
    expect(settled.timeToSettlementMs).toBe(2 * DAY);
    for (const transfer of settled.transfers)
      expect(transfer).toMatchObject({ status: 'paid', paidAt: isoTime(START + 2 * DAY) });
    const paid = await s.events('livedrop.transfer.paid');
    expect(paid.map((event) => event.subject)).toEqual(order.transfers.map((transfer) => transfer.id));
    expect(paid.map((event) => event.data.transfer.status)).toEqual(['paid', 'paid', 'paid']);

    await s.advance(5 * DAY);
    expect(await s.events('livedrop.transfer.paid')).toHaveLength(3);
    expect((await s.order(order.id)).settledAt).toBe(isoTime(START + 2 * DAY));
  });

  it('measures time to settlement from capture to the payout run that paid the order', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START), settlementDelayMs: 60_000 });
    const s = await shop(ld);
    const order = (await s.capture((await s.hold(1)).id)).body as Order;
    expect(order.transfers[0]!.availableAt).toBe(isoTime(START + 60_000));
    await s.advance(90_000);
    expect(await s.order(order.id)).toMatchObject({ settledAt: isoTime(START + 90_000), timeToSettlementMs: 90_000 });
  });
});

describe('refunds', () => {
  it('refunds part, then the rest, reversing each transfer proportionally and exactly', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const order = (await s.capture((await s.hold(3)).id)).body as Order;
    await s.advance(2 * DAY);
    const split = { platform: 600, creator: 899, seller: 4498 };

    const partial = await s.api.post(`/v1/orders/${order.id}/refunds`, {
      amount: usd(1000),
      reason: 'requested_by_customer',
    });
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    const first = partial.body as Refund;
    const firstShares = reverseSplit({ split, reversed: { platform: 0, creator: 0, seller: 0 } }, 1000);
    // 1000 × 600/5997 = 100.05, × 899/5997 = 149.9, × 4498/5997 = 750.04: floors 100/149/750, one unit to the creator.
    expect(firstShares).toEqual({ platform: 100, creator: 150, seller: 750 });
    expect(first).toMatchObject({ object: 'refund', orderId: order.id, amount: usd(1000) });
    expect(first.id).toMatch(/^ref_/);
    expect(first.reversals.map((reversal) => [reversal.transferId, reversal.amount.amount])).toEqual(
      order.transfers.map((transfer) => [transfer.id, firstShares[transfer.party]]),
    );
    for (const reversal of first.reversals)
      expect(reversal).toMatchObject({
        object: 'transfer_reversal',
        refundId: first.id,
        createdAt: isoTime(START + 2 * DAY),
      });

    let current = await s.order(order.id);
    expect(current).toMatchObject({ status: 'partially_refunded', amountRefunded: usd(1000), refunds: [first] });
    expect(current.transfers.map((transfer) => [transfer.status, transfer.amountReversed.amount])).toEqual([
      ['paid', 100],
      ['paid', 150],
      ['paid', 750],
    ]);

    const rest = await s.api.post(`/v1/orders/${order.id}/refunds`, {});
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toEqual(usd(4997));
    expect(rest.body.reversals.map((reversal: { amount: { amount: number } }) => reversal.amount.amount)).toEqual([
      500, 749, 3748,
    ]);
    current = await s.order(order.id);
    expect(current).toMatchObject({ status: 'refunded', amountRefunded: usd(5997) });
    expect(current.transfers.map((transfer) => [transfer.status, transfer.amountReversed.amount])).toEqual([
      ['reversed', 600],
      ['reversed', 899],
      ['reversed', 4498],
    ]);
    expect(current.transfers[1]!.reversals).toHaveLength(2);

    const types = (await s.events())
      .map((event) => event.type)
      .filter((type) => type.startsWith('livedrop.refund') || type === 'livedrop.transfer.reversed');
    expect(types).toEqual([
      'livedrop.refund.created',
      ...Array(3).fill('livedrop.transfer.reversed'),
      'livedrop.refund.created',
      ...Array(3).fill('livedrop.transfer.reversed'),
    ]);
    const refunded = await s.events('livedrop.refund.created');
    expect(refunded[0]!.data).toEqual({
      refund: first,
      attribution: { creatorId: s.keys.creatorId, sessionId: s.sessionId, offerId: s.offerId, campaign: null },
    });

    const nothingLeft = await s.api.post(`/v1/orders/${order.id}/refunds`, {});
    expect(nothingLeft.status).toBe(422);
    expect(nothingLeft.body.code).toBe('refund_exceeds_capture');
  });

  it('refuses a refund beyond what is left, in another currency, or of zero, changing nothing', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const order = (await s.capture((await s.hold(3)).id)).body as Order;
    expect((await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(5000) })).status).toBe(201);
    const before = await s.order(order.id);
    const eventCount = (await s.events()).length;

    const tooMuch = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(998) });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('refund_exceeds_capture');
    expect(tooMuch.body.detail).toContain('997');
    const otherCurrency = await s.api.post(`/v1/orders/${order.id}/refunds`, {
      amount: { amount: 10, currency: 'EUR' },
    });
    expect(otherCurrency.status).toBe(422);
    expect(otherCurrency.body.code).toBe('currency_mismatch');
    expect(otherCurrency.body.errors[0].path).toBe('amount.currency');
    const zero = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(0) });
    expect(zero.status).toBe(400);
    expect(zero.body.code).toBe('validation_failed');
    expect(zero.body.errors[0].path).toBe('amount.amount');
    const fractional = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(1.5) });
    expect(fractional.status).toBe(400);
    expect((await s.api.post('/v1/orders/ord_missing/refunds', {})).status).toBe(404);

    expect(await s.order(order.id)).toEqual(before);
    expect((await s.events()).length).toBe(eventCount);
    const exact = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(997) });
    expect(exact.status).toBe(201);
    expect((await s.order(order.id)).status).toBe('refunded');
  });

  it('replays a refund for a repeated Idempotency-Key instead of refunding twice', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const order = (await s.capture((await s.hold(1)).id)).body as Order;
    const options = { headers: { 'idempotency-key': 'refund-1' } };
    const first = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(500) }, options);
    const retry = await s.api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(500) }, options);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await s.order(order.id)).amountRefunded).toEqual(usd(500));
  });

  it('reverses pending transfers before settlement; a fully reversed transfer is never paid', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const partial = (await s.capture((await s.hold(3)).id)).body as Order;
    const full = (await s.capture((await s.hold(1)).id)).body as Order;
    expect((await s.api.post(`/v1/orders/${partial.id}/refunds`, { amount: usd(1000) })).status).toBe(201);
    expect((await s.api.post(`/v1/orders/${full.id}/refunds`, {})).status).toBe(201);
    const beforeSettlement = await s.order(full.id);
    expect(beforeSettlement.transfers.map((transfer) => [transfer.status, transfer.paidAt])).toEqual([
      ['reversed', null],
      ['reversed', null],
      ['reversed', null],
    ]);
    expect((await s.order(partial.id)).transfers.map((transfer) => transfer.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);

    await s.advance(2 * DAY);
    const paidOut = await s.order(partial.id);
    expect(
      paidOut.transfers.map((transfer) => [transfer.status, transfer.amount.amount - transfer.amountReversed.amount]),
    ).toEqual([
      ['paid', 500],
      ['paid', 749],
      ['paid', 3748],
    ]);
    expect(paidOut.timeToSettlementMs).toBe(2 * DAY);
    const refundedFirst = await s.order(full.id);
    expect(refundedFirst).toMatchObject({ status: 'refunded', settledAt: null, timeToSettlementMs: null });
    expect(
      refundedFirst.transfers.every((transfer) => transfer.status === 'reversed' && transfer.paidAt === null),
    ).toBe(true);
    const paidSubjects = (await s.events('livedrop.transfer.paid')).map((event) => event.subject);
    expect(paidSubjects).toEqual(paidOut.transfers.map((transfer) => transfer.id));
  });
});

describe('transfers', () => {
  it('lists transfers by order and destination, paginated, and a creator key sees only its own', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const s = await shop(ld);
    const one = (await s.capture((await s.hold(1)).id)).body as Order;
    const two = (await s.capture((await s.hold(2)).id)).body as Order;
    const all = [...one.transfers, ...two.transfers];

    const everything = await s.api.get('/v1/transfers');
    expect(everything.status).toBe(200);
    expect(everything.body).toEqual({ object: 'list', data: all, hasMore: false, nextCursor: null });
    expect((await s.api.get(`/v1/transfers?orderId=${two.id}`)).body.data).toEqual(two.transfers);
    const toSeller = await s.api.get(`/v1/transfers?destination=${s.sellerId}`);
    expect(toSeller.body.data.map((transfer: Transfer) => transfer.id)).toEqual([
      one.transfers[2]!.id,
      two.transfers[2]!.id,
    ]);
    expect((await s.api.get(`/v1/transfers?orderId=${one.id}&destination=platform`)).body.data).toEqual([
      one.transfers[0],
    ]);

    const page1 = await s.api.get('/v1/transfers?limit=4');
    expect(page1.body).toMatchObject({ hasMore: true, nextCursor: all[3]!.id });
    const page2 = await s.api.get(`/v1/transfers?limit=4&startingAfter=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ data: all.slice(4), hasMore: false, nextCursor: null });
    expect((await s.api.get('/v1/transfers?limit=0')).status).toBe(400);
    expect((await s.api.get('/v1/transfers?orderId=nope')).status).toBe(400);
    expect((await s.api.get('/v1/transfers?orderId=ord_unknown')).body.data).toEqual([]);

    const creatorOwn = all.filter((transfer) => transfer.destination === s.keys.creatorId);
    expect(creatorOwn).toHaveLength(2);
    expect((await s.creator.get('/v1/transfers')).body.data).toEqual(creatorOwn);
    expect((await s.creator.get(`/v1/transfers?orderId=${one.id}`)).body.data).toEqual([one.transfers[1]]);
    expect((await s.creator.get(`/v1/transfers?destination=${s.sellerId}`)).body.data).toEqual([]);
    expect((await s.browser.get('/v1/transfers')).status).toBe(403);
    const other = ld.server.engine.createTenant('Other Platform');
    expect((await apiAs(ld.url, other.secretKey).get(`/v1/transfers?orderId=${one.id}`)).body.data).toEqual([]);
    expect((await apiAs(ld.url, other.creatorKey).get('/v1/transfers')).body.data).toEqual([]);
  });
});
