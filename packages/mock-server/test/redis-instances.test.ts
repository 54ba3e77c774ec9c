import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { redisStore, startReferenceServer, type StartedReferenceServer } from '../src/node';
import { inBatches } from './support/in-batches';
import { liveOffer } from './support/live-offer';
import { pooledCall } from './support/pooled-call';
import { startTestRedis, type TestRedis } from './support/redis-server';
import { openSse, waitUntil } from './support/sse';
import { startWebhookReceiver } from './support/webhook-receiver';

// Three reference servers on one Redis serve one platform: what a deal platform runs behind a load
// balancer. Every call goes over real HTTP to one instance or another.

const START = Date.parse('2026-11-25T18:00:00Z');
const ATTEMPTS = 10_000;
const UNITS = 100;

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const call = (
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => pooledCall(agent, base, key, method, path, body, headers);

let redis: TestRedis;
let prefix = 0;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  agent.destroy();
  await redis.stop();
});

/** `count` instances on the test Redis under a fresh prefix (a platform of their own). */
async function instances(count: number): Promise<StartedReferenceServer[]> {
  const storage = redisStore(redis.url, { prefix: `multi${++prefix}` });
  const started: StartedReferenceServer[] = [];
  // One after another, as a deployment rolls out: the first makes the platform, the others join it.
  for (let index = 0; index < count; index++)
    started.push(
      await startReferenceServer({
        clock: createManualClock(START),
        storage,
        rateLimits: false,
        webhooks: { allowPrivateNetworks: true },
      }),
    );
  return started;
}

/** A live session and a published offer, made through `ld` as the platform. */
function liveOfferOn(ld: StartedReferenceServer, offer: Record<string, unknown>) {
  const { secretKey, creatorId } = ld.server.keys;
  const api = (method: string, path: string, body?: unknown) => call(ld.url, secretKey, method, path, body);
  return liveOffer(api, creatorId, { title: 'Shared drop', offer });
}

