import type { Offer } from '@livedrop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { release, tryHold, type HoldRequest } from '../src/domain/ledger';
import { Engine } from '../src/engine';
import { newId } from '../src/ids';
import { ApiProblem } from '../src/problem';
import type { MemoryStorage } from '../src/storage/memory/memory-storage';
import type { OfferRecord, ReservationRecord } from '../src/store';

/*
 * Concurrent reservations whose asynchronous step (verifying the offer token) completes in an order
 * fast-check's scheduler picks, followed — for some — by a release. The property: whatever the order,
 * no more units are held than exist and `available + reserved + sold == total` at every step.
 */

const START = Date.parse('2026-11-25T18:00:00Z');

/** A ledger under test: what one reservation does once its token has been verified. */
type Ledger = (
  scheduler: fc.Scheduler,
  engine: Engine,
  offerId: string,
  request: HoldRequest,
) => Promise<ReservationRecord>;

/** The real ledger: the hold is one transaction of the engine's storage. */
const realLedger: Ledger = (_scheduler, engine, offerId, request) =>
  engine.transact((tx) => tryHold(tx, tx.get('offers', offerId)!, request));

/**
 * A deliberately broken storage: it runs the same transition, then yields (as a store that reads,
 * awaits and writes back without a script or compare-and-set would) before it commits, so two
 * buyers can both see the last unit and both commit their copy.
 */
const brokenLedger: Ledger = async (scheduler, engine, offerId, request) => {
  const storage = engine.storage as MemoryStorage;
  const tx = storage.begin();
  const held = tryHold(tx, tx.get('offers', offerId)!, request);
  await scheduler.schedule(Promise.resolve('commit'));
  storage.commit(tx);
  return held;
};

function liveOffer(engine: Engine, total: number): string {
  const now = engine.nowIso();
  const offer: Offer = {
    id: newId('offer'),
    object: 'offer',
    sessionId: newId('session'),
    sellerId: newId('seller'),
    sku: 'SNK-1',
    title: 'Runner',
    price: { amount: 2500, currency: 'USD' },
    compareAtPrice: null,
    priceFloor: null,
    status: 'live',
    soldOut: false,
    stock: { total, available: total, reserved: 0, sold: 0, backordered: 0 },
    perBuyerLimit: null,
    reservationTtlSeconds: 600,
    backorder: null,
    split: { platformFeeBps: 1000, creatorCommissionBps: 1500 },
    moderation: { decision: 'approved', note: null, reviewedAt: now },
    version: 1,
    publishedAt: now,
    endsAt: null,
    endedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const record: OfferRecord = {
    tenantId: engine.defaultTenant.tenantId,
    value: offer,
    creatorId: engine.defaultTenant.creatorId,
    queue: [],
  };
  // Test setup writes the committed record directly; everything after goes through transactions.
  engine.store.offers.set(offer.id, record);
  return offer.id;
}

/** One buyer's attempt: how many units, and whether they give them back afterwards. */
const attempt = fc.record({ quantity: fc.integer({ min: 1, max: 3 }), releases: fc.boolean() });

function noOversell(ledger: Ledger) {
  return fc.asyncProperty(
    fc.scheduler(),
    fc.integer({ min: 1, max: 6 }),
    fc.array(attempt, { minLength: 2, maxLength: 10 }),
    async (scheduler, total, attempts) => {
      const engine = new Engine({ clock: createManualClock(START) });
      const offerId = liveOffer(engine, total);
      const violations: string[] = [];
      const check = (when: string) => {
        const { available, reserved, sold } = engine.store.offers.get(offerId)!.value.stock;
        if (available < 0 || reserved > total || available + reserved + sold !== total)
          violations.push(`${when}: ${JSON.stringify({ available, reserved, sold })}`);
      };
      const verifyToken = scheduler.scheduleFunction(async (buyer: number) => buyer);
      const giveBack = scheduler.scheduleFunction(async (reservation: ReservationRecord) => reservation);

      const runs = attempts.map(async ({ quantity, releases }, index) => {
        const buyerId = `buyer_${await verifyToken(index)}`;
        let reservation: ReservationRecord;
        try {
          reservation = await ledger(scheduler, engine, offerId, {
            buyerId,
            quantity,
            quantityMax: 10,
            backorderConsent: false,
            attribution: null,
          });
        } catch (error) {
          if (error instanceof ApiProblem && error.code === 'sold_out') return check(`after ${buyerId} was refused`);
          throw error;
        }
        check(`after ${buyerId} held ${quantity}`);
        if (releases) {
          const { value } = await giveBack(reservation);
          await engine.transact((tx) => release(tx, tx.get('reservations', value.id)!));
          check(`after ${buyerId} released`);
        }
      });
      await scheduler.waitIdle();
      await Promise.all(runs);
      check('at the end');
      const held = [...engine.store.reservations.values()]
        .filter((r) => r.value.status === 'held')
        .reduce((sum, r) => sum + r.value.quantity, 0);
      if (held > total) violations.push(`${held} units held of ${total}`);
      if (violations.length > 0)
        throw new Error(
          `Oversold:\n${violations.join('\n')}\n${scheduler
            .report()
            .map((task) => task.label)
            .join(' → ')}`,
        );
    },
  );
}

describe('randomized interleavings of concurrent reservations', () => {
  it('never oversell with the real ledger', async () => {
    await fc.assert(noOversell(realLedger), { numRuns: 300 });
  });

  it('catch a ledger that awaits between its check and its decrement', async () => {
    const result = await fc.check(noOversell(brokenLedger), { numRuns: 300 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/Oversold/);
  });
});
