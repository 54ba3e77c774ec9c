import type { Offer } from '@livedrop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { release, tryHold, type HoldRequest } from '../src/domain/ledger';
import { Engine } from '../src/engine';
import { newId } from '../src/ids';
import { ApiProblem } from '../src/problem';
import type { OfferRecord, ReservationRecord } from '../src/store';

/*
 * Concurrent reservations whose asynchronous step (verifying the offer token) completes in an order
 * fast-check's scheduler picks, followed — for some — by a release. The property: whatever the order,
 * no more units are held than exist and `available + reserved + sold == total` at every step.
 */

const START = Date.parse('2026-11-25T18:00:00Z');

/** A ledger under test: what one reservation does once its token has been verified. */
type Ledger = (scheduler: fc.Scheduler, engine: Engine, offer: OfferRecord, request: HoldRequest) => Promise<ReservationRecord>;

/** The real ledger: the hold is one synchronous step. */
const realLedger: Ledger = async (_scheduler, engine, offer, request) => tryHold(engine, offer, request);

/**
 * A deliberately broken ledger: it checks availability, then yields (as an `await` on a database
 * read would) before it decrements, so two buyers can both see the last unit.
 */
const brokenLedger: Ledger = async (scheduler, engine, offer, request) => {
  if (offer.value.stock.available < request.quantity) throw new ApiProblem('sold_out', 'Sold out.');
  await scheduler.schedule(Promise.resolve('write stock'));
  const { stock } = offer.value;
  stock.available -= request.quantity;
  stock.reserved += request.quantity;
  const reservation: ReservationRecord = {
    tenantId: offer.tenantId,
    clientSecret: 'unused',
    creatorId: offer.creatorId,
    sellerId: offer.value.sellerId,
    value: { id: newId('reservation'), object: 'reservation', offerId: offer.value.id, sessionId: offer.value.sessionId, buyerId: request.buyerId, quantity: request.quantity, status: 'held', unitPrice: offer.value.price, amount: offer.value.price, expiresAt: engine.nowIso(), queuePosition: null, orderId: null, attribution: null, createdAt: engine.nowIso(), updatedAt: engine.nowIso() },
  };
  engine.store.reservations.set(reservation.value.id, reservation);
  return reservation;
};

function liveOffer(engine: Engine, total: number): OfferRecord {
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
  const record: OfferRecord = { tenantId: engine.defaultTenant.tenantId, value: offer, creatorId: engine.defaultTenant.creatorId, queue: [], unitsByBuyer: new Map() };
  engine.store.offers.set(offer.id, record);
  return record;
}

/** One buyer's attempt: how many units, and whether they give them back afterwards. */
const attempt = fc.record({ quantity: fc.integer({ min: 1, max: 3 }), releases: fc.boolean() });

function noOversell(ledger: Ledger) {
  return fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 6 }), fc.array(attempt, { minLength: 2, maxLength: 10 }), async (scheduler, total, attempts) => {
    const engine = new Engine({ clock: createManualClock(START) });
    const offer = liveOffer(engine, total);
    const violations: string[] = [];
    const check = (when: string) => {
      const { available, reserved, sold } = offer.value.stock;
      if (available < 0 || reserved > total || available + reserved + sold !== total) violations.push(`${when}: ${JSON.stringify(offer.value.stock)}`);
    };
    const verifyToken = scheduler.scheduleFunction(async (buyer: number) => buyer);
    const giveBack = scheduler.scheduleFunction(async (reservation: ReservationRecord) => reservation);

    const runs = attempts.map(async ({ quantity, releases }, index) => {
      const buyerId = `buyer_${await verifyToken(index)}`;
      let reservation: ReservationRecord;
      try {
        reservation = await ledger(scheduler, engine, offer, { buyerId, quantity, quantityMax: 10, backorderConsent: false, attribution: null });
      } catch (error) {
        if (error instanceof ApiProblem && error.code === 'sold_out') return check(`after ${buyerId} was refused`);
        throw error;
      }
      check(`after ${buyerId} held ${quantity}`);
      if (releases) {
        release(engine, await giveBack(reservation));
        check(`after ${buyerId} released`);
      }
    });
    await scheduler.waitIdle();
    await Promise.all(runs);
    check('at the end');
    const held = [...engine.store.reservations.values()].filter((r) => r.value.status === 'held').reduce((sum, r) => sum + r.value.quantity, 0);
    if (held > total) violations.push(`${held} units held of ${total}`);
    if (violations.length > 0) throw new Error(`Oversold:\n${violations.join('\n')}\n${scheduler.report().map((task) => task.label).join(' → ')}`);
  });
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
