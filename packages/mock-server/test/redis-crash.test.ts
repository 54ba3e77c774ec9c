import { Agent } from 'node:http';
import type { LiveDropEvent, Reservation } from '@livedrop/core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliKeys, type CliProcess, killAllClis, startCli } from './support/cli-process';
import { liveOffer } from './support/live-offer';
import { type PooledAnswer, pooledCall } from './support/pooled-call';
import { startTestRedis, type TestRedis } from './support/redis-server';
import { waitUntil } from './support/sse';
import { startWebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';

// Two `livedrop-mock` processes on one Redis serve a drop under load. Mid-drop, instance A is
// SIGKILLed and Redis is SIGKILLed and restarted from its append-only file. Every answer the
// buyers and the platform got before must still hold, on both instances, afterwards.

const UNITS = 24;
const BUYERS = 160;
const WORKERS = 12;
const TTL_SECONDS = 600;
const SELLER_CONSENT = '2026-01-01T00:00:00.000Z';
/** Request numbers the receiver refuses with a 500 (each is retried: a retry is not a second delivery). */
const REFUSED = new Set([3, 40, 120, 300]);

let agent = new Agent({ keepAlive: true, maxSockets: 64 });
let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(killAllClis);
afterAll(async () => {
  agent.destroy();
  await redis.stop();
});

/** One instance: its process and its URL. */
interface Instance {
  readonly cli: CliProcess;
  readonly url: string;
}

async function startInstance(): Promise<{ instance: Instance; keys: CliKeys }> {
  const { cli, keys } = await startCli([
    '--redis',
    redis.url,
    '--json',
    '--no-rate-limits',
    '--allow-private-webhooks',
  ]);
  return { instance: { cli, url: keys.LIVEDROP_URL }, keys };
}

/** One call over the pooled agent; a refused or reset connection answers status 0. */
async function call(
  instance: Instance,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<PooledAnswer> {
  try {
    return await pooledCall(agent, instance.url, key, method, path, body, headers);
  } catch (error) {
    return { status: 0, body: { error: String(error) } };
  }
}

/** Polls `probe` until `accept` holds (replicas catch up through the stream; deliveries are asynchronous). */
async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every event of the log, all pages, from one instance. */
async function allEvents(instance: Instance, key: string): Promise<LiveDropEvent[]> {
  const events: LiveDropEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await eventually(
      () => call(instance, key, 'GET', `/v1/events?after=${after}&limit=1000`),
      (answer) => answer.status === 200,
      'a page of events',
    );
    events.push(...page.body.data);
    after = page.body.nextAfter;
    if (!page.body.hasMore) return events;
  }
}

/** What a client was told, with a 2xx, about one reservation. */
interface Acknowledged {
  readonly id: string;
  readonly buyerId: string;
  status: Reservation['status'];
  readonly via: string;
  readonly phase: 'before A died' | 'before Redis died' | 'after Redis came back';
}

describe('a drop on two instances and Redis survives a crash of both', () => {
  it('keeps every acknowledged hold and capture, a contiguous verified log, single expiries, FIFO promotions and every webhook delivered, again only when a kill caught it in flight', {
    timeout: 180_000,
  }, async () => {
    let { instance: a, keys } = await startInstance();
    const { instance: b, keys: keysB } = await startInstance();
    expect(keysB).toEqual({ ...keys, LIVEDROP_URL: b.url });
    const secret = keys.LIVEDROP_SECRET_KEY;
    const publishable = keys.LIVEDROP_PUBLISHABLE_KEY;
    const control = keys.LIVEDROP_CONTROL_KEY;
    await using receiver = await startWebhookReceiver((n) => (REFUSED.has(n) ? 500 : 204));

    // The drop, made through A: a seller, a live session, an offer with a backorder queue, a webhook endpoint.
    const api = (method: string, path: string, body?: unknown) => call(a, secret, method, path, body);
    // The house creator the first instance made with the platform's keys.
    const creatorId = (await api('GET', '/v1/events?types=livedrop.creator.created')).body.data[0].subject as string;
    const { offerId } = await liveOffer(api, creatorId, {
      title: 'Crash drop',
      scheduledStartAt: new Date(Date.now() + 3_600_000).toISOString(),
      offer: {
        sku: 'CRASH-1',
        title: 'Last runner',
        price: { amount: 12_000, currency: 'USD' },
        quantity: UNITS,
        reservationTtlSeconds: TTL_SECONDS,
        backorder: { allowed: true, limit: BUYERS, sellerConsentAt: SELLER_CONSENT },
      },
    });
    const endpoint = await api('POST', '/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['*'] });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);

    // The load: buyers on A and B at once, each reserving with an idempotency key; every fourth
    // hold is captured by the platform, every fourth (another) confirmed by the buyer's browser.
    const ledger = new Map<string, Acknowledged>();
    let phase: Acknowledged['phase'] = 'before A died';
    let aAlive = true;
    let next = 0;
    const buyer = async (index: number) => {
      const on = aAlive && index % 2 === 0 ? a : b;
      const via = on === a ? 'A' : 'B';
      const token = await call(on, secret, 'POST', `/v1/offers/${offerId}/tokens`, { buyerId: `buyer_${index}` });
      if (token.status !== 201) return;
      const reserved = await call(
        on,
        publishable,
        'POST',
        '/v1/reservations',
        { offerToken: token.body.token, quantity: 1, backorderConsent: true },
        { 'idempotency-key': `reserve-${index}` },
      );
      if (reserved.status !== 201) return;
      const held = reserved.body as Reservation & { clientSecret: string };
      const acknowledged: Acknowledged = { id: held.id, buyerId: held.buyerId, status: held.status, via, phase };
      ledger.set(held.id, acknowledged);
      if (held.status !== 'held') return;
      const settled =
        index % 4 === 0
          ? await call(
              on,
              secret,
              'POST',
              `/v1/reservations/${held.id}/capture`,
              { paymentReference: `pi_crash_${index}` },
              { 'idempotency-key': `capture-${index}` },
            )
          : index % 4 === 1
            ? await call(
                on,
                publishable,
                'POST',
                `/v1/reservations/${held.id}/confirm`,
                { clientSecret: held.clientSecret, paymentMethod: 'pm_test_ok' },
                { 'idempotency-key': `confirm-${index}` },
              )
            : undefined;
      if (settled && settled.status >= 200 && settled.status < 300) {
        expect(settled.body.reservationId).toBe(held.id);
        acknowledged.status = 'captured';
      }
    };
    const load = Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < BUYERS) await buyer(next++);
      }),
    );

    // Mid-drop: A dies, then Redis dies and comes back from its AOF, while the buyers keep coming.
    await waitUntil(() => ledger.size >= BUYERS / 4, 'a quarter of the buyers answered', 60_000);
    aAlive = false;
    a.cli.child.kill('SIGKILL');
    await a.cli.exited;
    const hooksAtAKill = receiver.received.length;
    const beforeA = ledger.size;
    phase = 'before Redis died';
    await waitUntil(() => ledger.size >= beforeA + BUYERS / 4, 'another quarter answered by B', 60_000);
    const hooksBeforeRedisKill = receiver.received.length;
    await redis.kill();
    const beforeRedis = ledger.size;
    const hooksAtRedisKill = receiver.received.length;
    await redis.restart();
    const hooksAtRedisRestart = receiver.received.length;
    phase = 'after Redis came back';
    await load;

    // A comes back as a new process; B reconnects by itself.
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const restarted = await startInstance();
    expect(restarted.keys).toEqual({ ...keys, LIVEDROP_URL: restarted.instance.url });
    a = restarted.instance;
    for (const instance of [a, b])
      await eventually(
        () => call(instance, '', 'GET', '/readyz'),
        (answer) => answer.status === 200,
        `/readyz on ${instance.url}`,
        60_000,
      );
    expect(ledger.size).toBeGreaterThan(beforeRedis);

    // 1. Every acknowledged reservation is there, on both instances, as the client was told.
    for (const instance of [a, b])
      for (const acknowledged of ledger.values()) {
        const read = await eventually(
          () => call(instance, secret, 'GET', `/v1/reservations/${acknowledged.id}`),
          (answer) => answer.status === 200 && answer.body.status === acknowledged.status,
          `${acknowledged.id} (${acknowledged.phase}, via ${acknowledged.via}) as ${acknowledged.status}`,
        );
        expect(read.body.buyerId).toBe(acknowledged.buyerId);
      }

    // 2. The log: seq 1..N without a gap or a repeat, the same on both, and a chain that verifies.
    const log = await allEvents(b, secret);
    const seqs = log.map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    const logOnA = await eventually(
      () => allEvents(a, secret),
      (events) => events.length >= log.length,
      'A to read the whole log',
    );
    expect(logOnA.slice(0, log.length)).toEqual(log);
    for (const instance of [a, b]) {
      const audit = await call(instance, secret, 'GET', '/v1/audit/verify');
      expect(audit.body, instance.url).toMatchObject({ valid: true, firstInvalidSeq: null });
      expect(audit.body.headSeq).toBeGreaterThanOrEqual(log.length);
    }

    // No buyer holds twice (a commit resent after the crash is applied once), and no oversell.
    const reservationEvents = log.filter(
      (event) => event.type === 'livedrop.reservation.held' || event.type === 'livedrop.reservation.backordered',
    );
    const buyers = reservationEvents.map((event) => (event.data as { reservation: Reservation }).reservation.buyerId);
    expect(new Set(buyers).size).toBe(buyers.length);
    const reservations = new Map<string, Reservation>();
    for (const event of reservationEvents) {
      const read = await call(b, secret, 'GET', `/v1/reservations/${event.subject}`);
      expect(read.status).toBe(200);
      reservations.set(event.subject, read.body);
    }
    const units = (status: Reservation['status']) =>
      [...reservations.values()].filter((r) => r.status === status).reduce((sum, r) => sum + r.quantity, 0);

    // 3. Stock: held + sold + available = total on both instances, and it matches the reservations.
    for (const instance of [a, b]) {
      const read = await eventually(
        () => call(instance, secret, 'GET', `/v1/offers/${offerId}`),
        (answer) => answer.status === 200 && answer.body.stock.reserved === units('held'),
        `the stock on ${instance.url}`,
      );
      const { total, available, reserved, sold, backordered } = read.body.stock;
      expect(available + reserved + sold).toBe(total);
      expect(total).toBe(UNITS);
      expect({ reserved, sold, backordered }).toEqual({
        reserved: units('held'),
        sold: units('captured'),
        backordered: units('backordered'),
      });
    }
    const queue = reservationEvents
      .filter((event) => event.type === 'livedrop.reservation.backordered')
      .map((event) => event.subject);

    // 4. Time passes: every hold expires once, and the queue is promoted in the order it was made.
    for (let round = 0; round < BUYERS; round++) {
      const moved = await call(a, control, 'POST', '/__control/clock', { advanceMs: (TTL_SECONDS + 1) * 1000 });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      const stock = (await call(a, secret, 'GET', `/v1/offers/${offerId}`)).body.stock;
      if (stock.reserved === 0 && stock.backordered === 0) break;
    }
    const finalLog = await allEvents(a, secret);
    expect(finalLog.map((event) => event.seq)).toEqual(Array.from({ length: finalLog.length }, (_, i) => i + 1));
    const subjectsOf = (type: string) => finalLog.filter((event) => event.type === type).map((e) => e.subject);
    const expired = subjectsOf('livedrop.reservation.expired');
    const promoted = subjectsOf('livedrop.reservation.promoted');
    expect(new Set(expired).size).toBe(expired.length);
    expect(promoted).toEqual(queue);
    const everHeld = [
      ...reservationEvents.filter((event) => event.type === 'livedrop.reservation.held').map((e) => e.subject),
      ...promoted,
    ];
    const orders = finalLog
      .filter((event) => event.type === 'livedrop.order.created')
      .map((event) => (event.data as { order: { reservationId: string } }).order.reservationId);
    expect(new Set(orders).size).toBe(orders.length);
    expect(new Set(expired)).toEqual(new Set(everHeld.filter((id) => !orders.includes(id))));
    for (const instance of [a, b]) {
      const read = await eventually(
        () => call(instance, secret, 'GET', `/v1/offers/${offerId}`),
        (answer) => answer.status === 200 && answer.body.stock.reserved === 0 && answer.body.stock.backordered === 0,
        `every hold expired on ${instance.url}`,
      );
      expect(read.body.stock).toEqual({
        total: UNITS,
        available: UNITS - orders.length,
        reserved: 0,
        sold: orders.length,
        backordered: 0,
      });
    }
    for (const instance of [a, b]) {
      const audit = await call(instance, secret, 'GET', '/v1/audit/verify');
      expect(audit.body, instance.url).toMatchObject({ valid: true, firstInvalidSeq: null });
    }

    // 5. Every event since the endpoint was made reaches the receiver (a refused one is retried), once
    // but for an attempt a kill caught in flight.
    const endpointSeq = finalLog.find((event) => event.subject === endpoint.body.id)!.seq;
    const expected = finalLog.filter((event) => event.seq >= endpointSeq).map((event) => event.id);
    const delivered = (hooks: readonly ReceivedWebhook[]) =>
      hooks.filter((hook) => hook.answered < 300).map((hook) => String(hook.headers['webhook-id']));
    await waitUntil(
      () => new Set(delivered(receiver.received)).size >= expected.length,
      `${expected.length} webhook events delivered (got ${new Set(delivered(receiver.received)).size})`,
      60_000,
    );
    // Longer than an attempt takes: a second send of any event would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ids = delivered(receiver.received);
    // Delivery is at least once on the wire: an attempt the receiver answered just as its sender (A,
    // or Redis under the settle) was killed is not recorded as sent, and goes again once its lease
    // lapses, with the same webhook-id and body, so a receiver deduplicates it (Standard Webhooks).
    // Only such an attempt, one per kill, may arrive twice; anything else twice is a bug.
    const firstReceipt = (id: string) =>
      receiver.received.findIndex((hook) => hook.answered < 300 && hook.headers['webhook-id'] === id);
    const inFlightAtAKill = (index: number) => Math.abs(index - hooksAtAKill) <= 1;
    const inFlightAtRedisKill = (index: number) =>
      index >= hooksBeforeRedisKill - 1 && index <= hooksAtRedisRestart + 1;
    const twice = ids.filter((id, index) => ids.indexOf(id) !== index);
    const where = twice.map((id) =>
      receiver.received.flatMap((hook, index) =>
        hook.headers['webhook-id'] === id ? [`${index}:${hook.answered}`] : [],
      ),
    );
    const explained = twice.filter((id) => inFlightAtAKill(firstReceipt(id)) || inFlightAtRedisKill(firstReceipt(id)));
    expect(
      { unexplained: twice.filter((id) => !explained.includes(id)), resent: explained.length },
      `webhook events delivered more than once at ${JSON.stringify(where)}; A killed at ${hooksAtAKill}, Redis killed at ${hooksBeforeRedisKill}..${hooksAtRedisKill}, back at ${hooksAtRedisRestart}`,
    ).toEqual({ unexplained: [], resent: expect.any(Number) });
    expect(explained.length).toBeLessThanOrEqual(2);
    for (const id of explained) {
      const copies = receiver.received.filter((hook) => hook.answered < 300 && hook.headers['webhook-id'] === id);
      expect(new Set(copies.map((hook) => hook.body)).size, `the copies of ${id} are the same body`).toBe(1);
    }
    expect([...new Set(ids)]).toEqual(expected);
    const verifier = new Webhook(endpoint.body.secret);
    for (const hook of receiver.received)
      verifier.verify(hook.body, {
        'webhook-id': String(hook.headers['webhook-id']),
        'webhook-timestamp': String(hook.headers['webhook-timestamp']),
        'webhook-signature': String(hook.headers['webhook-signature']),
      });

    console.log(
      `crash: ${beforeA} acknowledged before A was killed, ${beforeRedis} before Redis was killed, ${ledger.size} in all; ${finalLog.length} events; ${expired.length} holds expired once; ${promoted.length} backorders promoted in order; ${new Set(ids).size} webhook events delivered (${explained.length} sent again after a kill caught them in flight, ${receiver.received.length - ids.length} refused and retried)`,
    );
  });
});
