import { signWebhook, type Order } from '@livedrop/node';
import { startReferenceServer } from '@livedrop/mock-server/node';
import { describe, expect, it, vi } from 'vitest';
import { startDealPlatform } from '../src/server';

async function buy(platformUrl: string, body: unknown) {
  const response = await fetch(`${platformUrl}/buy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// The platform's webhook receiver is on this machine: loopback delivery needs the explicit allowance.
const LOCAL_RECEIVER = { webhooks: { allowPrivateNetworks: true } };

describe('deal platform on node:http', () => {
  it('sells through LiveDrop: each buy is a captured order whose split legs sum to the gross', async () => {
    await using ld = await startReferenceServer(LOCAL_RECEIVER);
    await using platform = await startDealPlatform({
      livedropUrl: ld.url,
      secretKey: ld.server.keys.secretKey,
      port: 0,
    });
    expect(platform.offer.status).toBe('live');

    const orders: Order[] = [];
    for (const buyerId of ['buyer_ada', 'buyer_grace']) {
      const { status, body } = await buy(platform.url, { buyerId });
      expect(status).toBe(201);
      orders.push(body as unknown as Order);
    }

    expect(orders.map((order) => [order.buyerId, order.offerId, order.quantity, order.status])).toEqual([
      ['buyer_ada', platform.offer.id, 1, 'paid'],
      ['buyer_grace', platform.offer.id, 1, 'paid'],
    ]);
    for (const order of orders) {
      expect(order.gross).toEqual({ amount: 4900, currency: 'USD' });
      expect(order.paymentReference).toMatch(/^pay_fake_/);
      expect(order.split.map((leg) => leg.party).sort()).toEqual(['creator', 'platform', 'seller']);
      expect(order.split.reduce((sum, leg) => sum + leg.amount.amount, 0)).toBe(order.gross.amount);
    }
    // 10% platform fee on the offer, 15% commission from the entitlement, the seller keeps the rest.
    expect(Object.fromEntries(orders[0]!.split.map((leg) => [leg.party, leg.amount.amount]))).toEqual({
      platform: 490,
      creator: 735,
      seller: 3675,
    });

    // Deliveries are asynchronous: poll briefly for both order.created webhooks.
    await vi.waitFor(
      () => {
        const delivered = platform.webhookEvents().filter((event) => event.type === 'livedrop.order.created');
        expect(delivered.map((event) => (event.data as { order: Order }).order.id).sort()).toEqual(
          orders.map((order) => order.id).sort(),
        );
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it('refuses a second unit to the same buyer with LiveDrop’s answer', async () => {
    await using ld = await startReferenceServer(LOCAL_RECEIVER);
    await using platform = await startDealPlatform({ livedropUrl: ld.url, secretKey: ld.server.keys.secretKey });
    expect((await buy(platform.url, { buyerId: 'buyer_ada' })).status).toBe(201);
    const again = await buy(platform.url, { buyerId: 'buyer_ada' });
    expect(again).toMatchObject({ status: 422, body: { error: 'limit_exceeded' } });
    expect((await buy(platform.url, {})).status).toBe(400);
  });

  it('records only deliveries that verify: a forged webhook is refused', async () => {
    await using ld = await startReferenceServer(LOCAL_RECEIVER);
    await using platform = await startDealPlatform({ livedropUrl: ld.url, secretKey: ld.server.keys.secretKey });
    const forged = JSON.stringify({ type: 'livedrop.order.created' });
    const headers = await signWebhook(forged, {
      id: 'msg_forged',
      secret: `whsec_${Buffer.from('not the endpoint secret!').toString('base64')}`,
    });
    const response = await fetch(`${platform.url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: forged,
    });
    expect(response.status).toBe(400);
    expect(platform.webhookEvents()).toEqual([]);
  });
});
