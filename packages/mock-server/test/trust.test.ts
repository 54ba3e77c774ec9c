import { Creator, LiveDropEvent, Seller } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { START, expectStatus, startDropWorld, usd, type DropWorld } from './support/drop-world';
import { startWebhookReceiver } from './support/webhook-receiver';

const DAY = 86_400_000;

/** A seller with a platform-supplied history, entitled to the house creator, and a live offer of theirs. */
async function sellerWithHistory(world: DropWorld, trust: Record<string, unknown>, quantity = 10) {
  const { api, keys } = world;
  const seller = await expectStatus(api.post('/v1/sellers', { name: 'Harbor Goods', trust }), 201);
  await expectStatus(
    api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: seller.id,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    }),
    201,
  );
  const session = await world.liveSession();
  const offer = await world.liveOffer(session.id, { sellerId: seller.id, quantity });
  return { seller: Seller.parse(seller), session, offer };
}

/** Reserves one unit for `buyerId` and captures it. */
async function buy(world: DropWorld, offerId: string, buyerId: string) {
  const { reservation } = await world.reserve(offerId, buyerId);
  return expectStatus(
    world.api.post(`/v1/reservations/${reservation.id}/capture`, { paymentReference: `pi_${buyerId}` }),
    201,
  );
}

/** The `trust_updated` events of the log about `subject`, parsed against the contract. */
async function trustEvents(world: DropWorld, type: 'seller' | 'creator', subject: string) {
  const page = await expectStatus(world.api.get(`/v1/events?types=livedrop.${type}.trust_updated&limit=1000`));
  return page.data
    .map((event: unknown) => LiveDropEvent.parse(event))
    .filter((event: LiveDropEvent) => event.subject === subject);
}

/** The seller as GET, the public hydrate and the listing show it. */
async function shown(world: DropWorld, sellerId: string, sessionId: string) {
  const seller = await expectStatus(world.api.get(`/v1/sellers/${sellerId}`));
  const view = await expectStatus(world.browser.get(`/v1/sessions/${sessionId}`));
  const listing = await expectStatus(world.browser.get(`/v1/sessions/${sessionId}/listing`));
  return {
    seller,
    hydrated: view.sellers.find((s: { id: string }) => s.id === sellerId),
    listed: listing.offers.find((o: any) => o.seller.identifier === sellerId)?.seller.interactionStatistic,
  };
}

