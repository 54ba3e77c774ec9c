import { WebhookDelivery, WebhookEndpoint, verifyWebhook, type LiveDropEvent } from '@livedrop/core';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';
import { startWebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';

// Far from the real date on purpose: webhook-timestamp must be the wall clock, not this one.
const START = Date.parse('2031-03-01T12:00:00Z');
const HOUR = 3_600_000;

/** What a Standard Webhooks receiver reads from a request. */
const headersOf = (hook: ReceivedWebhook) => ({
  'webhook-id': String(hook.headers['webhook-id']),
  'webhook-timestamp': String(hook.headers['webhook-timestamp']),
  'webhook-signature': String(hook.headers['webhook-signature']),
});

/** Verifies one delivery with the independent standardwebhooks library and with core's verifyWebhook; both must agree. */
async function verifyBoth(hook: ReceivedWebhook, secret: string): Promise<LiveDropEvent> {
  const theirs = new Webhook(secret).verify(hook.body, headersOf(hook));
  const ours = await verifyWebhook(hook.body, hook.headers, secret);
  expect(ours).toEqual(theirs);
  return ours;
}

/** Expects both verifiers to refuse one delivery. */
async function refusedByBoth(hook: ReceivedWebhook, secret: string): Promise<void> {
  expect(() => new Webhook(secret).verify(hook.body, headersOf(hook))).toThrow();
  await expect(verifyWebhook(hook.body, hook.headers, secret)).rejects.toMatchObject({
    name: 'WebhookVerificationError',
  });
}

/** Polls the API briefly until `accept` holds: deliveries are sent and settled asynchronously. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Still not there after 5 s: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Setup {
  ld: StartedReferenceServer;
  api: Api;
  control: Api;
  /** Creates an endpoint and returns it with its secret. */
  endpoint(url: string, eventTypes?: string[]): Promise<WebhookEndpoint & { secret: string }>;
  /** Makes a `livedrop.seller.created` event. */
  seller(name?: string): Promise<string>;
  deliveries(endpointId: string, query?: string): Promise<WebhookDelivery[]>;
  events(types?: string): Promise<LiveDropEvent[]>;
  advance(ms: number): Promise<void>;
}

async function setup(): Promise<Setup> {
  // The receivers run on this machine: loopback delivery needs the explicit allowance.
  const ld = await startReferenceServer({ clock: createManualClock(START), webhooks: { allowPrivateNetworks: true } });
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  const control = apiAs(ld.url, ld.server.controlKey);
  let sellers = 0;
  return {
    ld,
    api,
    control,
    async endpoint(url, eventTypes = ['*']) {
      const res = await api.post('/v1/webhook-endpoints', { url, eventTypes });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    async seller(name = `Seller ${++sellers}`) {
      const res = await api.post('/v1/sellers', { name });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async deliveries(endpointId, query = '?limit=100') {
      const res = await api.get(`/v1/webhook-endpoints/${endpointId}/deliveries${query}`);
      expect(res.status).toBe(200);
      return res.body.data;
    },
    async events(types) {
      const res = await api.get(`/v1/events?limit=1000${types ? `&types=${types}` : ''}`);
      expect(res.status).toBe(200);
      return res.body.data;
    },
    async advance(ms) {
      expect((await control.post('/__control/clock', { advanceMs: ms })).status).toBe(200);
    },
  };
}

let current: Setup | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await current?.ld.close();
  current = undefined;
});
const start = async () => (current = await setup());

