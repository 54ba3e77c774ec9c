import type { Order, Refund } from '@livedrop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const SETTLEMENT_DELAY_MS = 60_000;

type Currency = 'USD' | 'JPY' | 'KWD';

/** One step after the capture: a refund of part of what is left, of all of it, of too much, or a payout run. */
type Step = { kind: 'partial'; seed: number } | { kind: 'rest' } | { kind: 'over'; extra: number } | { kind: 'settle' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('partial' as const),
      seed: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }) }, fc.nat()),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'rest' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('over' as const),
      extra: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1_000_000 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

const caseArb = fc.record({
  currency: fc.constantFrom<Currency>('USD', 'JPY', 'KWD'),
  // Tiny prices make rounding decide most legs; large ones exercise the integer arithmetic.
  unitPrice: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 10 }) },
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 1_000_000_000 }),
  ),
  quantity: fc.integer({ min: 1, max: 5 }),
  rules: fc.oneof(
    // Near-equal thirds and halves tie remainders, where rounding goes wrong first.
    fc.constantFrom(
      { platformFeeBps: 3333, creatorCommissionBps: 3333 },
      { platformFeeBps: 5000, creatorCommissionBps: 0 },
      { platformFeeBps: 0, creatorCommissionBps: 0 },
      { platformFeeBps: 10_000, creatorCommissionBps: 0 },
    ),
    fc
      .integer({ min: 0, max: 10_000 })
      .chain((platformFeeBps) =>
        fc
          .integer({ min: 0, max: 10_000 - platformFeeBps })
          .map((creatorCommissionBps) => ({ platformFeeBps, creatorCommissionBps })),
      ),
  ),
  steps: fc.array(stepArb, { maxLength: 8 }),
});