describe('seller trust signals', () => {
  it('start from the platform baseline and state how they were computed', async () => {
    await using world = await startDropWorld();
    const { seller } = await sellerWithHistory(world, { verified: true, completedOrders: 200, disputeRate: 0.015 });
    expect(seller.trust).toEqual({
      verified: true,
      completedOrders: 200,
      disputeRate: 0.015,
      disputeRateBps: 150,
      basis: {
        window: 'P90D',
        // Today and the 89 UTC days before it.
        since: new Date(Math.floor(START / DAY) * DAY - 89 * DAY).toISOString(),
        computedAt: new Date(START).toISOString(),
        baseline: { completedOrders: 200, disputedOrders: 3 },
        derived: { capturedOrders: 0, refundedOrders: 0, disputedOrders: 0 },
      },
    });
  });

  it('follow captures, full refunds and disputes in GET, the public hydrate and the listing, with trust_updated', async () => {
    await using world = await startDropWorld();
    const { seller, session, offer } = await sellerWithHistory(world, {
      verified: true,
      completedOrders: 10,
      disputeRate: 0,
    });
    // Read once, so the cached public views exist before anything changes.
    const before = await shown(world, seller.id, session.id);
    expect(before.hydrated.trust.completedOrders).toBe(10);
    expect(before.listed.userInteractionCount).toBe(10);

    const orders = [];
    for (const buyer of ['b1', 'b2', 'b3']) orders.push(await buy(world, offer.id, buyer));
    let now = await shown(world, seller.id, session.id);
    expect(now.seller.trust).toMatchObject({
      completedOrders: 13,
      disputeRateBps: 0,
      basis: { derived: { capturedOrders: 3, refundedOrders: 0, disputedOrders: 0 } },
    });
    expect(now.hydrated).toEqual(now.seller);
    expect(now.listed).toMatchObject({ interactionType: 'https://schema.org/BuyAction', userInteractionCount: 13 });
    let events = await trustEvents(world, 'seller', seller.id);
    expect(events.map((e: any) => e.data.seller.trust.completedOrders)).toEqual([11, 12, 13]);

    // A partial refund without a dispute changes no figure: no event.
    await expectStatus(
      world.api.post(`/v1/orders/${orders[0].id}/refunds`, { amount: usd(100), reason: 'requested_by_customer' }),
      201,
    );
    expect(await trustEvents(world, 'seller', seller.id)).toHaveLength(3);
    // Another seller's capture does not touch this one.
    const other = await world.liveOffer(session.id, { sku: 'NW-9' });
    await buy(world, other.id, 'b9');
    expect(await trustEvents(world, 'seller', seller.id)).toHaveLength(3);

    // Refunding the rest of that order in full: one completed order fewer.
    await expectStatus(world.api.post(`/v1/orders/${orders[0].id}/refunds`, {}), 201);
    now = await shown(world, seller.id, session.id);
    expect(now.seller.trust).toMatchObject({
      completedOrders: 12,
      basis: { derived: { capturedOrders: 3, refundedOrders: 1, disputedOrders: 0 } },
    });
    expect(now.hydrated.trust.completedOrders).toBe(12);
    expect(now.listed.userInteractionCount).toBe(12);

    // A dispute (partial: the order stays completed) moves the rate: 1 of 13 orders = 769.2 bps → 769.
    const dispute = await expectStatus(
      world.api.post(`/v1/orders/${orders[1].id}/refunds`, { amount: usd(500), reason: 'dispute' }),
      201,
    );
    expect(dispute.reason).toBe('dispute');
    now = await shown(world, seller.id, session.id);
    expect(now.seller.trust).toMatchObject({
      completedOrders: 12,
      disputeRateBps: 769,
      disputeRate: 0.0769,
      basis: { derived: { capturedOrders: 3, refundedOrders: 1, disputedOrders: 1 } },
    });
    expect(now.hydrated.trust.disputeRateBps).toBe(769);
    // A second dispute refund of the same order is the same dispute: the order is not counted twice.
    await expectStatus(
      world.api.post(`/v1/orders/${orders[1].id}/refunds`, { amount: usd(500), reason: 'dispute' }),
      201,
    );
    events = await trustEvents(world, 'seller', seller.id);
    expect(events).toHaveLength(5);
    expect(events.at(-1).data.seller.trust).toEqual(now.seller.trust);
  });

  it('deliver trust_updated to webhooks with the new figures', async () => {
    await using world = await startDropWorld({ webhooks: { allowPrivateNetworks: true } });
    await using receiver = await startWebhookReceiver();
    await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['livedrop.seller.trust_updated'] }),
      201,
    );
    const { seller, offer } = await sellerWithHistory(world, { verified: true });
    await buy(world, offer.id, 'b1');
    const [delivery] = await receiver.waitFor(1);
    const event = LiveDropEvent.parse(JSON.parse(delivery!.body));
    expect(event).toMatchObject({
      type: 'livedrop.seller.trust_updated',
      subject: seller.id,
      data: { seller: { trust: { completedOrders: 1, disputeRateBps: 0 } } },
    });
  });

  it('drop orders captured before the trailing 90 days, announcing it', async () => {
    await using world = await startDropWorld();
    const { seller, session, offer } = await sellerWithHistory(world, { completedOrders: 5 });
    await buy(world, offer.id, 'b1');
    await world.advance(DAY);
    await buy(world, offer.id, 'b2');
    expect((await shown(world, seller.id, session.id)).seller.trust.completedOrders).toBe(7);

    // 89 days after the first capture, both are in the window (today and the 89 days before).
    await world.advance(88 * DAY);
    expect((await expectStatus(world.api.get(`/v1/sellers/${seller.id}`))).trust.completedOrders).toBe(7);
    expect(await trustEvents(world, 'seller', seller.id)).toHaveLength(2);

    // A day later the first capture's day has left the window; the second one's leaves the day after.
    await world.advance(DAY);
    let now = await shown(world, seller.id, session.id);
    expect(now.seller.trust).toMatchObject({
      completedOrders: 6,
      basis: {
        since: new Date((Math.floor(START / DAY) + 1) * DAY).toISOString(),
        baseline: { completedOrders: 5 },
        derived: { capturedOrders: 1 },
      },
    });
    expect(now.hydrated).toEqual(now.seller);
    expect(now.listed.userInteractionCount).toBe(6);
    await world.advance(DAY);
    now = await shown(world, seller.id, session.id);
    expect(now.seller.trust.completedOrders).toBe(5);
    expect(now.hydrated.trust.completedOrders).toBe(5);
    const events = await trustEvents(world, 'seller', seller.id);
    expect(events.map((e: any) => e.data.seller.trust.completedOrders)).toEqual([6, 7, 6, 5]);

    // Nothing left to age out: more time changes nothing and announces nothing.
    await world.advance(100 * DAY);
    expect(await trustEvents(world, 'seller', seller.id)).toHaveLength(4);
  });
});