describe('webhook endpoints', () => {
  it('shows the whsec_ secret only when created, and refuses URLs it will not deliver to', async () => {
    const t = await start();
    const before = (await t.events()).length;
    for (const url of ['http://example.com/hooks', 'http://10.0.0.8/hooks']) {
      const refused = await t.api.post('/v1/webhook-endpoints', { url, eventTypes: ['*'] });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'url' })]);
      expect(refused.body.detail).toContain('https');
    }
    const ftp = await t.api.post('/v1/webhook-endpoints', { url: 'ftp://127.0.0.1/hooks', eventTypes: ['*'] });
    expect(ftp.status).toBe(400);
    expect(ftp.body.errors[0].path).toBe('url');
    const badType = await t.api.post('/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/ld',
      eventTypes: ['order.created'],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe('eventTypes.0');
    expect(
      (
        await apiAs(t.ld.url, t.ld.server.keys.publishableKey).post('/v1/webhook-endpoints', {
          url: 'https://hooks.example.com/ld',
          eventTypes: ['*'],
        })
      ).status,
    ).toBe(403);
    expect(await t.events()).toHaveLength(before);

    for (const url of ['https://hooks.example.com/ld', 'http://localhost:9/x', 'http://[::1]:9/x']) {
      const endpoint = await t.endpoint(url, ['livedrop.order.created']);
      expect(WebhookEndpoint.parse(endpoint)).toEqual(endpoint);
      expect(endpoint).toMatchObject({
        object: 'webhook_endpoint',
        url,
        status: 'enabled',
        consecutiveFailures: 0,
        disabledAt: null,
      });
      expect(endpoint.id).toMatch(/^we_/);
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      const bytes = Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64').length;
      expect(bytes).toBeGreaterThanOrEqual(24);
      expect(bytes).toBeLessThanOrEqual(32);
      const [created] = await t
        .events('livedrop.webhook_endpoint.created')
        .then((events) => events.filter((e) => e.subject === endpoint.id));
      expect(created?.data).toEqual({ endpoint: { ...endpoint, secret: undefined } });
      expect(JSON.stringify(await t.events())).not.toContain(endpoint.secret.slice('whsec_'.length));
    }
  });

  it('delivers signed CloudEvents that standardwebhooks and verifyWebhook both accept, and both refuse tampering and stale timestamps', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver();
    const endpoint = await t.endpoint(receiver.url);
    const sellerId = await t.seller('Northwind');
    const hooks = await receiver.waitFor(2);
    const log = await t.events();

    const events = [];
    for (const hook of hooks) {
      expect(hook.headers['content-type']).toBe('application/json');
      const event = await verifyBoth(hook, endpoint.secret);
      // The body is the log's event byte for byte, and webhook-id is the event id.
      const logged = log.find((e) => e.id === event.id);
      expect(hook.body).toBe(JSON.stringify(logged));
      expect(hook.headers['webhook-id']).toBe(event.id);
      // webhook-timestamp is the wall clock at the send, not the server's injected clock (years away).
      expect(Math.abs(Number(hook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      events.push(event);
    }
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['livedrop.webhook_endpoint.created', endpoint.id],
      ['livedrop.seller.created', sellerId],
    ]);

    const sellerHook = hooks[1]!;
    await refusedByBoth({ ...sellerHook, body: sellerHook.body.replace('Northwind', 'Southwind') }, endpoint.secret);
    await refusedByBoth(
      { ...sellerHook, headers: { ...sellerHook.headers, 'webhook-id': 'evt_other' } },
      endpoint.secret,
    );
    await refusedByBoth(sellerHook, `whsec_${Buffer.alloc(32, 7).toString('base64')}`);

    // The same delivery replayed ten minutes later is outside both libraries' five-minute tolerance.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    await refusedByBoth(sellerHook, endpoint.secret);
    vi.setSystemTime(Date.now() - 20 * 60_000);
    await refusedByBoth(sellerHook, endpoint.secret);
    vi.useRealTimers();
    await expect(
      verifyWebhook(sellerHook.body, sellerHook.headers, endpoint.secret, { now: Date.now() + 301_000 }),
    ).rejects.toMatchObject({ code: 'webhook_timestamp_invalid' });
    await verifyBoth(sellerHook, endpoint.secret);

    const delivered = await eventually(
      () => t.deliveries(endpoint.id),
      (list) => list.every((d) => d.status === 'succeeded'),
    );
    expect(delivered.map((d) => d.eventId)).toEqual(events.map((e) => e.id).reverse());
    for (const delivery of delivered) {
      expect(WebhookDelivery.parse(delivery)).toEqual(delivery);
      expect(delivery).toMatchObject({
        endpointId: endpoint.id,
        attempts: 1,
        lastResponseStatus: 204,
        nextAttemptAt: null,
      });
    }
  });

  it('sends each endpoint only the event types it asks for, in log order', async () => {
    const t = await start();
    await using sellersOnly = await startWebhookReceiver();
    await using sessionsOnly = await startWebhookReceiver();
    const a = await t.endpoint(sellersOnly.url, ['livedrop.seller.created']);
    const b = await t.endpoint(sessionsOnly.url, ['livedrop.session.started', 'livedrop.session.created']);
    const creatorId = t.ld.server.keys.creatorId;
    await t.seller();
    const session = await t.api.post('/v1/sessions', {
      creatorId,
      title: 'Spring drop',
      scheduledStartAt: '2031-03-02T18:00:00.000Z',
    });
    expect((await t.api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
    expect((await t.api.post('/v1/creators', { handle: 'ann', displayName: 'Ann' })).status).toBe(201);
    // A last event of each kind: an endpoint sends in seq order, so anything else matching would arrive before it.
    await t.seller();
    await t.api.post('/v1/sessions', { creatorId, title: 'Sentinel', scheduledStartAt: '2031-03-03T18:00:00.000Z' });

    const toSellers = await Promise.all((await sellersOnly.waitFor(2)).map((hook) => verifyBoth(hook, a.secret)));
    expect(toSellers.map((e) => e.type)).toEqual(['livedrop.seller.created', 'livedrop.seller.created']);
    const toSessions = await Promise.all((await sessionsOnly.waitFor(3)).map((hook) => verifyBoth(hook, b.secret)));
    expect(toSessions.map((e) => e.type)).toEqual([
      'livedrop.session.created',
      'livedrop.session.started',
      'livedrop.session.created',
    ]);
    expect(toSessions.map((e) => e.seq)).toEqual(toSessions.map((e) => e.seq).toSorted((x, y) => x - y));
    expect(await t.deliveries(a.id)).toHaveLength(2);
    expect(await t.deliveries(b.id)).toHaveLength(3);
  });

  it("keeps tenants apart: another tenant's events are not sent and its key cannot see the endpoint", async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver();
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    const other = t.ld.server.engine.createTenant('Other Platform');
    const otherApi = apiAs(t.ld.url, other.secretKey);
    expect((await otherApi.post('/v1/sellers', { name: 'Not yours' })).status).toBe(201);
    await t.seller('Yours');
    const [hook] = await receiver.waitFor(1);
    expect((await verifyBoth(hook!, endpoint.secret)).data).toMatchObject({ seller: { name: 'Yours' } });
    expect((await otherApi.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(404);
    expect((await otherApi.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {})).status).toBe(404);
    expect((await otherApi.delete(`/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect(await t.deliveries(endpoint.id)).toHaveLength(1);
  });

  it('lists deliveries newest first, a page at a time', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver();
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    for (let i = 0; i < 5; i++) await t.seller();
    await receiver.waitFor(5);
    const sellerEvents = await t.events('livedrop.seller.created');
    const first = await t.api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2`);
    expect(first.body).toMatchObject({ object: 'list', hasMore: true });
    const second = await t.api.get(
      `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2&startingAfter=${first.body.nextCursor}`,
    );
    const third = await t.api.get(
      `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2&startingAfter=${second.body.nextCursor}`,
    );
    expect(third.body).toMatchObject({ hasMore: false, nextCursor: null });
    const all: WebhookDelivery[] = [...first.body.data, ...second.body.data, ...third.body.data];
    expect(all.map((d) => d.seq)).toEqual(sellerEvents.map((e) => e.seq).reverse());
    expect(all.map((d) => d.eventType)).toEqual(Array(5).fill('livedrop.seller.created'));
    expect(new Set(all.map((d) => d.id)).size).toBe(5);
    expect((await t.api.get('/v1/webhook-endpoints/we_missing/deliveries')).status).toBe(404);
    expect((await t.api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?startingAfter=dlv_nope`)).body.code).toBe(
      'validation_failed',
    );
  });
});

describe('webhook retries', () => {
  it('retries a failed delivery on the injected clock until the receiver takes it, appending no events', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver((n) => (n <= 2 ? 500 : 200));
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    await t.seller();
    const eventCount = (await t.events()).length;
    await receiver.waitFor(1);

    const firstFailure = await eventually(
      () => t.deliveries(endpoint.id),
      ([d]) => d?.attempts === 1,
    );
    expect(firstFailure[0]).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500 });
    const retryAt = Date.parse(firstFailure[0]!.nextAttemptAt!);
    expect(retryAt).toBeGreaterThan(START);
    expect(retryAt).toBeLessThanOrEqual(START + 5_000);
    // The retry waits for the injected clock, which has not moved.
    expect(receiver.received).toHaveLength(1);

    await t.advance(5_000);
    await receiver.waitFor(2);
    const secondFailure = await eventually(
      () => t.deliveries(endpoint.id),
      ([d]) => d?.attempts === 2,
    );
    expect(secondFailure[0]).toMatchObject({ status: 'pending', lastResponseStatus: 500 });
    expect(Date.parse(secondFailure[0]!.nextAttemptAt!)).toBeLessThanOrEqual(START + 5_000 + 30_000);

    await t.advance(30_000);
    await receiver.waitFor(3);
    const [succeeded] = await eventually(
      () => t.deliveries(endpoint.id),
      ([d]) => d?.status === 'succeeded',
    );
    expect(succeeded).toMatchObject({ attempts: 3, lastResponseStatus: 200, nextAttemptAt: null });

    // Every attempt is the same message (same webhook-id and body), signed afresh.
    const ids = new Set(receiver.received.map((hook) => hook.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const hook of receiver.received) await verifyBoth(hook, endpoint.secret);
    expect(await t.events()).toHaveLength(eventCount);
  });

  it('disables an endpoint whose delivery exhausts the schedule, then replay enables it again', async () => {
    const t = await start();
    let answer = 503;
    await using receiver = await startWebhookReceiver(() => answer);
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    await t.seller();
    const attempts = 7; // the first and six retries
    for (let n = 1; n <= attempts; n++) {
      await receiver.waitFor(n);
      const [delivery] = await eventually(
        () => t.deliveries(endpoint.id),
        ([d]) => d?.attempts === n,
      );
      if (n < attempts) {
        expect(delivery).toMatchObject({ status: 'pending', lastResponseStatus: 503 });
        await t.advance(6 * HOUR);
      } else {
        expect(delivery).toMatchObject({ status: 'failed', lastResponseStatus: 503, nextAttemptAt: null });
      }
    }
    const [disabled] = await t.events('livedrop.webhook_endpoint.disabled');
    expect(disabled?.subject).toBe(endpoint.id);
    expect(disabled?.data).toMatchObject({
      endpoint: { id: endpoint.id, status: 'disabled', consecutiveFailures: attempts, disabledAt: disabled?.time },
    });
    expect(JSON.stringify(disabled)).not.toContain(endpoint.secret.slice('whsec_'.length));

    // A disabled endpoint gets no new deliveries.
    await t.seller();
    await t.advance(24 * HOUR);
    expect(await t.deliveries(endpoint.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(attempts);

    // Fixed: replaying enables the endpoint and sends both sellers again.
    answer = 200;
    const replayed = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/replay`, { after: 0 });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'enabled', disabledAt: null, consecutiveFailures: 0 });
    expect(replayed.body.secret).toBeUndefined();
    const hooks = await receiver.waitFor(attempts + 2);
    const resent = await Promise.all(hooks.slice(attempts).map((hook) => verifyBoth(hook, endpoint.secret)));
    expect(resent.map((e) => e.type)).toEqual(['livedrop.seller.created', 'livedrop.seller.created']);
    const list = await eventually(
      () => t.deliveries(endpoint.id),
      (l) => l.length === 3 && l[0]!.status === 'succeeded' && l[1]!.status === 'succeeded',
    );
    expect(list.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'failed']);
  });

  it('counts a receiver that does not answer as a failed attempt', async () => {
    const t = await start();
    const refused = await startWebhookReceiver();
    const url = refused.url;
    await refused.close(); // nothing listens there any more
    const endpoint = await t.endpoint(url, ['livedrop.seller.created']);
    await t.seller();
    const [delivery] = await eventually(
      () => t.deliveries(endpoint.id),
      ([d]) => d?.attempts === 1,
    );
    expect(delivery).toMatchObject({ status: 'pending', lastResponseStatus: null });
    expect(delivery?.nextAttemptAt).not.toBeNull();
  });
});

