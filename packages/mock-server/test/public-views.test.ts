import { Creator, ListingOffer, PublicOffer, PublicSession, Seller } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { startDropWorld, expectStatus, usd } from './support/drop-world';
import { apiAs } from './support/http';
import { openSse, waitUntil } from './support/sse';

/*
 * Public views are an allowlist: a publishable key (a viewer's browser, a CDN in between) gets
 * exactly the fields of the contract's public schemas, never the platform's terms or moderation.
 */

/**
 * The offer fields a viewer must not see, by name. A field added to `Offer` must land either in
 * `PublicOffer` (a viewer may see it) or here (it is internal): the first test fails until it does.
 */
const INTERNAL_OFFER_FIELDS = ['priceFloor', 'split', 'moderation'];
/** The session fields a viewer must not see: the platform's bookkeeping and capacity planning. */
const INTERNAL_SESSION_FIELDS = ['metadata', 'expectedViewers'];

const NOTE = 'Replica check: the brand confirmed the list price on the phone';
const keysOf = (value: object) => Object.keys(value).sort();
const publicOfferKeys = keysOf(PublicOffer.shape);
const publicSessionKeys = keysOf(PublicSession.shape);

/** A live session with a watch page and metadata, and an offer with every optional field set. */
async function fullyPopulatedDrop() {
  const world = await startDropWorld();
  const { api, keys, sellerId } = world;
  const session = await world.liveSession({
    metadata: { internalRef: 'bf-26' },
    expectedViewers: 50_000,
    watchUrl: 'https://watch.example/bf',
  });
  // A claimed discount of 3× is held for review: the moderator's note is internal.
  const held = await expectStatus(
    api.post(`/v1/sessions/${session.id}/offers`, {
      sellerId,
      sku: 'NW-1',
      title: 'Storm Parka',
      price: usd(12_900),
      compareAtPrice: usd(12_900 * 3),
      priceFloor: usd(9_900),
      quantity: 10,
      perBuyerLimit: 2,
      reservationTtlSeconds: 300,
      backorder: { allowed: true, limit: 5, sellerConsentAt: '2026-11-25T17:00:00.000Z' },
      split: { platformFeeBps: 800, creatorCommissionBps: 1700 },
      endsAt: '2026-11-26T18:00:00.000Z',
    }),
    201,
  );
  expect(held.status).toBe('pending_review');
  const moderator = apiAs(world.ld.url, keys.moderatorKey);
  await expectStatus(moderator.post(`/v1/offers/${held.id}/review`, { decision: 'approve', note: NOTE }));
  await expectStatus(api.post(`/v1/offers/${held.id}/publish`));
  await expectStatus(api.patch(`/v1/offers/${held.id}`, { quantity: 12 }, { headers: { 'if-match': '3' } }));
  const offer = await expectStatus(api.get(`/v1/offers/${held.id}`));
  return { world, session, offer };
}

/** Fails naming every key of `value` outside the allowlist and every allowlisted key it lacks. */
function expectExactly(value: object, allowed: readonly string[], what: string) {
  expect(keysOf(value), `${what}: ${JSON.stringify(value)}`).toEqual([...allowed].sort());
}