describe('creator trust signals', () => {
  it('count ended sessions and sell-through, including holds captured after the end', async () => {
    await using world = await startDropWorld();
    const { api, keys } = world;
    const initial = Creator.parse(await expectStatus(api.get(`/v1/creators/${keys.creatorId}`)));
    expect(initial.trust).toMatchObject({ sessionsRun: 0, sellThroughBps: 0 });

    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id, { quantity: 3 });
    await buy(world, offer.id, 'b1');
    const { reservation: late } = await world.reserve(offer.id, 'b2');
    // A draft never on sale is not counted as offered.
    await expectStatus(
      api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: world.sellerId,
        sku: 'NW-D',
        title: 'Draft',
        price: usd(1_000),
        quantity: 50,
      }),
      201,
    );
    expect(await trustEvents(world, 'creator', keys.creatorId)).toHaveLength(0);
    await expectStatus(api.post(`/v1/sessions/${session.id}/end`));

    let creator = await expectStatus(api.get(`/v1/creators/${keys.creatorId}`));
    // 1 of 3 units: 3333.3 bps → 3333.
    expect(creator.trust).toMatchObject({
      sessionsRun: 1,
      sellThroughBps: 3333,
      basis: { window: 'P90D', derived: { sessionsRun: 1, unitsOffered: 3, unitsSold: 1 } },
    });
    const view = await expectStatus(world.browser.get(`/v1/sessions/${session.id}`));
    expect(view.creator).toEqual(creator);
    const listing = await expectStatus(world.browser.get(`/v1/sessions/${session.id}/listing`));
    expect(listing.performer.interactionStatistic).toMatchObject({
      interactionType: 'https://schema.org/PerformAction',
      userInteractionCount: 1,
    });

    // The hold outlived the session; capturing it sells a unit of that session.
    await expectStatus(api.post(`/v1/reservations/${late.id}/capture`, { paymentReference: 'pi_late' }), 201);
    creator = await expectStatus(api.get(`/v1/creators/${keys.creatorId}`));
    expect(creator.trust).toMatchObject({ sessionsRun: 1, sellThroughBps: 6667 });
    expect((await expectStatus(world.browser.get(`/v1/sessions/${session.id}`))).creator.trust.sellThroughBps).toBe(
      6667,
    );
    const events = await trustEvents(world, 'creator', keys.creatorId);
    expect(events.map((e: any) => [e.data.creator.trust.sessionsRun, e.data.creator.trust.sellThroughBps])).toEqual([
      [1, 3333],
      [1, 6667],
    ]);

    // 90 days on, the session has left the window.
    await world.advance(90 * DAY);
    creator = await expectStatus(api.get(`/v1/creators/${keys.creatorId}`));
    expect(creator.trust).toMatchObject({ sessionsRun: 0, sellThroughBps: 0 });
    expect(await trustEvents(world, 'creator', keys.creatorId)).toHaveLength(3);
  });
});
