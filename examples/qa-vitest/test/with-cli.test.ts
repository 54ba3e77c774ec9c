/**
 * The reference server as a separate process, exactly as a QA pipeline in any language runs it:
 * spawn the CLI on a free port, read its keys from stdout, then drive it through the control API
 * (faults, clock) while the SDK talks to it over real HTTP.
 */
import { createClient, type LiveDropClient, type Seller } from '@livedrop/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from './support/cli';
import { openLiveOffer } from './support/live-offer';

let cli: RunningCli;
let ld: LiveDropClient;

/** Calls the control API with the control key. */
async function control(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${cli.keys.LIVEDROP_URL}/__control/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cli.keys.LIVEDROP_CONTROL_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  cli = await startCli();
  ld = createClient({ apiKey: cli.keys.LIVEDROP_SECRET_KEY, baseUrl: cli.keys.LIVEDROP_URL, maxRetries: 6 });
});

afterAll(async () => {
  // The CLI closes the server first and exits 0 on SIGTERM.
  expect(await cli.stop()).toBe(0);
});

describe('the reference server CLI', () => {
  it('prints its URL and every key as JSON', () => {
    expect(cli.keys.LIVEDROP_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.keys).toMatchObject({
      LIVEDROP_SECRET_KEY: expect.stringMatching(/^sk_test_/),
      LIVEDROP_PUBLISHABLE_KEY: expect.stringMatching(/^pk_test_/),
      LIVEDROP_CONTROL_KEY: expect.stringMatching(/^ctl_test_/),
    });
  });

  it('with half the responses lost after the change, retries with idempotency keys create each seller exactly once', async () => {
    await control('reset', {});
    // `after`: the server commits the change, then answers 503 as if the response was lost.
    await control('faults', { errorRate: 0.5, errorPhase: 'after', seed: 1 });
    const sellers: Seller[] = [];
    let retries = 0;
    let replays = 0;
    for (let n = 1; n <= 6; n++) {
      const seller = await ld.sellers.create(
        { name: `Seller ${n}` },
        {
          onResponse: ({ retryCount, replayed }) => {
            retries += retryCount;
            if (replayed) replays++;
          },
        },
      );
      sellers.push(seller);
    }
    await control('faults', {});

    // The faults did bite (a test that cannot fail is a defect), and the retries replayed the first answer.
    expect(retries).toBeGreaterThan(0);
    expect(replays).toBeGreaterThan(0);
    const created = await ld.events.list({ types: ['livedrop.seller.created'] }).toArray();
    const createdIds = created.map((event) => (event.data as { seller: Seller }).seller.id);
    expect(createdIds.sort()).toEqual(sellers.map((seller) => seller.id).sort());
    expect(new Set(createdIds).size).toBe(6);
  });

  it('moves the clock through the control API: a hold past its TTL expires and its stock returns', async () => {
    await control('reset', {});
    const offer = await openLiveOffer(ld, { quantity: 2, reservationTtlSeconds: 60 });
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_ada' });
    const held = await ld.reservations.create({ offerToken: token, quantity: 2 });
    expect((await ld.offers.retrieve(offer.id)).soldOut).toBe(true);

    const moved = await control('clock', { advanceMs: 61_000 });
    expect(moved).toMatchObject({ object: 'clock', expired: expect.any(Number) });
    expect(moved.expired).toBeGreaterThanOrEqual(1);

    expect((await ld.reservations.retrieve(held.id)).status).toBe('expired');
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ available: 2, reserved: 0 });
  });
});
