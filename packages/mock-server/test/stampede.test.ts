import { Agent } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import type { EngineOptions } from '../src/engine';
import { inBatches } from './support/in-batches';
import { liveOffer } from './support/live-offer';
import { type PooledAnswer, pooledCall } from './support/pooled-call';
import { yieldingStorage } from './support/yielding-storage';

const ATTEMPTS = 10_000;
const UNITS = 100;

/** What a stampede left: every answer, every concurrent read of the stock, and the final state. */
interface StampedeResult {
  readonly answers: PooledAnswer[];
  readonly reads: { available: number; reserved: number; sold: number; total: number }[];
  readonly final: PooledAnswer;
  readonly events: PooledAnswer;
  readonly invariantHolds: boolean;
}

/** Runs {@link ATTEMPTS} concurrent reservation attempts on {@link UNITS} units against a server on `storage`. */
async function stampede(storage: EngineOptions['storage']): Promise<StampedeResult> {
  await using ld = await startReferenceServer({
    clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')),
    ...(storage ? { storage } : {}),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  // The poller has its own connection, so its reads are not queued behind 10,000 reservations.
  const pollerAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { secretKey, publishableKey, creatorId } = ld.server.keys;
    const api = (method: string, path: string, body?: unknown) =>
      pooledCall(agent, ld.url, secretKey, method, path, body);
    const { offerId } = await liveOffer(api, creatorId, { title: 'Stampede', offer: { quantity: UNITS } });

    const buyers = Array.from({ length: ATTEMPTS }, (_, i) => `buyer_${i}`);
    const tokens = await inBatches(buyers, 128, async (buyerId) => {
      const issued = await api('POST', `/v1/offers/${offerId}/tokens`, { buyerId });
      expect(issued.status).toBe(201);
      return issued.body.token as string;
    });

    const reads: StampedeResult['reads'] = [];
    let stampeding = true;
    const poller = (async () => {
      while (stampeding) {
        const read = await pooledCall(pollerAgent, ld.url, secretKey, 'GET', `/v1/offers/${offerId}`);
        expect(read.status).toBe(200);
        reads.push(read.body.stock);
      }
    })();

    const started = performance.now();
    const answers = await Promise.all(
      tokens.map((offerToken) =>
        pooledCall(agent, ld.url, publishableKey, 'POST', '/v1/reservations', { offerToken, quantity: 1 }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    stampeding = false;
    await poller;
    console.log(
      `stampede: ${ATTEMPTS} reservation attempts on ${UNITS} units in ${seconds.toFixed(2)} s = ${Math.round(ATTEMPTS / seconds)} attempts/s over HTTP (${reads.length} concurrent reads)`,
    );
    const final = await api('GET', `/v1/offers/${offerId}`);
    const events = await api('GET', '/v1/events?types=livedrop.reservation.held,livedrop.offer.sold_out&limit=1000');
    return { answers, reads, final, events, invariantHolds: ld.server.engine.invariantHolds() };
  } finally {
    agent.destroy();
    pollerAgent.destroy();
  }
}

/** What a user must see after the stampede: exactly {@link UNITS} held, every other attempt sold out, the invariant at every read. */
function expectNoOversell({ answers, reads, final, events, invariantHolds }: StampedeResult): void {
  const held = answers.filter((a) => a.status === 201);
  expect(held).toHaveLength(UNITS);
  expect(held.every((a) => a.body.status === 'held' && a.body.quantity === 1)).toBe(true);
  expect(new Set(held.map((a) => a.body.buyerId)).size).toBe(UNITS);
  const refused = answers.filter((a) => a.status !== 201);
  expect(refused.every((a) => a.status === 409 && a.body.code === 'sold_out')).toBe(true);
  expect(refused).toHaveLength(ATTEMPTS - UNITS);

  expect(reads.length).toBeGreaterThan(0);
  for (const stock of reads) {
    expect(stock.available + stock.reserved + stock.sold).toBe(stock.total);
    expect(stock.available).toBeGreaterThanOrEqual(0);
  }
  expect(final.body.stock).toEqual({ total: UNITS, available: 0, reserved: UNITS, sold: 0, backordered: 0 });
  expect(final.body.soldOut).toBe(true);
  expect(events.body.data.filter((e: { type: string }) => e.type === 'livedrop.reservation.held')).toHaveLength(UNITS);
  expect(events.body.data.filter((e: { type: string }) => e.type === 'livedrop.offer.sold_out')).toHaveLength(1);
  expect(invariantHolds).toBe(true);
}

describe(`${ATTEMPTS} concurrent reservation attempts on ${UNITS} units`, () => {
  it('hold exactly the units there are, and the invariant holds at every read (in-memory storage)', {
    timeout: 120_000,
  }, async () => {
    expectNoOversell(await stampede(undefined));
  });

  it('hold exactly the units there are on a storage that yields to the event loop inside every call', {
    timeout: 180_000,
  }, async () => {
    expectNoOversell(await stampede(yieldingStorage(true)));
  });

  it('catch a storage that is not atomic (it yields between a transition and its commit)', {
    timeout: 180_000,
  }, async () => {
    const result = await stampede(yieldingStorage(false));
    expect(() => expectNoOversell(result)).toThrow();
    // What the broken store did, in a user's terms: more buyers were told "held" than there are units.
    expect(result.answers.filter((a) => a.status === 201).length).toBeGreaterThan(UNITS);
  });
});