describe('public views are an explicit allowlist', () => {
  it('classifies every field of a fully populated offer and session as public or internal', async () => {
    const { world, session, offer } = await fullyPopulatedDrop();
    await using _ = world;
    // The platform's own view carries everything; every one of its fields has been decided on.
    expect(offer.moderation.note).toBe(NOTE);
    expect(offer.priceFloor).toEqual(usd(9_900));
    expect(keysOf(offer)).toEqual([...publicOfferKeys, ...INTERNAL_OFFER_FIELDS].sort());
    expect(keysOf(session)).toEqual([...publicSessionKeys, ...INTERNAL_SESSION_FIELDS].sort());
    for (const field of INTERNAL_OFFER_FIELDS) expect(publicOfferKeys).not.toContain(field);
    for (const field of INTERNAL_SESSION_FIELDS) expect(publicSessionKeys).not.toContain(field);
  });

  it('gives the publishable hydrate exactly the public fields, nothing of the terms or the moderator', async () => {
    const { world, session, offer } = await fullyPopulatedDrop();
    await using _ = world;
    const res = await world.browser.get(`/v1/sessions/${session.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public/);
    const view = res.body;
    expectExactly(view, ['object', 'session', 'creator', 'offers', 'sellers'], 'session view');
    expectExactly(view.session, publicSessionKeys, 'session');
    expectExactly(view.creator, keysOf(Creator.shape), 'creator');
    expect(view.offers).toHaveLength(1);
    expectExactly(view.offers[0], publicOfferKeys, 'offer');
    expectExactly(view.sellers[0], keysOf(Seller.shape), 'seller');
    // What the widget shows stays: price, compare-at, stock, limits, backorders, trust figures.
    expect(view.offers[0]).toMatchObject({
      id: offer.id,
      title: 'Storm Parka',
      price: usd(12_900),
      compareAtPrice: usd(38_700),
      stock: { total: 12, available: 12 },
      perBuyerLimit: 2,
      backorder: { allowed: true, limit: 5 },
      status: 'live',
    });
    expect(view.sellers[0].trust).toMatchObject({ verified: true, completedOrders: 0 });
    expect(view.creator.trust).toMatchObject({ sessionsRun: 0 });
    const text = JSON.stringify(view);
    for (const leak of [NOTE, 'priceFloor', 'split', 'moderation', 'bf-26', 'expectedViewers'])
      expect(text).not.toContain(leak);

    // Every other key keeps its full view.
    const full = await world.api.get(`/v1/sessions/${session.id}`);
    expect(full.body.offers[0].moderation.note).toBe(NOTE);
    expect(full.body.session.metadata).toEqual({ internalRef: 'bf-26' });
  });

  it('sends the public stream only allowlisted fields in session and offer messages', async () => {
    const { world, session, offer } = await fullyPopulatedDrop();
    await using _ = world;
    using sse = openSse(`${world.ld.url}/v1/sessions/${session.id}/stream`, world.keys.publishableKey, [
      'session.started',
      'offer.published',
      'offer.updated',
    ]);
    await waitUntil(() => sse.messages.length >= 3, 'the replayed session and offer messages');
    const messages = sse.messages.map((message) => ({ event: message.event, data: JSON.parse(message.data) }));
    expect(messages.map((message) => message.event)).toEqual(['session.started', 'offer.published', 'offer.updated']);
    expectExactly(messages[0]!.data, ['seq', 'session'], 'session message');
    expectExactly(messages[0]!.data.session, publicSessionKeys, 'streamed session');
    for (const message of messages.slice(1)) {
      expectExactly(message.data, ['seq', 'offer'], message.event);
      expectExactly(message.data.offer, publicOfferKeys, `streamed ${message.event} offer`);
      expect(message.data.offer.id).toBe(offer.id);
    }
    const text = sse.messages.map((message) => message.data).join('\n');
    for (const leak of [NOTE, 'priceFloor', 'split', 'moderation', 'bf-26', 'expectedViewers'])
      expect(text).not.toContain(leak);
  });

  it('lists sessions with only schema.org fields, none of the terms or the moderator', async () => {
    const { world, session } = await fullyPopulatedDrop();
    await using _ = world;
    const one = await world.browser.get(`/v1/sessions/${session.id}/listing`);
    const feed = await world.browser.get('/v1/listings');
    expect([one.status, feed.status]).toEqual([200, 200]);
    expectExactly(one.body.offers[0], keysOf(ListingOffer.shape), 'listed offer');
    expectExactly(feed.body.itemListElement[0].item.offers[0], keysOf(ListingOffer.shape), 'feed offer');
    for (const text of [JSON.stringify(one.body), JSON.stringify(feed.body)])
      for (const leak of [NOTE, 'priceFloor', 'split', 'moderation', 'bf-26', '9900', '99.00'])
        expect(text).not.toContain(leak);
  });
});
