import { EVENT_TYPES, GENESIS_HASH, LiveDropEvent } from '@livedrop/core';
import { CloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';
import { startWebhookReceiver } from './support/webhook-receiver';

const START = Date.parse('2026-11-25T18:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });
/** CloudEvents' Integer type is a signed 32-bit integer. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks one serialized event against CloudEvents 1.0 with the independent `cloudevents` package
 * (strict: a violation throws), in both of its readings — an event object and a structured-mode
 * HTTP message — and against the contract's `LiveDropEvent`.
 */
function assertCloudEvent(serialized: string): LiveDropEvent {
  const raw = JSON.parse(serialized) as Record<string, unknown>;
  // The library fills in a missing id, time and specversion; the producer must send them itself.
  for (const attribute of [
    'specversion',
    'id',
    'source',
    'type',
    'time',
    'subject',
    'datacontenttype',
    'data',
    'seq',
    'prevhash',
    'hash',
  ]) {
    expect(raw, `event ${String(raw.id)} lacks ${attribute}`).toHaveProperty(attribute);
  }
  for (const name of Object.keys(raw))
    expect(name, 'attribute names are lowercase letters and digits').toMatch(/^[a-z0-9]{1,20}$/);
  expect(raw.specversion).toBe('1.0');
  // Extension values must fit the CloudEvents type system; the library lets objects through.
  for (const extension of ['seq', 'prevhash', 'hash']) expect(['string', 'number']).toContain(typeof raw[extension]);
  expect(
    Number.isInteger(raw.seq) && (raw.seq as number) >= 1 && (raw.seq as number) <= INT32_MAX,
    'seq is a CloudEvents Integer',
  ).toBe(true);

  const event = new CloudEvent<unknown>(raw, true);
  expect(event.validate()).toBe(true);
  expect(event).toMatchObject({
    id: raw.id,
    type: raw.type,
    source: raw.source,
    subject: raw.subject,
    seq: raw.seq,
    prevhash: raw.prevhash,
    hash: raw.hash,
  });
  expect(event.data).toEqual(raw.data);

  const message = { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: serialized };
  expect(HTTP.isEvent(message)).toBe(true);
  const structured = HTTP.toEvent(message) as CloudEvent<unknown>;
  expect(structured.validate()).toBe(true);
  expect(structured).toMatchObject({ id: raw.id, type: raw.type, seq: raw.seq, hash: raw.hash });

  return LiveDropEvent.parse(raw);
}

/** Every event of the log, page by page. */
async function allEvents(api: Api): Promise<{ event: LiveDropEvent; serialized: string }[]> {
  const out: { event: LiveDropEvent; serialized: string }[] = [];
  let after = 0;
  for (;;) {
    const page = await api.get(`/v1/events?after=${after}&limit=7`);
    expect(page.status).toBe(200);
    for (const event of page.body.data) out.push({ event, serialized: JSON.stringify(event) });
    after = page.body.nextAfter;
    if (!page.body.hasMore) return out;
  }
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Still not there after 5 s: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the event log as CloudEvents', () => {
  it('records a whole drop as valid CloudEvents 1.0 that match the contract and chain intact', async () => {
    // The receiver runs on this machine: loopback delivery needs the explicit allowance.
    await using ld = await startReferenceServer({
      clock: createManualClock(START),
      webhooks: { allowPrivateNetworks: true },
    });
    await using receiver = await startWebhookReceiver();
    const keys = ld.server.keys;
    const api = apiAs(ld.url, keys.secretKey);
    const browser = apiAs(ld.url, keys.publishableKey);
    const moderator = apiAs(ld.url, keys.moderatorKey);
    const control = apiAs(ld.url, ld.server.controlKey);
    const ok = async (promise: Promise<{ status: number; body: any }>, status = 200) => {
      const res = await promise;
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body;
    };
    const advance = (ms: number) => ok(control.post('/__control/clock', { advanceMs: ms }));

    // A receiver of everything, so the deliveries can be checked as CloudEvents too.
    const hook = await ok(api.post('/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['*'] }), 201);

    // Parties and a session.
    const seller = await ok(api.post('/v1/sellers', { name: 'Northwind', trust: { verified: true } }), 201);
    await ok(api.post('/v1/creators', { handle: 'guest_host', displayName: 'Guest Host' }), 201);
    await ok(
      api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
        sellerId: seller.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      }),
      201,
    );
    const session = await ok(
      api.post('/v1/sessions', {
        creatorId: keys.creatorId,
        title: 'Winter drop',
        scheduledStartAt: '2026-11-25T19:00:00.000Z',
      }),
      201,
    );
    await ok(
      api.patch(
        `/v1/sessions/${session.id}`,
        { title: 'Winter drop — live' },
        { headers: { 'if-match': String(session.version) } },
      ),
    );
    await ok(api.post(`/v1/sessions/${session.id}/start`));

    // Offers: one approved, one escalated and approved by a moderator, one rejected by moderation.
    const backorder = { allowed: true, limit: 5, sellerConsentAt: '2026-11-20T09:00:00.000Z' };
    const parka = await ok(
      api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: seller.id,
        sku: 'NW-1',
        title: 'Storm Parka',
        price: usd(12_900),
        quantity: 2,
        reservationTtlSeconds: 60,
        backorder,
      }),
      201,
    );
    const boots = await ok(
      api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: seller.id,
        sku: 'NW-2',
        title: 'Trail Boots',
        price: usd(5_000),
        compareAtPrice: usd(20_000),
        quantity: 5,
      }),
      201,
    );
    expect(boots.status).toBe('pending_review');
    await ok(
      moderator.post(`/v1/offers/${boots.id}/review`, { decision: 'approve', note: 'Compare-at price checked.' }),
    );
    const replica = await ok(
      api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: seller.id,
        sku: 'NW-3',
        title: 'Replica watch',
        price: usd(9_900),
        quantity: 1,
      }),
      201,
    );
    expect(replica.status).toBe('rejected');
    await ok(api.post(`/v1/offers/${parka.id}/publish`));
    await ok(api.post(`/v1/offers/${boots.id}/publish`));
    const published = await ok(api.get(`/v1/offers/${parka.id}`));
    await ok(
      api.patch(
        `/v1/offers/${parka.id}`,
        { title: 'Storm Parka, navy' },
        { headers: { 'if-match': String(published.version) } },
      ),
    );

    // Tokens and reservations: two holds sell the parka out, a third buyer backorders.
    const token = async (offerId: string, buyerId: string) =>
      (
        await ok(
          api.post(`/v1/offers/${offerId}/tokens`, { buyerId, attribution: { campaign: 'winter', source: 'live' } }),
          201,
        )
      ).token as string;
    const reserve = async (offerId: string, buyerId: string, extra: Record<string, unknown> = {}) =>
      ok(browser.post('/v1/reservations', { offerToken: await token(offerId, buyerId), quantity: 1, ...extra }), 201);
    const first = await reserve(parka.id, 'buyer_1');
    const second = await reserve(parka.id, 'buyer_2');
    const queued = await reserve(parka.id, 'buyer_3', { backorderConsent: true });
    expect([first.status, second.status, queued.status]).toEqual(['held', 'held', 'backordered']);
    // Releasing a hold promotes the backorder.
    await ok(api.post(`/v1/reservations/${second.id}/release`));
    expect((await ok(api.get(`/v1/reservations/${queued.id}`))).status).toBe('held');

    // Orders: a platform capture, and a browser checkout declined once then paid.
    const order = await ok(api.post(`/v1/reservations/${first.id}/capture`, { paymentReference: 'pi_test_1' }), 201);
    const bootsHold = await reserve(boots.id, 'buyer_4');
    const declined = await browser.post(`/v1/reservations/${bootsHold.id}/confirm`, {
      clientSecret: bootsHold.clientSecret,
      paymentMethod: 'pm_test_declined',
    });
    expect(declined.status).toBe(402);
    await ok(
      browser.post(`/v1/reservations/${bootsHold.id}/confirm`, {
        clientSecret: bootsHold.clientSecret,
        paymentMethod: 'pm_test_ok',
      }),
      201,
    );

    // The promoted hold lapses; transfers settle; a partial refund reverses them.
    await advance(61_000);
    expect((await ok(api.get(`/v1/reservations/${queued.id}`))).status).toBe('expired');
    await advance(2 * 24 * 3_600_000);
    await ok(api.post(`/v1/orders/${order.id}/refunds`, { amount: usd(1_000), reason: 'requested_by_customer' }), 201);

    // Wind down, rotate keys and secrets, and exercise every webhook endpoint event.
    await ok(api.post(`/v1/offers/${boots.id}/pause`));
    await ok(api.post(`/v1/offers/${parka.id}/end`));
    await ok(api.post(`/v1/sessions/${session.id}/end`));
    const doomed = await startWebhookReceiver();
    const unreachable = doomed.url;
    await doomed.close();
    const failing = await ok(
      api.post('/v1/webhook-endpoints', { url: unreachable, eventTypes: ['livedrop.signing_key.rotated'] }),
      201,
    );
    await ok(api.post('/v1/signing-keys/rotate'));
    await ok(api.post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, { overlapSeconds: 60 }));
    const temporary = await ok(
      api.post('/v1/webhook-endpoints', {
        url: 'https://hooks.example.com/ld',
        eventTypes: ['livedrop.order.created'],
      }),
      201,
    );
    await ok(api.delete(`/v1/webhook-endpoints/${temporary.id}`));
    // The unreachable endpoint fails every attempt until it is disabled.
    for (let attempt = 1; attempt <= 7; attempt++) {
      await until(
        () => api.get(`/v1/webhook-endpoints/${failing.id}/deliveries`),
        (res) => res.body.data[0]?.attempts === attempt,
      );
      if (attempt < 7) await advance(6 * 3_600_000);
    }
    await until(
      () => api.get('/v1/events?types=livedrop.webhook_endpoint.disabled'),
      (res) => res.body.data.length === 1,
    );
    // Replaying from the end turns the disabled endpoint back on (and records that).
    const head = (await api.get('/v1/events?limit=1000')).body.nextAfter;
    expect((await ok(api.post(`/v1/webhook-endpoints/${failing.id}/replay`, { after: head }))).status).toBe('enabled');

    // Every event, read page by page, is a valid CloudEvent and a valid LiveDropEvent.
    const log = await allEvents(api);
    const events = log.map(({ serialized }) => assertCloudEvent(serialized));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    events.forEach((event, i) => {
      expect(event.prevhash).toBe(i === 0 ? GENESIS_HASH : events[i - 1]!.hash);
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const seen = new Set<string>(events.map((e) => e.type));
    expect(
      EVENT_TYPES.filter((type) => !seen.has(type)),
      'event types the flow did not produce',
    ).toEqual([]);
    for (const event of events) {
      if ('attribution' in event.data)
        expect(event.data.attribution).toMatchObject({ creatorId: keys.creatorId, sessionId: session.id });
      if (event.type.startsWith('livedrop.webhook_endpoint.'))
        expect(JSON.stringify(event.data)).not.toContain('whsec_');
    }

    const audit = await ok(api.get('/v1/audit/verify'));
    expect(audit).toMatchObject({
      valid: true,
      eventsChecked: events.length,
      headSeq: events.length,
      headHash: events.at(-1)!.hash,
      firstInvalidSeq: null,
    });

    // The `*` endpoint got every event from its own creation on, byte for byte, in order.
    const fromSeq = events.find((e) => e.type === 'livedrop.webhook_endpoint.created' && e.subject === hook.id)!.seq;
    const expected = log.filter(({ event }) => event.seq >= fromSeq).map(({ serialized }) => serialized);
    const deliveries = await receiver.waitFor(expected.length);
    expect(deliveries.map((d) => d.body)).toEqual(expected);
    for (const delivery of deliveries) assertCloudEvent(delivery.body);
  });
});
