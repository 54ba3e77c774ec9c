import { MAX_PRICE_AMOUNT } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld, type DropWorld } from './support/drop-world';

/*
 * Dashboard totals are sums of many orders. A price is bounded (MAX_PRICE_AMOUNT, and at most
 * 1000 units a hold) so an order's gross is at most 10^13 minor units, and totals are counted
 * exactly; a total past 2^53 − 1, which a JSON number cannot carry exactly, is refused, never
 * reported rounded or saturated.
 */

const USD = (amount: number) => ({ amount, currency: 'USD' });

/** A live offer of the seeded creator at `price` cents with `quantity` units. */
async function offerAt(world: DropWorld, price: number, quantity: number) {
  const session = await world.liveSession();
  return world.liveOffer(session.id, { price: USD(price), quantity });
}

/** Buys `quantity` units as a new buyer and pays with the test card. */
async function buy(world: DropWorld, offerId: string, buyerId: string, quantity: number) {
  const issued = await expectStatus(
    world.api.post(`/v1/offers/${offerId}/tokens`, { buyerId, quantityMax: quantity }),
    201,
  );
  const held = await expectStatus(world.browser.post('/v1/reservations', { offerToken: issued.token, quantity }), 201);
  return expectStatus(
    world.browser.post(`/v1/reservations/${held.id}/confirm`, {
      clientSecret: held.clientSecret,
      paymentMethod: 'pm_test_ok',
    }),
    201,
  );
}

describe('dashboard totals stay exact', () => {
  it('refuses a price of 2^53 − 1 (three such orders would make a wrong GMV), naming the field and the bound', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    for (const field of ['price', 'compareAtPrice', 'priceFloor']) {
      const res = await world.api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: world.sellerId,
        sku: 'BIG',
        title: 'Gold bar',
        price: USD(1000),
        [field]: USD(Number.MAX_SAFE_INTEGER),
        quantity: 3,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      const error = res.body.errors.find((e: { path: string }) => e.path === `${field}.amount`);
      expect(error?.message).toContain(String(MAX_PRICE_AMOUNT));
    }
    // Nothing was created.
    expect((await world.api.get(`/v1/sessions/${session.id}`)).body.offers).toEqual([]);
  });

  it('sums three orders at the largest price exactly', async () => {
    await using world = await startDropWorld();
    const offer = await offerAt(world, MAX_PRICE_AMOUNT, 3);
    for (const buyer of ['b1', 'b2', 'b3']) await buy(world, offer.id, buyer, 1);
    const dashboard = await expectStatus(world.api.get(`/v1/creators/${world.keys.creatorId}/dashboard`));
    expect(dashboard.gmv).toEqual([USD(3 * MAX_PRICE_AMOUNT)]);
    expect(dashboard.captures).toBe(3);
  });

  it('refuses a total past 2^53 − 1 with the exact figure instead of a rounded one', async () => {
    await using world = await startDropWorld({ rateLimits: false });
    // 901 orders of 1000 units at the largest price: 9.01 × 10^15 cents, past 2^53 − 1 ≈ 9.007 × 10^15.
    const offer = await offerAt(world, MAX_PRICE_AMOUNT, 1_000_000);
    const orders = 901;
    for (let start = 0; start < orders; start += 25) {
      const batch = Array.from({ length: Math.min(25, orders - start) }, (_, i) => `buyer_${start + i}`);
      await Promise.all(batch.map((buyer) => buy(world, offer.id, buyer, 1000)));
    }
    const res = await world.api.get(`/v1/creators/${world.keys.creatorId}/dashboard`);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.code).toBe('invalid_state');
    const exact = (BigInt(MAX_PRICE_AMOUNT) * 1000n * BigInt(orders)).toString();
    expect(res.body.detail).toContain(`gmv USD ${exact}`);
    expect(res.body.detail).toContain('?sessionId=');
  });
});