/** One generated case: the offer, its split rule, and what happens after the capture. */
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** A captured order made through the API on a freshly reset server. */
async function capturedOrder(api: Api, control: Api, creatorId: string, input: Case): Promise<Order> {
  expect((await control.post('/__control/reset')).status).toBe(200);
  const seller = await api.post('/v1/sellers', { name: 'Prop Seller' });
  expect(
    (
      await api.post(`/v1/creators/${creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: input.rules.creatorCommissionBps,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId,
    title: 'Property drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'P-1',
    title: 'Thing',
    price: { amount: input.unitPrice, currency: input.currency },
    quantity: 10,
    split: input.rules,
  });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  expect((await api.post(`/v1/offers/${offer.body.id}/publish`)).status).toBe(200);
  const token = await api.post(`/v1/offers/${offer.body.id}/tokens`, { buyerId: 'buyer_prop', quantityMax: 5 });
  const held = await api.post('/v1/reservations', { offerToken: token.body.token, quantity: input.quantity });
  expect(held.status).toBe(201);
  const captured = await api.post(`/v1/reservations/${held.body.id}/capture`, { paymentReference: 'pi_prop' });
  expect(captured.status).toBe(201);
  return captured.body as Order;
}

/** The split of a fresh order: exact sum, nothing negative, each leg within one unit of its exact share. */
function checkSplit(order: Order, input: Case): void {
  const gross = input.unitPrice * input.quantity;
  expect(order.gross).toEqual({ amount: gross, currency: input.currency });
  expect(order.split.reduce((sum, leg) => sum + leg.amount.amount, 0)).toBe(gross);
  const { platformFeeBps, creatorCommissionBps } = input.rules;
  const bps = {
    platform: platformFeeBps,
    creator: creatorCommissionBps,
    seller: 10_000 - platformFeeBps - creatorCommissionBps,
  };
  for (const leg of order.split) {
    expect(leg.bps).toBe(bps[leg.party]);
    expect(leg.amount.amount).toBeGreaterThanOrEqual(0);
    expect(leg.amount.currency).toBe(input.currency);
    // |leg - gross × bps / 10000| < 1, in exact integers.
    const distance = BigInt(leg.amount.amount) * 10_000n - BigInt(gross) * BigInt(leg.bps);
    expect(distance < 0n ? -distance : distance).toBeLessThan(10_000n);
  }
  expect(order.transfers.map((transfer) => [transfer.party, transfer.amount.amount])).toEqual(
    order.split.filter((leg) => leg.amount.amount > 0).map((leg) => [leg.party, leg.amount.amount]),
  );
}

/** The ledger of an order as it stands: refunds funded exactly by reversals, no leg reversed past what it paid. */
function checkLedger(order: Order): void {
  const refunded = order.refunds.reduce((sum, refund) => sum + refund.amount.amount, 0);
  expect(order.amountRefunded.amount).toBe(refunded);
  expect(refunded).toBeLessThanOrEqual(order.gross.amount);
  expect(order.status).toBe(
    refunded === 0 ? 'paid' : refunded === order.gross.amount ? 'refunded' : 'partially_refunded',
  );
  for (const refund of order.refunds) {
    expect(refund.reversals.reduce((sum, reversal) => sum + reversal.amount.amount, 0)).toBe(refund.amount.amount);
    for (const reversal of refund.reversals) expect(reversal.amount.amount).toBeGreaterThan(0);
  }
  for (const transfer of order.transfers) {
    const reversed = transfer.reversals.reduce((sum, reversal) => sum + reversal.amount.amount, 0);
    expect(transfer.amountReversed.amount).toBe(reversed);
    expect(reversed).toBeLessThanOrEqual(transfer.amount.amount);
    if (reversed === transfer.amount.amount) expect(transfer.status).toBe('reversed');
    else expect(transfer.status).not.toBe('reversed');
  }
}

describe('money through the API', () => {
  it('splits exactly and reverses exactly for random prices, currencies, rules and refund sequences', async () => {
    await using ld = await startReferenceServer({
      clock: createManualClock(START),
      settlementDelayMs: SETTLEMENT_DELAY_MS,
    });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const control = apiAs(ld.url, ld.server.controlKey);
    const creatorId = ld.server.keys.creatorId;
    const eventCount = async () => (await control.get('/__control/state')).body.events as number;

    await fc.assert(
      fc.asyncProperty(caseArb, async (input) => {
        let order = await capturedOrder(api, control, creatorId, input);
        checkSplit(order, input);
        const refundsPath = `/v1/orders/${order.id}/refunds`;
        const money = (amount: number) => ({ amount, currency: input.currency });
        /** Transfers fully reversed while still pending: they must never be paid. */
        const reversedUnpaid = new Set<string>();

        for (const step of input.steps) {
          const remaining = order.gross.amount - order.amountRefunded.amount;
          if (step.kind === 'settle') {
            for (const transfer of order.transfers)
              if (transfer.status === 'reversed' && transfer.paidAt === null) reversedUnpaid.add(transfer.id);
            expect((await control.post('/__control/clock', { advanceMs: SETTLEMENT_DELAY_MS })).status).toBe(200);
            order = (await api.get(`/v1/orders/${order.id}`)).body as Order;
            for (const transfer of order.transfers) {
              if (reversedUnpaid.has(transfer.id)) expect(transfer).toMatchObject({ status: 'reversed', paidAt: null });
              else expect(transfer.paidAt).not.toBeNull();
            }
          } else if (step.kind === 'over' || remaining === 0) {
            const extra = step.kind === 'over' ? step.extra : 1;
            const eventsBefore = await eventCount();
            const refused = await api.post(refundsPath, { amount: money(remaining + extra) });
            expect(refused.status).toBe(422);
            expect(refused.body.code).toBe('refund_exceeds_capture');
            expect(refused.body.detail).toContain(
              remaining === 0 ? 'nothing left to refund' : `Refund at most ${remaining}.`,
            );
            // Nothing changed: the order reads the same and the log did not grow.
            expect((await api.get(`/v1/orders/${order.id}`)).body).toEqual(order);
            expect(await eventCount()).toBe(eventsBefore);
          } else {
            const amount = step.kind === 'rest' ? remaining : 1 + (step.seed % remaining);
            const eventsBefore = await eventCount();
            const response = await api.post(refundsPath, step.kind === 'rest' ? {} : { amount: money(amount) });
            expect(response.status, JSON.stringify(response.body)).toBe(201);
            const refund = response.body as Refund;
            expect(refund.amount).toEqual(money(amount));
            expect(refund.reversals.reduce((sum, reversal) => sum + reversal.amount.amount, 0)).toBe(amount);
            // One refund.created and one transfer.reversed per reversal, and the seller's
            // trust_updated when the refund completes the order's refund (one completed order fewer).
            const trustUpdated = amount === remaining ? 1 : 0;
            expect(await eventCount()).toBe(eventsBefore + 1 + refund.reversals.length + trustUpdated);
            order = (await api.get(`/v1/orders/${order.id}`)).body as Order;
          }
          checkLedger(order);
        }
      }),
      { numRuns: 40 },
    );
  });
});
