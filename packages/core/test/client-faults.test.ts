import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLiveDropError, type Reservation } from './support/sdk';
import { liveOffer, startHarness, type ReferenceHarness } from './support/reference';

let h: ReferenceHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
  return results;
}

describe('under injected faults', () => {
  it('500 reservations through 30% lost requests and responses: every hold exists exactly once', {
    timeout: 120_000,
  }, async () => {
    const { ld } = h;
    const { offer } = await liveOffer(h, { quantity: 1000 });
    const tokens = await pool(
      Array.from({ length: 500 }, (_, i) => `buyer_${i}`),
      50,
      async (buyerId) => (await ld.offers.issueToken(offer.id, { buyerId, ttlSeconds: 900 })).token,
    );

    await h.control('faults', { errorRate: 0.3, errorPhase: 'both', latencyMs: 5, seed: 7 });
    const statuses: (number | null)[] = [];
    const faulty = h.client(h.running.server.keys.secretKey, { onAttempt: (a) => statuses.push(a.status) });
    type Outcome = { key: string; hold?: Reservation; error?: unknown };
    const outcomes = await pool(tokens, 50, async (offerToken, i): Promise<Outcome> => {
      const key = `fault-test-${offer.id}-${i}`;
      try {
        return { key, hold: await faulty.reservations.create({ offerToken, quantity: 1 }, { idempotencyKey: key }) };
      } catch (error) {
        return { key, error };
      }
    });
    await h.control('faults', {});

    // The faults did bite, on both sides of the change, and retries absorbed most of them.
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(100);
    const succeeded = outcomes.filter((o) => o.hold);
    const failed = outcomes.filter((o) => o.error);
    expect(succeeded.length).toBeGreaterThan(400);
    for (const { error } of failed) expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(failed.every(({ error }) => isLiveDropError(error))).toBe(true);

    // Every success is a distinct held reservation the server has.
    const ids = succeeded.map((o) => o.hold!.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect((await ld.reservations.retrieve(id)).status).toBe('held');

    // The calls that gave up are retried later with the same key: each lands exactly once, whether
    // its change had been committed before the response was lost or not.
    let replayed = 0;
    const recovered = await pool(failed, 10, async ({ key }) => {
      const offerToken = tokens[outcomes.findIndex((o) => o.key === key)]!;
      const hold = await ld.reservations.create(
        { offerToken, quantity: 1 },
        { idempotencyKey: key, onResponse: (r) => (replayed += r.replayed ? 1 : 0) },
      );
      return hold.id;
    });
    // Some gave up before the change (fresh holds now), some after it committed (replayed now).
    expect(failed.length).toBeGreaterThan(0);
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThan(failed.length);
    const allIds = [...ids, ...recovered];
    expect(new Set(allIds).size).toBe(500);

    // The server holds exactly these reservations: no duplicate, none missing.
    const heldInLog: string[] = [];
    for await (const event of ld.events.list({ types: ['livedrop.reservation.held'], limit: 1000 })) {
      if (event.type === 'livedrop.reservation.held' && event.data.reservation.offerId === offer.id)
        heldInLog.push(event.data.reservation.id);
    }
    expect(heldInLog.length).toBe(500);
    expect(new Set(heldInLog)).toEqual(new Set(allIds));
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({
      total: 1000,
      available: 500,
      reserved: 500,
      sold: 0,
    });
    expect(await h.control('state')).toMatchObject({ invariantHolds: true });
  });
});
