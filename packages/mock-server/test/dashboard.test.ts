import { splitAmount, type CreatorDashboard, type Order } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, buyerBrowser } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const RULES = { platformFeeBps: 1000, creatorCommissionBps: 1500 };
const creatorShare = (gross: number) => splitAmount(gross, RULES).creator;

/** The house creator with two live sessions (USD and JPY offers) and the calls of a scripted drop. */
async function twoSessions(ld: StartedReferenceServer) {
  const { keys } = ld.server;
  const api = apiAs(ld.url, keys.secretKey);
  const browser = apiAs(ld.url, keys.publishableKey);
  const control = apiAs(ld.url, ld.server.controlKey);
  const seller = await api.post('/v1/sellers', { name: 'Acme Outfitters' });
  expect(
    (
      await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const liveOffer = async (price: { amount: number; currency: string }) => {
    const session = await api.post('/v1/sessions', {
      creatorId: keys.creatorId,
      title: 'Drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
    const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
      sellerId: seller.body.id,
      sku: 'SKU-1',
      title: 'Parka',
      price,
      quantity: 50,
      split: RULES,
    });
    expect(offer.status).toBe(201);
    expect((await api.post(`/v1/offers/${offer.body.id}/publish`)).status).toBe(200);
    return { sessionId: session.body.id as string, offerId: offer.body.id as string };
  };
  const usdDrop = await liveOffer({ amount: 1999, currency: 'USD' });
  const jpyDrop = await liveOffer({ amount: 4500, currency: 'JPY' });
  let buyers = 0;
  const token = async (offerId: string) => {
    const buyer = await buyerBrowser(ld.url, keys, `buyer_${++buyers}`);
    const issued = await buyer.post(`/v1/offers/${offerId}/tokens`, { quantityMax: 5 });
    expect(issued.status).toBe(201);
    return issued.body.token as string;
  };
  const reserve = async (offerId: string, quantity: number) => {
    const held = await browser.post('/v1/reservations', { offerToken: await token(offerId), quantity });
    expect(held.status).toBe(201);
    return held.body as { id: string; clientSecret: string };
  };
  const buy = async (offerId: string, quantity: number) => {
    const held = await reserve(offerId, quantity);
    const order = await browser.post(`/v1/reservations/${held.id}/confirm`, {
      clientSecret: held.clientSecret,
      paymentMethod: 'pm_test_ok',
    });
    expect(order.status).toBe(201);
    return order.body as Order;
  };
  const dashboard = async (query = '', key = keys.secretKey, creatorId = keys.creatorId) => {
    const res = await apiAs(ld.url, key).get(`/v1/creators/${creatorId}/dashboard${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as CreatorDashboard;
  };
  const advance = async (advanceMs: number) =>
    expect((await control.post('/__control/clock', { advanceMs })).status).toBe(200);
  return { keys, api, browser, control, usdDrop, jpyDrop, token, reserve, buy, dashboard, advance };
}

describe('creator dashboard', () => {
  it('counts tokens, reservations, captures, GMV and earnings as a drop unfolds', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const d = await twoSessions(ld);
    const { usdDrop, jpyDrop } = d;

    // Part of the drop happens before anyone looks: the first read catches up with the log.
    await d.token(usdDrop.offerId); // issued, never used
    const first = await d.buy(usdDrop.offerId, 1); // at START
    expect(await d.dashboard()).toEqual({
      object: 'creator_dashboard',
      creatorId: d.keys.creatorId,
      sessionId: null,
      tokensIssued: 2,
      reservations: 1,
      captures: 1,
      conversion: 0.5,
      gmv: [{ amount: 1999, currency: 'USD' }],
      earnings: { pending: [{ amount: creatorShare(1999), currency: 'USD' }], paid: [] },
      medianTimeToSettlementMs: null,
    });
    expect(creatorShare(1999)).toBe(300);

    // From here on the dashboard follows the log as events arrive.
    const released = await d.reserve(usdDrop.offerId, 2);
    expect((await d.api.post(`/v1/reservations/${released.id}/release`)).status).toBe(200);
    await d.advance(HOUR);
    const second = await d.buy(usdDrop.offerId, 3); // at START + 1h, gross 5997
    await d.advance(HOUR);
    const third = await d.buy(jpyDrop.offerId, 2); // at START + 2h, gross 9000 JPY
    const declined = await d.reserve(jpyDrop.offerId, 1);
    expect(
      (
        await d.browser.post(`/v1/reservations/${declined.id}/confirm`, {
          clientSecret: declined.clientSecret,
          paymentMethod: 'pm_test_declined',
        })
      ).status,
    ).toBe(402);

    const usdCreator = creatorShare(1999) + creatorShare(5997);
    expect(creatorShare(5997)).toBe(899);
    expect(creatorShare(9000)).toBe(1350);
    expect(await d.dashboard()).toMatchObject({
      tokensIssued: 6,
      reservations: 5,
      captures: 3,
      conversion: 0.5,
      gmv: [
        { amount: 9000, currency: 'JPY' },
        { amount: 1999 + 5997, currency: 'USD' },
      ],
      earnings: {
        pending: [
          { amount: 1350, currency: 'JPY' },
          { amount: usdCreator, currency: 'USD' },
        ],
        paid: [],
      },
      medianTimeToSettlementMs: null,
    });
    expect(await d.dashboard(`?sessionId=${usdDrop.sessionId}`)).toMatchObject({
      sessionId: usdDrop.sessionId,
      tokensIssued: 4,
      reservations: 3,
      captures: 2,
      conversion: 0.5,
      gmv: [{ amount: 7996, currency: 'USD' }],
    });
    expect(await d.dashboard(`?sessionId=${jpyDrop.sessionId}`)).toMatchObject({
      tokensIssued: 2,
      reservations: 2,
      captures: 1,
      conversion: 0.5,
      gmv: [{ amount: 9000, currency: 'JPY' }],
    });

    // A refund before settlement takes the creator's share out of pending.
    const refund = await d.api.post(`/v1/orders/${second.id}/refunds`, { amount: { amount: 1000, currency: 'USD' } });
    expect(refund.status).toBe(201);
    const creatorReversal = refund.body.reversals.find(
      (reversal: { transferId: string }) => reversal.transferId === second.transfers[1]!.id,
    ).amount.amount as number;
    expect(creatorReversal).toBe(150);
    expect((await d.dashboard()).earnings.pending).toEqual([
      { amount: 1350, currency: 'JPY' },
      { amount: usdCreator - 150, currency: 'USD' },
    ]);

    // Everything settles in one payout run at START + 2d + 2h: 2d+2h, 2d+1h and 2d after each capture.
    await d.advance(2 * DAY);
    const settled = await Promise.all(
      [first, second, third].map(async (order) => (await d.api.get(`/v1/orders/${order.id}`)).body as Order),
    );
    expect(settled.map((order) => order.timeToSettlementMs)).toEqual([2 * DAY + 2 * HOUR, 2 * DAY + HOUR, 2 * DAY]);
    const all = await d.dashboard();
    expect(all).toMatchObject({
      captures: 3,
      gmv: [
        { amount: 9000, currency: 'JPY' },
        { amount: 7996, currency: 'USD' },
      ],
      earnings: {
        pending: [],
        paid: [
          { amount: 1350, currency: 'JPY' },
          { amount: usdCreator - 150, currency: 'USD' },
        ],
      },
      medianTimeToSettlementMs: 2 * DAY + HOUR,
    });
    expect((await d.dashboard(`?sessionId=${usdDrop.sessionId}`)).medianTimeToSettlementMs).toBe(
      2 * DAY + 90 * 60 * 1000,
    );
    expect((await d.dashboard(`?sessionId=${jpyDrop.sessionId}`)).medianTimeToSettlementMs).toBe(2 * DAY);

    // A refund after settlement claws back paid earnings; GMV stays what was sold.
    const jpyRefund = await d.api.post(`/v1/orders/${third.id}/refunds`, {});
    expect(jpyRefund.status).toBe(201);
    expect(await d.dashboard()).toMatchObject({
      gmv: [
        { amount: 9000, currency: 'JPY' },
        { amount: 7996, currency: 'USD' },
      ],
      earnings: { pending: [], paid: [{ amount: usdCreator - 150, currency: 'USD' }] },
    });

    // The creator reads its own dashboard with its key; the numbers are the same.
    expect(await d.dashboard('', d.keys.creatorKey)).toEqual(await d.dashboard());
  });

  it('hides other creators, other sessions and other tenants, and starts over after a reset', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const d = await twoSessions(ld);
    await d.buy(d.usdDrop.offerId, 1);
    const other = await d.api.post('/v1/creators', { handle: 'other_creator', displayName: 'Other' });
    expect(other.status).toBe(201);
    expect(await d.dashboard('', d.keys.secretKey, other.body.id)).toMatchObject({
      tokensIssued: 0,
      reservations: 0,
      captures: 0,
      conversion: 0,
      gmv: [],
      earnings: { pending: [], paid: [] },
      medianTimeToSettlementMs: null,
    });

    const creator = apiAs(ld.url, d.keys.creatorKey);
    expect((await creator.get(`/v1/creators/${other.body.id}/dashboard`)).status).toBe(404);
    const otherSession = await d.api.post('/v1/sessions', {
      creatorId: other.body.id,
      title: 'Theirs',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    expect(
      (await d.api.get(`/v1/creators/${d.keys.creatorId}/dashboard?sessionId=${otherSession.body.id}`)).status,
    ).toBe(404);
    expect((await d.api.get(`/v1/creators/${d.keys.creatorId}/dashboard?sessionId=ses_unknown`)).status).toBe(404);
    expect((await d.api.get(`/v1/creators/${d.keys.creatorId}/dashboard?sessionId=nope`)).status).toBe(400);
    expect((await d.browser.get(`/v1/creators/${d.keys.creatorId}/dashboard`)).status).toBe(403);
    const tenant = ld.server.engine.createTenant('Other Platform');
    expect((await apiAs(ld.url, tenant.secretKey).get(`/v1/creators/${d.keys.creatorId}/dashboard`)).status).toBe(404);

    expect((await d.dashboard()).captures).toBe(1);
    expect((await d.control.post('/__control/reset')).status).toBe(200);
    // The default tenant keeps its keys and house creator across a reset; its numbers start over.
    expect(await d.dashboard()).toMatchObject({
      tokensIssued: 0,
      reservations: 0,
      captures: 0,
      gmv: [],
      earnings: { pending: [], paid: [] },
    });
    const again = await twoSessions(ld);
    await again.buy(again.usdDrop.offerId, 2);
    expect(await again.dashboard()).toMatchObject({
      tokensIssued: 1,
      reservations: 1,
      captures: 1,
      gmv: [{ amount: 3998, currency: 'USD' }],
    });
  });
});
