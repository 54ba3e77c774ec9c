import {
  EVENT_TYPES,
  PUBLIC_STREAM_EVENTS,
  PUBLIC_STREAM_EVENT_NAMES,
  type LiveDropEvent,
  type PublicStreamEventName,
} from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { configureStreams, streamStats, syncStreams } from '../src/realtime/stream-hub';
import { createReferenceServer } from '../src/server';
import { apiAs, buyerBrowser, type Api } from './support/http';
import { openSse, parseSse, readUntil, waitUntil, type SseMessage } from './support/sse';

const START = Date.parse('2026-11-25T18:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });

function start(): Promise<StartedReferenceServer> {
  return startReferenceServer({ clock: createManualClock(START) });
}

async function allEvents(api: Api): Promise<LiveDropEvent[]> {
  const events: LiveDropEvent[] = [];
  for (let after = 0; ; ) {
    const page = await api.get(`/v1/events?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    events.push(...(page.body.data as LiveDropEvent[]));
    if (!page.body.hasMore) return events;
    after = page.body.nextAfter;
  }
}

async function headSeq(api: Api): Promise<number> {
  return (await allEvents(api)).at(-1)?.seq ?? 0;
}

/** `count` events, one per API call (a seller each). */
async function produce(api: Api, count: number): Promise<void> {
  for (let index = 0; index < count; index++)
    expect((await api.post('/v1/sellers', { name: `Seller ${index}` })).status).toBe(201);
}

/** A seller the house creator may sell for, and a scheduled session of that creator. */
async function sessionWithSeller(api: Api, creatorId: string, metadata: Record<string, string> = {}) {
  const seller = await api.post('/v1/sellers', { name: 'Northwind' });
  expect(seller.status).toBe(201);
  expect(
    (
      await api.post(`/v1/creators/${creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId,
    title: 'Winter drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
    metadata,
  });
  expect(session.status).toBe(201);
  return { sellerId: seller.body.id as string, sessionId: session.body.id as string };
}

async function createOffer(
  api: Api,
  sessionId: string,
  sellerId: string,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const offer = await api.post(`/v1/sessions/${sessionId}/offers`, {
    sellerId,
    sku: 'NW-1',
    title: 'Storm Parka',
    price: usd(12_900),
    quantity: 20,
    ...fields,
  });
  expect(offer.status).toBe(201);
  return offer.body.id;
}

const ids = (messages: readonly SseMessage[]) => messages.map((message) => Number(message.id));
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

describe('GET /v1/events/stream', () => {
  it('answers an event stream with retry:, no shared caching and no proxy buffering', async () => {
    await using ld = await start();
    const response = await fetch(`${ld.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('private, no-store, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const text = await readUntil(response, (received) => parseSse(received).length >= 1);
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);
    // The seeded house creator is the first event of every tenant's log.
    expect(parseSse(text)[0]).toMatchObject({ id: '1', event: 'livedrop.creator.created' });
  });

  it('delivers every event of the log to a real EventSource client, in order, replayed then live', async () => {
    await using ld = await start();
    const { keys } = ld.server;
    const api = apiAs(ld.url, keys.secretKey);
    const { sellerId, sessionId } = await sessionWithSeller(api, keys.creatorId);
    const offerId = await createOffer(api, sessionId, sellerId);

    using client = openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES);
    expect((await api.post(`/v1/sessions/${sessionId}/start`)).status).toBe(200);
    expect((await api.post(`/v1/offers/${offerId}/publish`)).status).toBe(200);
    for (const buyerId of ['buyer_1', 'buyer_2', 'buyer_3']) {
      const buyer = await buyerBrowser(ld.url, keys, buyerId);
      const token = await buyer.post(`/v1/offers/${offerId}/tokens`, {});
      const held = await buyer.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
      expect(held.status).toBe(201);
      if (buyerId === 'buyer_2') expect((await api.post(`/v1/reservations/${held.body.id}/release`)).status).toBe(200);
    }

    const log = await allEvents(api);
    await waitUntil(() => client.messages.length >= log.length, `${log.length} events`);
    expect(ids(client.messages)).toEqual(range(1, log.length));
    expect(client.messages.map((message) => message.event)).toEqual(log.map((event) => event.type));
    expect(client.messages.map((message) => JSON.parse(message.data) as unknown)).toEqual(log);
    expect(client.errors()).toBe(0);
  });

  it('resumes after Last-Event-ID (header or ?lastEventId=) with no gap and no duplicate, while events keep coming', async () => {
    await using ld = await start();
    const { keys } = ld.server;
    const api = apiAs(ld.url, keys.secretKey);
    await produce(api, 20);

    // Clients join at different points while a writer appends: each must see exactly what follows its cursor.
    const writer = produce(api, 40);
    const clients = [];
    for (const after of [3, 10, 21]) {
      clients.push({
        after,
        client: openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES, { 'last-event-id': String(after) }),
      });
      await produce(api, 2);
    }
    clients.push({
      after: 15,
      client: openSse(`${ld.url}/v1/events/stream?lastEventId=15`, keys.secretKey, EVENT_TYPES),
    });
    await writer;
    await produce(api, 3);

    const head = await headSeq(api);
    for (const { after, client } of clients) {
      await waitUntil(
        () => Number(client.messages.at(-1)?.id ?? 0) >= head,
        `the stream resumed after ${after} to reach ${head}`,
      );
      expect(ids(client.messages)).toEqual(range(after + 1, head));
      client.close();
    }
  });

  it('survives dropStreams faults: the client reconnects with Last-Event-ID and gets every event exactly once, in order', async () => {
    await using ld = await start();
    const { keys, engine } = ld.server;
    configureStreams(engine, { retryMs: 20 });
    const api = apiAs(ld.url, keys.secretKey);
    const control = apiAs(ld.url, ld.server.controlKey);

    using client = openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES);
    await produce(api, 3);
    await waitUntil(() => client.messages.length >= 4, 'the first events');
    for (let round = 0; round < 4; round++) {
      expect((await control.post('/__control/faults', { dropStreams: true })).status).toBe(200);
      // Each broadcast tears every open stream, including the reconnections made in between.
      await produce(api, 3);
      await new Promise((resolve) => setTimeout(resolve, 40));
      await produce(api, 2);
      expect((await control.post('/__control/faults', {})).status).toBe(200);
      await produce(api, 3);
    }

    const head = await headSeq(api);
    await waitUntil(() => Number(client.messages.at(-1)?.id ?? 0) >= head, `every event up to ${head}`);
    expect(ids(client.messages)).toEqual(range(1, head));
    expect(streamStats(engine).dropped).toBeGreaterThanOrEqual(4);
    expect(client.errors()).toBeGreaterThanOrEqual(4);
    // Every reconnection resumed from where the client was.
    expect(client.requests.length).toBeGreaterThan(1);
    for (const headers of client.requests.slice(1)) expect(headers.get('last-event-id')).toMatch(/^\d+$/);
  });

  it('tears open streams at once when syncStreams sees dropStreams, without waiting for an event', async () => {
    await using ld = await start();
    const { keys, engine } = ld.server;
    configureStreams(engine, { retryMs: 20 });
    using client = openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES);
    await waitUntil(() => client.messages.length === 1, 'the first event');
    await engine.setFaults({ dropStreams: true, paths: ['/v1/sessions/'] });
    syncStreams(engine);
    // The fault targets other paths: this stream stays.
    expect(streamStats(engine)).toMatchObject({ open: 1, dropped: 0 });
    await engine.setFaults({ dropStreams: true });
    syncStreams(engine);
    expect(streamStats(engine)).toMatchObject({ open: 0, dropped: 1 });
    await waitUntil(() => client.errors() >= 1, 'the client to see the drop');
    await engine.setFaults({});
    await waitUntil(() => streamStats(engine).open === 1, 'the client to reconnect');
    await produce(apiAs(ld.url, keys.secretKey), 1);
    await waitUntil(() => client.messages.length === 2, 'the next event');
    expect(ids(client.messages)).toEqual([1, 2]);
  });

  it('ends the streams of a log that a reset replaced; clients come back to the new log from its start', async () => {
    await using ld = await start();
    const { keys, engine } = ld.server;
    configureStreams(engine, { retryMs: 20, heartbeatIntervalMs: 30 });
    const api = apiAs(ld.url, keys.secretKey);
    await produce(api, 5);
    using client = openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES);
    await waitUntil(() => client.messages.length === 6, 'the first log');
    expect((await apiAs(ld.url, ld.server.controlKey).post('/__control/reset')).status).toBe(200);
    await produce(api, 2);
    await waitUntil(() => client.messages.length === 9, 'the new log');
    expect(ids(client.messages)).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3]);
    expect(client.messages.slice(6).map((message) => message.event)).toEqual([
      'livedrop.creator.created',
      'livedrop.seller.created',
      'livedrop.seller.created',
    ]);
  });

  it('hands over from replay to live with no duplicate when an event lands before the replay reads the head', async () => {
    // In-process, so the interleaving is exact: the event's broadcast is still queued when the new
    // stream's first replay page reads it from the log.
    const server = createReferenceServer({ clock: createManualClock(START) });
    const { engine, keys } = server;
    const stream = engine.streams.open({ tenantId: keys.tenantId }, 0, new Request('http://x/v1/events/stream'));
    void engine.record(keys.tenantId, 'livedrop.signing_key.rotated', 'key_1', {
      currentKid: 'key_1',
      previousKid: null,
    });
    const reading = readUntil(new Response(stream), (text) => parseSse(text).some((message) => message.id === '3'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    void engine.record(keys.tenantId, 'livedrop.signing_key.rotated', 'key_2', {
      currentKid: 'key_2',
      previousKid: 'key_1',
    });
    expect(ids(parseSse(await reading))).toEqual([1, 2, 3]);
  });

  it('replays a long log to a slow reader in pages that fit its queue, then goes live without cutting it off', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    const { engine, keys } = server;
    configureStreams(engine, { highWaterMarkBytes: 4096 });
    const padding = 'x'.repeat(1000);
    const rotate = (index: number) =>
      engine.record(keys.tenantId, 'livedrop.signing_key.rotated', `key_${index}`, {
        currentKid: `key_${index}`,
        previousKid: padding,
      });
    // The log is long before the reader comes (on Redis, records commit asynchronously).
    await Promise.all(Array.from({ length: 600 }, (_, index) => rotate(index)));
    const reader = engine.streams
      .open({ tenantId: keys.tenantId }, 0, new Request('http://x/v1/events/stream'))
      .getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('id: 601\n')) {
      const { value } = await reader.read();
      text += decoder.decode(value, { stream: true });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    void rotate(600);
    while (!text.includes('id: 602\n')) text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    expect(ids(parseSse(text))).toEqual(range(1, 602));
    expect(streamStats(engine)).toMatchObject({ cutOff: 0, open: 0 });
  });

  it('sends heartbeat comments on an idle stream', async () => {
    await using ld = await start();
    configureStreams(ld.server.engine, { heartbeatIntervalMs: 30 });
    const response = await fetch(`${ld.url}/v1/events/stream?lastEventId=1`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    const text = await readUntil(response, (received) => received.split(': hb\n\n').length > 2);
    expect(text).toContain(': hb\n\n');
    expect(parseSse(text)).toEqual([]);
  });

  it('refuses the wrong keys and a malformed Last-Event-ID', async () => {
    await using ld = await start();
    const { keys } = ld.server;
    expect((await apiAs(ld.url, keys.publishableKey).get('/v1/events/stream')).status).toBe(403);
    expect((await apiAs(ld.url, keys.creatorKey).get('/v1/events/stream')).status).toBe(403);
    expect((await apiAs(ld.url, undefined).get('/v1/events/stream')).status).toBe(401);
    const malformed = await apiAs(ld.url, keys.secretKey).get('/v1/events/stream', {
      headers: { 'last-event-id': 'evt_1' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('validation_failed');
    const badQuery = await apiAs(ld.url, keys.secretKey).get('/v1/events/stream?lastEventId=abc');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.code).toBe('validation_failed');
  });
});

describe('GET /v1/sessions/{id}/stream', () => {
  /** Parses and checks a public stream: names, schemas, `seq` = `id:`, increasing ids. */
  function checkPublicMessages(messages: readonly SseMessage[]): { event: PublicStreamEventName; data: any }[] {
    const parsed = messages.map((message) => {
      expect(PUBLIC_STREAM_EVENT_NAMES).toContain(message.event);
      const event = message.event as PublicStreamEventName;
      const data: any = JSON.parse(message.data);
      const check = PUBLIC_STREAM_EVENTS[event].safeParse(data);
      expect(check.success, `${event} ${message.data}`).toBe(true);
      expect(data.seq).toBe(Number(message.id));
      return { event, data };
    });
    const seen = ids(messages);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    return parsed;
  }

  it("streams a session's public projection: no hidden offers, no buyer data, coalesced stock", async () => {
    await using ld = await start();
    const { keys, engine } = ld.server;
    configureStreams(engine, { stockCoalesceMs: 200 });
    const api = apiAs(ld.url, keys.secretKey);
    const browser = apiAs(ld.url, keys.publishableKey);
    const moderator = apiAs(ld.url, keys.moderatorKey);
    const { sellerId, sessionId } = await sessionWithSeller(api, keys.creatorId, { crmRef: 'internal-crm-42' });
    const other = await sessionWithSeller(api, keys.creatorId);

    using live = openSse(`${ld.url}/v1/sessions/${sessionId}/stream`, keys.publishableKey, PUBLIC_STREAM_EVENT_NAMES);
    const shown = await createOffer(api, sessionId, sellerId);
    const draft = await createOffer(api, sessionId, sellerId, { sku: 'NW-2' });
    // A two-thirds discount is escalated by the default moderation policy; one is approved later, one rejected.
    const pending = await createOffer(api, sessionId, sellerId, {
      sku: 'NW-3',
      price: usd(5_000),
      compareAtPrice: usd(20_000),
    });
    const rejected = await createOffer(api, sessionId, sellerId, {
      sku: 'NW-4',
      price: usd(5_000),
      compareAtPrice: usd(20_000),
    });
    expect((await moderator.post(`/v1/offers/${rejected}/review`, { decision: 'reject' })).status).toBe(200);
    const elsewhere = await createOffer(api, other.sessionId, other.sellerId);
    expect((await api.post(`/v1/sessions/${sessionId}/start`)).status).toBe(200);
    expect((await api.post(`/v1/sessions/${other.sessionId}/start`)).status).toBe(200);
    expect((await api.post(`/v1/offers/${shown}/publish`)).status).toBe(200);
    expect((await api.post(`/v1/offers/${elsewhere}/publish`)).status).toBe(200);
    expect(
      (await api.patch(`/v1/offers/${draft}`, { title: 'Renamed draft' }, { headers: { 'if-match': '1' } })).status,
    ).toBe(200);

    // A burst of holds, then a release and a paid order: stock moves many times.
    const tokens = await Promise.all(
      range(1, 10).map(
        async (n) =>
          (await (await buyerBrowser(ld.url, keys, `buyer_secret_${n}`)).post(`/v1/offers/${shown}/tokens`, {})).body
            .token as string,
      ),
    );
    const holds = await Promise.all(
      tokens.map((offerToken) => browser.post('/v1/reservations', { offerToken, quantity: 1 })),
    );
    for (const hold of holds) expect(hold.status).toBe(201);
    expect(
      (
        await browser.post(
          `/v1/reservations/${holds[0]!.body.id}/release?clientSecret=${encodeURIComponent(holds[0]!.body.clientSecret)}`,
        )
      ).status,
    ).toBe(200);
    const paid = await browser.post(`/v1/reservations/${holds[1]!.body.id}/confirm`, {
      clientSecret: holds[1]!.body.clientSecret,
      paymentMethod: 'pm_test_ok',
    });
    expect(paid.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await api.post(`/v1/offers/${shown}/pause`)).status).toBe(200);
    expect((await api.post(`/v1/offers/${shown}/end`)).status).toBe(200);
    expect((await api.post(`/v1/sessions/${sessionId}/end`)).status).toBe(200);
    await waitUntil(() => live.messages.some((message) => message.event === 'session.ended'), 'session.ended');

    const messages = checkPublicMessages(live.messages);
    expect(messages.map((message) => message.event).filter((event) => event !== 'stock')).toEqual([
      'session.started',
      'offer.published',
      'offer.paused',
      'offer.ended',
      'session.ended',
    ]);
    expect(messages[0]!.data.session).toMatchObject({ id: sessionId, status: 'live' });
    expect(messages[0]!.data.session).not.toHaveProperty('metadata');
    for (const { event, data } of messages) {
      if (event === 'stock') expect(data.offerId).toBe(shown);
      if (event.startsWith('offer.')) expect(data.offer.id).toBe(shown);
    }
    const wire = live.messages.map((message) => message.data).join('\n');
    for (const secret of [
      'buyer',
      'clientSecret',
      'client_secret',
      'internal-crm-42',
      draft,
      pending,
      rejected,
      elsewhere,
      other.sessionId,
      holds[0]!.body.id,
      holds[0]!.body.clientSecret,
    ]) {
      expect(wire).not.toContain(secret);
    }

    // Twelve stock movements (ten holds, a release, a capture) arrive as far fewer stock messages, the last with the final levels.
    const stockEvents = (await allEvents(api)).filter((event) =>
      ['livedrop.reservation.held', 'livedrop.reservation.released', 'livedrop.order.created'].includes(event.type),
    );
    expect(stockEvents).toHaveLength(12);
    const stock = messages.filter((message) => message.event === 'stock');
    expect(stock.length).toBeGreaterThanOrEqual(1);
    expect(stock.length).toBeLessThan(stockEvents.length);
    const offer = (await api.get(`/v1/offers/${shown}`)).body;
    expect(stock.at(-1)!.data).toEqual({
      seq: stock.at(-1)!.data.seq,
      offerId: shown,
      available: 11,
      reserved: 8,
      sold: 1,
      total: 20,
      soldOut: false,
    });
    expect(offer.stock).toMatchObject({ available: 11, reserved: 8, sold: 1, total: 20 });
    expect(stock.at(-1)!.data.seq).toBe(stockEvents.at(-1)!.seq);

    // A client that resumes after the first message gets the same projection of what followed.
    const after = live.messages[0]!.id;
    using resumed = openSse(
      `${ld.url}/v1/sessions/${sessionId}/stream`,
      keys.publishableKey,
      PUBLIC_STREAM_EVENT_NAMES,
      { 'last-event-id': after },
    );
    await waitUntil(
      () => resumed.messages.some((message) => message.event === 'session.ended'),
      'the resumed session.ended',
    );
    const replayed = checkPublicMessages(resumed.messages);
    expect(ids(resumed.messages).every((id) => id > Number(after))).toBe(true);
    const nonStock = (list: readonly SseMessage[]) =>
      list.filter((message) => message.event !== 'stock' && Number(message.id) > Number(after));
    expect(nonStock(resumed.messages)).toEqual(nonStock(live.messages));
    expect(replayed.filter((message) => message.event === 'stock').at(-1)!.data).toEqual(stock.at(-1)!.data);
  });

  it('is readable by the platform and the owning creator, and 404 for anyone else', async () => {
    await using ld = await start();
    const { keys } = ld.server;
    const api = apiAs(ld.url, keys.secretKey);
    const { sessionId } = await sessionWithSeller(api, keys.creatorId);
    const stranger = await api.post('/v1/creators', { handle: 'stranger', displayName: 'Stranger' });
    expect(stranger.status).toBe(201);
    const theirs = await api.post('/v1/sessions', {
      creatorId: stranger.body.id,
      title: 'Their drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    expect(theirs.status).toBe(201);

    for (const key of [keys.secretKey, keys.creatorKey, keys.publishableKey]) {
      const response = await fetch(`${ld.url}/v1/sessions/${sessionId}/stream`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      await response.body!.cancel();
    }
    const creator = apiAs(ld.url, keys.creatorKey);
    expect((await creator.get(`/v1/sessions/${theirs.body.id}/stream`)).body.code).toBe('not_found');
    expect((await api.get('/v1/sessions/ses_doesnotexist/stream')).status).toBe(404);
    expect((await apiAs(ld.url, keys.moderatorKey).get(`/v1/sessions/${sessionId}/stream`)).status).toBe(403);
    const otherTenant = ld.server.engine.createTenant('Other Platform');
    expect((await apiAs(ld.url, otherTenant.secretKey).get(`/v1/sessions/${sessionId}/stream`)).status).toBe(404);
  });
});