describe('three instances on one Redis', () => {
  it('print the same keys: the first makes the platform, the others join it', async () => {
    const [a, b, c] = await instances(3);
    try {
      expect(b!.server.keys).toEqual(a!.server.keys);
      expect(c!.server.keys).toEqual(a!.server.keys);
      expect(c!.server.controlKey).toBe(a!.server.controlKey);
      const seller = await call(a!.url, a!.server.keys.secretKey, 'POST', '/v1/sellers', { name: 'Made on A' });
      await waitUntil(() => c!.server.engine.store.sellers.has(seller.body.id), 'the seller to reach instance C');
      const read = await call(c!.url, c!.server.keys.secretKey, 'GET', `/v1/sellers/${seller.body.id}`);
      expect(read.body.name).toBe('Made on A');
    } finally {
      await Promise.all([a, b, c].map((ld) => ld!.close()));
    }
  });

  it(`hold exactly ${UNITS} units of ${ATTEMPTS} attempts spread over the instances`, {
    timeout: 240_000,
  }, async () => {
    const all = await instances(3);
    try {
      const [a] = all as [StartedReferenceServer];
      const { secretKey, publishableKey } = a.server.keys;
      const { offerId } = await liveOfferOn(a, { quantity: UNITS });
      const on = (index: number) => all[index % all.length]!;
      const tokens = await inBatches(
        Array.from({ length: ATTEMPTS }, (_, index) => index),
        96,
        async (index) => {
          const issued = await call(on(index).url, secretKey, 'POST', `/v1/offers/${offerId}/tokens`, {
            buyerId: `buyer_${index}`,
          });
          expect(issued.status, JSON.stringify(issued.body)).toBe(201);
          return issued.body.token as string;
        },
      );
      const answers = await inBatches(
        tokens.map((token, index) => ({ token, index })),
        192,
        ({ token, index }) =>
          call(on(index + 1).url, publishableKey, 'POST', '/v1/reservations', { offerToken: token, quantity: 1 }),
      );
      const held = answers.filter((answer) => answer.status === 201);
      const outcomes: Record<string, number> = {};
      for (const { status, body } of answers) {
        const outcome = `${status} ${body?.code ?? ''}`;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      expect(held, `answers by status and code: ${JSON.stringify(outcomes)}`).toHaveLength(UNITS);
      expect(new Set(held.map((answer) => answer.body.buyerId)).size).toBe(UNITS);
      const refused = answers.filter((answer) => answer.status !== 201);
      expect(new Set(refused.map((answer) => `${answer.status} ${answer.body.code}`))).toEqual(
        new Set(['409 sold_out']),
      );
      for (const ld of all) {
        await waitUntil(
          () => ld.server.engine.store.offers.get(offerId)?.value.stock.reserved === UNITS,
          'every instance to see the holds',
        );
        const offer = await call(ld.url, secretKey, 'GET', `/v1/offers/${offerId}`);
        expect(offer.body.stock).toEqual({ total: UNITS, available: 0, reserved: UNITS, sold: 0, backordered: 0 });
        expect(ld.server.engine.invariantHolds()).toBe(true);
      }
      const events = await call(all[2]!.url, secretKey, 'GET', '/v1/events?types=livedrop.reservation.held&limit=1000');
      expect(events.body.data).toHaveLength(UNITS);
      const audit = await call(all[1]!.url, secretKey, 'GET', '/v1/audit/verify');
      expect(audit.body.valid).toBe(true);
    } finally {
      await Promise.all(all.map((ld) => ld.close()));
    }
  });

  it('hold a per-buyer limit, a token id and an idempotency key across instances', async () => {
    const all = await instances(3);
    try {
      const [a] = all as [StartedReferenceServer];
      const { secretKey, publishableKey } = a.server.keys;
      const { offerId } = await liveOfferOn(a, { quantity: 50, perBuyerLimit: 1 });
      // One buyer, one token per instance, all spent at once on different instances: one unit.
      const tokens = await Promise.all(
        all.map((ld) => call(ld.url, secretKey, 'POST', `/v1/offers/${offerId}/tokens`, { buyerId: 'greedy' })),
      );
      const limited = await Promise.all(
        all.map((ld, index) =>
          call(ld.url, publishableKey, 'POST', '/v1/reservations', {
            offerToken: tokens[index]!.body.token,
            quantity: 1,
          }),
        ),
      );
      expect(limited.map((answer) => answer.status).sort()).toEqual([201, 422, 422]);
      expect(limited.filter((answer) => answer.status === 422).every((a) => a.body.code === 'limit_exceeded')).toBe(
        true,
      );
      // One token sent to every instance at once (an offer without a per-buyer limit): accepted once.
      const open = await liveOfferOn(a, { quantity: 50 });
      const token = await call(a.url, secretKey, 'POST', `/v1/offers/${open.offerId}/tokens`, { buyerId: 'replayer' });
      const replayed = await Promise.all(
        all.map((ld) =>
          call(ld.url, publishableKey, 'POST', '/v1/reservations', { offerToken: token.body.token, quantity: 1 }),
        ),
      );
      expect(replayed.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
      expect(replayed.filter((answer) => answer.status === 409).every((a) => a.body.code === 'token_replayed')).toBe(
        true,
      );
      // One idempotency key on two instances: one seller, and the same body from both.
      const key = { 'idempotency-key': 'seller-once' };
      const first = await call(all[1]!.url, secretKey, 'POST', '/v1/sellers', { name: 'Once' }, key);
      const second = await call(all[2]!.url, secretKey, 'POST', '/v1/sellers', { name: 'Once' }, key);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      await waitUntil(() => a.server.engine.store.sellers.has(first.body.id), 'the seller to reach instance A');
      const named = [...a.server.engine.store.sellers.values()].filter((seller) => seller.value.name === 'Once');
      expect(named).toHaveLength(1);
    } finally {
      await Promise.all(all.map((ld) => ld.close()));
    }
  });

  it('deliver each webhook event once, though every instance follows the log', async () => {
    const all = await instances(3);
    await using receiver = await startWebhookReceiver();
    try {
      const { secretKey } = all[0]!.server.keys;
      const endpoint = await call(all[0]!.url, secretKey, 'POST', '/v1/webhook-endpoints', {
        url: receiver.url,
        eventTypes: ['livedrop.seller.created'],
      });
      expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
      for (const ld of all)
        await waitUntil(() => ld.server.engine.store.webhookEndpoints.size === 1, 'every instance to see the endpoint');
      for (let index = 0; index < 12; index++)
        await call(all[index % 3]!.url, secretKey, 'POST', '/v1/sellers', { name: `Hooked ${index}` });
      await receiver.waitFor(12);
      // Longer than a delivery takes: a second send of any event would have arrived by now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const ids = receiver.received.map((hook) => hook.headers['webhook-id']);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      const names = receiver.received.map((hook) => JSON.parse(hook.body).data.seller.name);
      expect(names).toEqual(Array.from({ length: 12 }, (_, index) => `Hooked ${index}`));
    } finally {
      await Promise.all(all.map((ld) => ld.close()));
    }
  });

  it("deliver A's events to a viewer on B exactly once, in order, and resume on C after B stops", async () => {
    const [a, b, c] = await instances(3);
    try {
      const { secretKey } = a!.server.keys;
      const types = ['livedrop.seller.created'];
      const viewer = openSse(`${b!.url}/v1/events/stream`, secretKey, types);
      await waitUntil(() => b!.server.engine.streams !== undefined, 'the stream');
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let index = 0; index < 20; index++)
        await call(a!.url, secretKey, 'POST', '/v1/sellers', { name: `Seller ${index}` });
      await waitUntil(() => viewer.messages.length >= 20, "A's 20 events on B");
      viewer.close();
      await b!.close();
      const lastId = viewer.messages.at(-1)!.id;
      for (let index = 20; index < 30; index++)
        await call(a!.url, secretKey, 'POST', '/v1/sellers', { name: `Seller ${index}` });
      const resumed = openSse(`${c!.url}/v1/events/stream`, secretKey, types, { 'last-event-id': lastId });
      await waitUntil(() => resumed.messages.length >= 10, 'the 10 events after the last one seen, on C');
      await new Promise((resolve) => setTimeout(resolve, 300));
      resumed.close();
      const names = [...viewer.messages, ...resumed.messages].map(
        (message) => JSON.parse(message.data).data.seller.name,
      );
      expect(names).toEqual(Array.from({ length: 30 }, (_, index) => `Seller ${index}`));
      const seqs = [...viewer.messages, ...resumed.messages].map((message) => Number(message.id));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(30);
    } finally {
      await Promise.all([a, c].map((ld) => ld!.close()));
    }
  });
});
