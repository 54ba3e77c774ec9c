import { PaymentRequiredError, UnprocessableEntityError, verifyWebhook } from './support/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOffer, rejectionOf, startHarness, type ReferenceHarness } from './support/reference';

let h: ReferenceHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('money through the client', () => {
  it('confirms and captures holds into orders, settles, refunds and lists transfers', async () => {
    const { ld } = h;
    const keys = h.running.server.keys;
    const { offer, session, sellerId } = await liveOffer(h, { split: { platformFeeBps: 1000 } });
    const { credential } = await ld.buyerSessions.create({ buyerId: 'buyer_a' });
    const browser = h.client(keys.publishableKey, { buyerSession: credential });

    // A buyer in the browser: token, hold, a declined card (the hold stays), then a good one.
    const { token } = await browser.offers.issueToken(offer.id);
    const hold = await browser.reservations.create({ offerToken: token, quantity: 2 });
    const declined = await rejectionOf(
      browser.reservations.confirm(hold.id, { clientSecret: hold.clientSecret!, paymentMethod: 'pm_test_declined' }),
    );
    expect(declined).toBeInstanceOf(PaymentRequiredError);
    expect(declined).toMatchObject({ status: 402, code: 'payment_declined' });
    const paid = await browser.reservations.confirm(hold.id, {
      clientSecret: hold.clientSecret!,
      paymentMethod: 'pm_test_ok',
    });
    expect(paid.gross).toEqual({ amount: 25_800, currency: 'USD' });
    expect(paid.split.reduce((sum, leg) => sum + leg.amount.amount, 0)).toBe(25_800);
    expect(paid.split.map((leg) => [leg.party, leg.amount.amount])).toEqual([
      ['platform', 2_580],
      ['creator', 3_870],
      ['seller', 19_350],
    ]);

    // The platform captures another buyer's hold after taking payment itself.
    const second = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_b' });
    const held = await ld.reservations.create({ offerToken: second.token, quantity: 1 });
    const order = await ld.reservations.capture(held.id, { paymentReference: 'pi_123' });
    expect(await ld.orders.retrieve(order.id)).toEqual(order);

    // Settlement runs on the server's clock; then a partial refund reverses every leg.
    await h.control('clock', { advanceMs: 3 * 24 * 3_600_000 });
    const settled = await ld.orders.retrieve(order.id);
    expect(settled.transfers.every((transfer) => transfer.status === 'paid')).toBe(true);
    expect(settled.timeToSettlementMs).toBeGreaterThan(0);
    const refund = await ld.orders.refund(order.id, { amount: { amount: 1_000, currency: 'USD' } });
    expect(refund.reversals.reduce((sum, r) => sum + r.amount.amount, 0)).toBe(1_000);
    const tooMuch = await rejectionOf(ld.orders.refund(order.id, { amount: { amount: 12_000, currency: 'USD' } }));
    expect(tooMuch).toBeInstanceOf(UnprocessableEntityError);
    expect(tooMuch).toMatchObject({ code: 'refund_exceeds_capture' });

    const toSeller = await ld.transfers.list({ destination: sellerId }).toArray();
    expect(toSeller.map((t) => t.orderId).sort()).toEqual([paid.id, order.id].sort());
    const dashboard = await ld.creators.dashboard(keys.creatorId, { sessionId: session.id });
    expect(dashboard).toMatchObject({ tokensIssued: 2, captures: 2, gmv: [{ amount: 38_700, currency: 'USD' }] });
  });

  it('manages webhook endpoints whose deliveries verify', async () => {
    const { ld } = h;
    const received: { body: string; headers: Headers }[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, headers: new Headers(req.headers as Record<string, string>) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    try {
      const endpoint = await ld.webhookEndpoints.create({
        url: `http://127.0.0.1:${port}/hooks`,
        eventTypes: ['livedrop.seller.created'],
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect((await ld.webhookEndpoints.list().toArray()).map((e) => e.id)).toContain(endpoint.id);
      expect(await ld.webhookEndpoints.retrieve(endpoint.id)).toMatchObject({ id: endpoint.id, status: 'enabled' });

      const seller = await ld.sellers.create({ name: 'Hooked' });
      await expect.poll(() => received.length).toBe(1);
      const event = await verifyWebhook(received[0]!.body, received[0]!.headers, endpoint.secret!);
      expect(event).toMatchObject({ type: 'livedrop.seller.created', subject: seller.id });
      await expect
        .poll(async () => (await ld.webhookEndpoints.deliveries(endpoint.id)).data[0]?.status)
        .toBe('succeeded');

      const rotated = await ld.webhookEndpoints.rotateSecret(endpoint.id, { overlapSeconds: 60 });
      expect(rotated.secret).not.toBe(endpoint.secret);
      await ld.webhookEndpoints.replay(endpoint.id, { after: event.seq - 1 });
      await expect.poll(() => received.length).toBe(2);
      expect(await verifyWebhook(received[1]!.body, received[1]!.headers, rotated.secret!)).toMatchObject({
        subject: seller.id,
      });
      expect((await ld.webhookEndpoints.delete(endpoint.id)).id).toBe(endpoint.id);
    } finally {
      receiver.close();
    }
  });
});