describe('webhook replay', () => {
  it('re-delivers exactly the matching events after the cursor, including ones from before the endpoint existed', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver();
    await t.seller('Before');
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    await t.seller('One');
    await t.seller('Two');
    await t.seller('Three');
    const live = await receiver.waitFor(3);
    const [one] = await Promise.all(live.map((hook) => verifyBoth(hook, endpoint.secret)));

    const replay = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/replay`, { after: one!.seq });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: endpoint.id, status: 'enabled' });
    const again = (await receiver.waitFor(5)).slice(3);
    // Byte-identical redeliveries of Two and Three, in order.
    expect(again.map((hook) => hook.body)).toEqual(live.slice(1).map((hook) => hook.body));
    for (const hook of again) await verifyBoth(hook, endpoint.secret);

    await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/replay`, { after: 0 });
    const everything = await Promise.all(
      (await receiver.waitFor(9)).slice(5).map((hook) => verifyBoth(hook, endpoint.secret)),
    );
    expect(everything.map((e) => (e.data as { seller: { name: string } }).seller.name)).toEqual([
      'Before',
      'One',
      'Two',
      'Three',
    ]);
    const list = await eventually(
      () => t.deliveries(endpoint.id),
      (l) => l.length === 9 && l.every((d) => d.status === 'succeeded'),
    );
    expect(list.slice(0, 4).map((d) => d.seq)).toEqual(everything.map((e) => e.seq).reverse());

    const events = (await t.events()).length;
    const past = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/replay`, { after: events + 1 });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('after');
    expect((await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/replay`, { after: -1 })).status).toBe(400);
    expect((await t.api.post('/v1/webhook-endpoints/we_missing/replay', { after: 0 })).status).toBe(404);
    // Replaying is not a change of the commerce domain: nothing was appended.
    expect(await t.events()).toHaveLength(events);
    expect(await t.deliveries(endpoint.id)).toHaveLength(9);
  });
});

describe('webhook secret rotation', () => {
  it('signs with both secrets during the overlap, then with the new one only', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver();
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    await t.seller();
    const [before] = await receiver.waitFor(1);
    expect(String(before!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    await verifyBoth(before!, endpoint.secret);

    const rotated = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { overlapSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: endpoint.id, object: 'webhook_endpoint' });
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(endpoint.secret);
    const [event] = await t.events('livedrop.webhook_endpoint.secret_rotated');
    expect(event?.subject).toBe(endpoint.id);
    const log = JSON.stringify(await t.events());
    expect(log).not.toContain(newSecret.slice('whsec_'.length));
    expect(log).not.toContain(endpoint.secret.slice('whsec_'.length));

    await t.seller();
    const [, during] = await receiver.waitFor(2);
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    await verifyBoth(during!, endpoint.secret);
    await verifyBoth(during!, newSecret);
    await expect(verifyWebhook(during!.body, during!.headers, [newSecret, endpoint.secret])).resolves.toMatchObject({
      type: 'livedrop.seller.created',
    });

    await t.advance(3600_000);
    await t.seller();
    const [, , after] = await receiver.waitFor(3);
    expect(String(after!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    await verifyBoth(after!, newSecret);
    await refusedByBoth(after!, endpoint.secret);

    // With no body the old secret overlaps for a day.
    const again = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(again.status).toBe(200);
    await t.advance(23 * HOUR);
    await t.seller();
    const [, , , overlapping] = await receiver.waitFor(4);
    await verifyBoth(overlapping!, newSecret);
    await verifyBoth(overlapping!, again.body.secret);
    await t.advance(HOUR);
    await t.seller();
    const last = (await receiver.waitFor(5))[4]!;
    await refusedByBoth(last, newSecret);
    await verifyBoth(last, again.body.secret);

    const badOverlap = await t.api.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { overlapSeconds: -1 });
    expect(badOverlap.status).toBe(400);
    expect(badOverlap.body.errors[0].path).toBe('overlapSeconds');
  });
});

describe('deleting an endpoint', () => {
  it('stops its deliveries, pending retries included', async () => {
    const t = await start();
    await using receiver = await startWebhookReceiver(() => 500);
    const endpoint = await t.endpoint(receiver.url, ['livedrop.seller.created']);
    await t.seller();
    await receiver.waitFor(1);
    await eventually(
      () => t.deliveries(endpoint.id),
      ([d]) => d?.attempts === 1,
    );

    const deleted = await t.api.delete(`/v1/webhook-endpoints/${endpoint.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: endpoint.id, object: 'webhook_endpoint' });
    expect(deleted.body.secret).toBeUndefined();
    const [event] = await t.events('livedrop.webhook_endpoint.deleted');
    expect(event?.data).toMatchObject({ endpoint: { id: endpoint.id } });
    expect((await t.api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(404);
    expect((await t.api.delete(`/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);

    await t.seller();
    await t.advance(24 * HOUR);
    // A send would start within the clock request above; give it a moment to land if it (wrongly) did.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
  });

  it('survives a reset: old endpoints are gone and new ones receive the new log', async () => {
    const t = await start();
    await using oldReceiver = await startWebhookReceiver();
    await using newReceiver = await startWebhookReceiver();
    await t.endpoint(oldReceiver.url, ['livedrop.seller.created']);
    expect((await t.control.post('/__control/reset')).status).toBe(200);
    const endpoint = await t.endpoint(newReceiver.url, ['livedrop.seller.created']);
    await t.seller('After reset');
    const [hook] = await newReceiver.waitFor(1);
    const event = await verifyBoth(hook!, endpoint.secret);
    expect(event.data).toMatchObject({ seller: { name: 'After reset' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(oldReceiver.received).toHaveLength(0);
  });
});
