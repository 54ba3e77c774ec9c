import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exemptFromConformance } from '../../mock-server/test/support/conformance-recorder';
import {
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  type LiveDropError,
  NotFoundError,
  PermissionDeniedError,
  ResponseValidationError,
  TimeoutError,
  createClient,
  reconnectManager,
  type LiveDropClient,
  type LiveDropEvent,
  type PublicStreamEventName,
  type StreamReconnectingInfo,
} from './support/sdk';
import { liveOffer, startHarness, type ReferenceHarness } from './support/reference';

let h: ReferenceHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Waits (real time) until `condition` holds; fails naming `what` after `timeoutMs`. */
async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

async function headSeq(ld: LiveDropClient): Promise<number> {
  let head = 0;
  for await (const event of ld.events.list({ limit: 1000 })) head = event.seq;
  return head;
}

/** Every seq of the log, in order (what a stream of the whole log must deliver). */
async function logSeqs(ld: LiveDropClient): Promise<number[]> {
  const seqs: number[] = [];
  for await (const event of ld.events.list({ limit: 1000 })) seqs.push(event.seq);
  return seqs;
}

/** A tiny node:http server on port 0 for what the reference server never does (stall, lie, fail). */
async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const requests: IncomingMessage[] = [];
  const closedSockets: number[] = [];
  const server = createServer((req, res) => {
    const index = requests.push(req) - 1;
    res.on('close', () => closedSockets.push(index));
    handler(req, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // It breaks the contract on purpose, so /openapi.json does not describe it.
  exemptFromConformance(url);
  return {
    url,
    requests,
    closedSockets,
    client: (key = 'sk_test_tiny') => createClient({ apiKey: key, baseUrl: url }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sseHead = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

describe('realtime.session(id): the public stream of a session', () => {
  it('delivers a flow of offer, stock and session messages in order, typed by name', async () => {
    const { keys } = h.running.server;
    const { offer, session } = await liveOffer(h, {}, { publish: false });
    const viewer = h.client(keys.publishableKey);
    const live = viewer.realtime.session(session.id);
    const received: { name: PublicStreamEventName; seq: number }[] = [];
    const names = [
      'offer.published',
      'offer.updated',
      'offer.paused',
      'offer.sold_out',
      'offer.ended',
      'stock',
      'session.started',
      'session.ended',
    ] as const;
    for (const name of names) live.on(name, (data: { seq: number }) => received.push({ name, seq: data.seq }));
    let published: string | undefined;
    let available: number | undefined;
    live.on('offer.published', ({ offer }) => (published = offer.id));
    live.on('stock', (stock) => (available = stock.available));
    const connected = vi.fn();
    live.on('connected', connected);
    try {
      await waitUntil(() => live.state === 'open', 'the connection');
      expect(connected).toHaveBeenCalledWith({ resumedAfter: undefined });

      await h.ld.sessions.start(session.id);
      const published0 = await h.ld.offers.publish(offer.id);
      const { token } = await h.ld.offers.issueToken(offer.id, { buyerId: 'buyer_1' });
      await viewer.reservations.create({ offerToken: token, quantity: 2 });
      await waitUntil(() => received.some((r) => r.name === 'stock'), 'the coalesced stock message');
      await h.ld.offers.update(offer.id, { title: 'Storm Parka II' }, { version: published0.version });
      await h.ld.offers.pause(offer.id);
      await h.ld.offers.end(offer.id);
      await h.ld.sessions.end(session.id);
      await waitUntil(() => received.some((r) => r.name === 'session.ended'), 'session.ended');

      expect(received.map((r) => r.name)).toEqual([
        'session.started',
        'offer.published',
        'stock',
        'offer.updated',
        'offer.paused',
        'offer.ended',
        'session.ended',
      ]);
      const seqs = received.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(published).toBe(offer.id);
      expect(available).toBe(8);
      expect(live.lastEventId).toBe(String(seqs.at(-1)));
    } finally {
      live.close();
    }
    expect(live.state).toBe('closed');
  });

  it('resumes after lastEventId when asked to', async () => {
    const { session, offer } = await liveOffer(h);
    const first: number[] = [];
    const a = h.client(h.running.server.keys.publishableKey).realtime.session(session.id);
    a.on('offer.published', ({ seq }) => first.push(seq));
    a.on('session.started', ({ seq }) => first.push(seq));
    await waitUntil(() => first.length === 2, 'the replay');
    a.close();
    await h.ld.offers.pause(offer.id);
    const later: { name: string; seq: number }[] = [];
    const b = h
      .client(h.running.server.keys.publishableKey)
      .realtime.session(session.id, { lastEventId: first.at(-1) });
    b.on('offer.published', ({ seq }) => later.push({ name: 'offer.published', seq }));
    b.on('offer.paused', ({ seq }) => later.push({ name: 'offer.paused', seq }));
    const connected = vi.fn();
    b.on('connected', connected);
    await waitUntil(() => later.length >= 1, 'the pause');
    b.close();
    expect(later.map((m) => m.name)).toEqual(['offer.paused']);
    expect(connected).toHaveBeenCalledWith({ resumedAfter: String(first.at(-1)) });
  });

  it('stops for good with NotFoundError for a session the key cannot see', async () => {
    const live = h.client(h.running.server.keys.publishableKey).realtime.session('ses_doesnotexist');
    const errors: LiveDropError[] = [];
    live.on('error', (error) => errors.push(error));
    const reconnecting = vi.fn();
    live.on('reconnecting', reconnecting);
    await waitUntil(() => live.state === 'closed', 'the stream to close');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect((errors[0] as NotFoundError).code).toBe('not_found');
    expect(reconnecting).not.toHaveBeenCalled();
  });
});

describe('realtime.events(): the whole log', () => {
  it('delivers every event, checked against the contract, under its type and under "event"', async () => {
    const all: LiveDropEvent[] = [];
    const published: string[] = [];
    const feed = h.ld.realtime.events();
    feed.on('event', (event) => all.push(event));
    feed.on('livedrop.offer.published', (event) => published.push(event.data.offer.id));
    try {
      const { offer } = await liveOffer(h);
      const head = await headSeq(h.ld);
      await waitUntil(() => (all.at(-1)?.seq ?? 0) >= head, `seq ${head}`);
      expect(all.map((e) => e.seq)).toEqual(await logSeqs(h.ld));
      expect(published.at(-1)).toBe(offer.id);
      expect(all.find((e) => e.type === 'livedrop.offer.published' && e.data.offer.id === offer.id)?.specversion).toBe(
        '1.0',
      );
    } finally {
      feed.close();
    }
  });

  it('survives torn streams mid-flow: every event exactly once, in order, resuming with Last-Event-ID', async () => {
    const seqs: number[] = [];
    const reconnects: StreamReconnectingInfo[] = [];
    const resumed: (string | undefined)[] = [];
    // The reference server asks for `retry: 1000`; capping the backoff keeps the test quick.
    const feed = h.ld.realtime.events({ maxReconnectDelayMs: 60 });
    feed.on('event', (event) => seqs.push(event.seq));
    feed.on('reconnecting', (info) => reconnects.push(info));
    feed.on('connected', ({ resumedAfter }) => resumed.push(resumedAfter));
    try {
      await waitUntil(() => feed.state === 'open', 'the connection');
      for (let round = 0; round < 4; round++) {
        await waitUntil(() => feed.state === 'open', 'the reconnection');
        await h.control('faults', { dropStreams: true });
        // While the fault is on, every broadcast tears every open stream, reconnections included.
        await h.ld.sellers.create({ name: `Torn ${round}a` });
        await sleep(30);
        await h.ld.sellers.create({ name: `Torn ${round}b` });
        await h.control('faults', {});
        await liveOffer(h);
      }
      const head = await headSeq(h.ld);
      await waitUntil(() => (seqs.at(-1) ?? 0) >= head, `every event up to ${head}`);
      expect(seqs).toEqual(range(1, head));
      expect(reconnects.length).toBeGreaterThanOrEqual(4);
      for (const info of reconnects) expect(info.error).toBeInstanceOf(ConnectionError);
      // Every reconnection resumed after the last event it had delivered.
      expect(resumed.length).toBe(reconnects.length + 1);
      for (const after of resumed.slice(1)) expect(after).toMatch(/^\d+$/);
    } finally {
      await h.control('faults', {});
      feed.close();
    }
  });

  it('survives torn session streams too: each public message once, in order', async () => {
    const { session, offer } = await liveOffer(h, { quantity: 50 });
    const viewer = h.client(h.running.server.keys.publishableKey);
    const live = viewer.realtime.session(session.id, { maxReconnectDelayMs: 60 });
    const seqs: number[] = [];
    const names: string[] = [];
    for (const name of [
      'offer.published',
      'offer.updated',
      'offer.paused',
      'offer.ended',
      'stock',
      'session.started',
      'session.ended',
    ] as const) {
      live.on(name, ({ seq }: { seq: number }) => {
        seqs.push(seq);
        names.push(name);
      });
    }
    let reconnects = 0;
    live.on('reconnecting', () => reconnects++);
    try {
      await waitUntil(() => names.includes('offer.published'), 'the replay');
      let version = offer.version;
      for (let round = 0; round < 3; round++) {
        await waitUntil(() => live.state === 'open', 'the reconnection');
        await h.control('faults', { dropStreams: true, paths: [`/v1/sessions/${session.id}/stream`] });
        version = (await h.ld.offers.update(offer.id, { title: `Parka ${round}` }, { version })).version;
        await sleep(30);
        version = (await h.ld.offers.update(offer.id, { title: `Parka ${round}b` }, { version })).version;
        await h.control('faults', {});
        version = (await h.ld.offers.update(offer.id, { title: `Parka ${round}c` }, { version })).version;
      }
      await h.ld.sessions.end(session.id);
      await waitUntil(() => names.includes('session.ended'), 'session.ended');
      // Ending a session ends its live offers first.
      expect(names).toEqual([
        'session.started',
        'offer.published',
        ...Array<string>(9).fill('offer.updated'),
        'offer.ended',
        'session.ended',
      ]);
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      expect(reconnects).toBeGreaterThanOrEqual(3);
    } finally {
      await h.control('faults', {});
      live.close();
    }
  });

  it('stops with AuthenticationError on a bad key, and PermissionDeniedError for a publishable key', async () => {
    const bad = h.client('sk_test_not_a_key').realtime.events({ maxReconnectDelayMs: 10 });
    const errors: LiveDropError[] = [];
    bad.on('error', (error) => errors.push(error));
    await waitUntil(() => bad.state === 'closed', 'the stream to close');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect((errors[0] as AuthenticationError).status).toBe(401);

    const publishable = h.client(h.running.server.keys.publishableKey).realtime.events();
    const denied = await new Promise<LiveDropError>((resolve) => publishable.on('error', resolve));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(publishable.state).toBe('closed');
  });
});

describe('realtime: connection handling (a tiny server that misbehaves on purpose)', () => {
  it('replaces a connection that sends nothing within the stall timeout', async () => {
    // Headers, then silence: no event, no heartbeat.
    const tiny = await tinyServer((_req, res) => res.writeHead(200, sseHead).flushHeaders());
    const feed = tiny.client().realtime.events({ stallTimeoutMs: 80, initialReconnectDelayMs: 10 });
    const reconnects: StreamReconnectingInfo[] = [];
    feed.on('reconnecting', (info) => reconnects.push(info));
    try {
      await waitUntil(() => tiny.requests.length >= 3, 'two reconnections');
      expect(reconnects[0]?.error).toBeInstanceOf(TimeoutError);
      expect(reconnects[0]?.error.message).toMatch(/sent nothing .* for 80 ms/);
      // The stalled connection was closed, not leaked.
      await waitUntil(
        () => tiny.closedSockets.includes(0) && tiny.closedSockets.includes(1),
        'the stalled sockets to close',
      );
    } finally {
      feed.close();
      await tiny.close();
    }
  });

  it('gives up on a server that never answers the headers, within the stall timeout', async () => {
    const tiny = await tinyServer(() => undefined);
    const feed = tiny.client().realtime.events({ stallTimeoutMs: 80, initialReconnectDelayMs: 10 });
    const reconnects: StreamReconnectingInfo[] = [];
    feed.on('reconnecting', (info) => reconnects.push(info));
    try {
      await waitUntil(() => tiny.requests.length >= 2, 'a second attempt');
      expect(reconnects[0]?.error).toBeInstanceOf(TimeoutError);
      expect(feed.state).not.toBe('open');
      await waitUntil(() => tiny.closedSockets.includes(0), 'the first socket to close');
    } finally {
      feed.close();
      await tiny.close();
    }
  });

  it('does not time out a quiet stream that gets heartbeats', async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, sseHead).flushHeaders();
      const beat = setInterval(() => res.write(': hb\n\n'), 20);
      res.on('close', () => clearInterval(beat));
    });
    const feed = tiny.client().realtime.events({ stallTimeoutMs: 200 });
    const reconnecting = vi.fn();
    feed.on('reconnecting', reconnecting);
    await waitUntil(() => feed.state === 'open', 'the connection');
    // Several stall timeouts long: only the heartbeats keep it open.
    await sleep(700);
    feed.close();
    await tiny.close();
    expect(reconnecting).not.toHaveBeenCalled();
    expect(tiny.requests).toHaveLength(1);
  });

  it("honours the server's retry: as the base of the backoff (raising retry: 0 to 50 ms)", async () => {
    for (const [retry, base] of [
      [60, 60],
      [0, 50],
    ] as const) {
      const tiny = await tinyServer((_req, res) => {
        res.writeHead(200, sseHead);
        res.end(`retry: ${retry}\n\n`);
      });
      const feed = tiny.client().realtime.events({ initialReconnectDelayMs: 60_000 });
      const delays: number[] = [];
      feed.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
      try {
        await waitUntil(() => tiny.requests.length >= 3, 'two reconnections');
        // Every connection succeeds, so each failure is the first after a success: half to all of the base.
        expect(delays.length).toBeGreaterThanOrEqual(2);
        for (const delay of delays) {
          expect(delay).toBeGreaterThanOrEqual(base / 2);
          expect(delay).toBeLessThanOrEqual(base);
        }
      } finally {
        feed.close();
        await tiny.close();
      }
    }
  });

  it('keeps trying through 5xx answers, resuming each time after the last event delivered', async () => {
    const tiny = await tinyServer((req, res, index) => {
      if (index % 2 === 1) {
        res
          .writeHead(503, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ status: 503, code: 'service_unavailable', detail: 'down' }));
        return;
      }
      const after = Number(req.headers['last-event-id'] ?? 0);
      res.writeHead(200, sseHead);
      res.end(`id: ${after + 1}\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify(rotated(after + 1))}\n\n`);
    });
    const feed = tiny.client().realtime.events({ initialReconnectDelayMs: 5, maxReconnectDelayMs: 20 });
    const errors: LiveDropError[] = [];
    const seqs: number[] = [];
    feed.on('reconnecting', ({ error }) => errors.push(error));
    feed.on('livedrop.signing_key.rotated', (event) => seqs.push(event.seq));
    try {
      await waitUntil(() => seqs.length >= 4, 'four events over four connections');
      expect(errors.some((e) => e instanceof InternalServerError)).toBe(true);
      expect(seqs.slice(0, 4)).toEqual([1, 2, 3, 4]);
      expect(tiny.requests.slice(1).map((r) => r.headers['last-event-id'])).toEqual(
        expect.arrayContaining(['1', '2', '3']),
      );
    } finally {
      feed.close();
      await tiny.close();
    }
  });

  it('drops duplicates a server replays after a reconnection (dedupe by seq)', async () => {
    // A careless server: it ignores Last-Event-ID and replays from the start each time, then breaks.
    const tiny = await tinyServer((_req, res, index) => {
      res.writeHead(200, sseHead);
      let body = 'retry: 5\n\n';
      for (let seq = 1; seq <= 3 + index; seq++)
        body += `id: ${seq}\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify(rotated(seq))}\n\n`;
      res.end(body);
    });
    const feed = tiny.client().realtime.events();
    const seqs: number[] = [];
    feed.on('event', (event) => seqs.push(event.seq));
    try {
      await waitUntil(() => tiny.requests.length >= 4, 'three reconnections');
      await waitUntil(() => seqs.length >= 6, 'six events');
      expect(seqs.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      feed.close();
      await tiny.close();
    }
  });

  it('reports a message that breaks the contract and goes on without it', async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, sseHead);
      res.write(
        `id: 1\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify({ ...rotated(1), data: { currentKid: 5 } })}\n\n`,
      );
      res.write('id: 2\nevent: livedrop.signing_key.rotated\ndata: {not json\n\n');
      res.write(`id: 3\nevent: livedrop.some_future.thing\ndata: {}\n\n`);
      res.write(`id: 4\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify(rotated(4))}\n\n`);
    });
    const feed = tiny.client().realtime.events();
    const errors: LiveDropError[] = [];
    const seqs: number[] = [];
    feed.on('error', (error) => errors.push(error));
    feed.on('event', (event) => seqs.push(event.seq));
    try {
      await waitUntil(() => seqs.length >= 1, 'the valid event');
      expect(seqs).toEqual([4]);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toBeInstanceOf(ResponseValidationError);
      expect((errors[0] as ResponseValidationError).path).toBe('data.currentKid');
      expect(errors[1]?.message).toMatch(/is not JSON/);
      expect(feed.state).toBe('open');
      expect(feed.lastEventId).toBe('4');
    } finally {
      feed.close();
      await tiny.close();
    }
  });

  it('fails for good on a 200 that is not an event stream', async () => {
    const tiny = await tinyServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>portal</html>'),
    );
    const feed = tiny.client().realtime.events({ initialReconnectDelayMs: 5 });
    const error = await new Promise<LiveDropError>((resolve) => feed.on('error', resolve));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toMatch(/text\/event-stream/);
    expect(feed.state).toBe('closed');
    await tiny.close();
    expect(tiny.requests).toHaveLength(1);
  });

  it('keeps a listener that throws from breaking the stream (the error is reported, not thrown)', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, sseHead);
      for (const seq of [1, 2])
        res.write(`id: ${seq}\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify(rotated(seq))}\n\n`);
    });
    const feed = tiny.client().realtime.events();
    const seqs: number[] = [];
    feed.on('event', (event) => {
      seqs.push(event.seq);
      if (event.seq === 1) throw new Error('listener bug');
    });
    try {
      await waitUntil(() => seqs.length >= 2, 'both events');
      expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
      expect(feed.state).toBe('open');
      expect(tiny.requests).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
      feed.close();
      await tiny.close();
    }
  });

  it('close() from a listener stops delivery at once', async () => {
    const tiny = await tinyServer((_req, res) => {
      res.writeHead(200, sseHead);
      let body = '';
      for (const seq of [1, 2, 3])
        body += `id: ${seq}\nevent: livedrop.signing_key.rotated\ndata: ${JSON.stringify(rotated(seq))}\n\n`;
      res.write(body);
    });
    const feed = tiny.client().realtime.events();
    const seqs: number[] = [];
    feed.on('event', (event) => {
      seqs.push(event.seq);
      feed.close();
    });
    await waitUntil(() => feed.state === 'closed', 'close');
    await sleep(30);
    expect(seqs).toEqual([1]);
    await waitUntil(() => tiny.closedSockets.includes(0), 'the socket to close');
    await tiny.close();
  });
});

describe('realtime: close() and reconnect signals', () => {
  it('close() leaves no timer and no connection behind, whatever state the stream is in', async () => {
    // Tracks the long timers the streams below set (stall 61 s, backoff 15–30 s), and which were cleared.
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;
    const pending = new Set<unknown>();
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      const timer = realSetTimeout(() => {
        pending.delete(timer);
        callback();
      }, ms);
      if ((ms ?? 0) >= 10_000) pending.add(timer);
      return timer;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((timer?: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(timer);
      realClearTimeout(timer);
    }) as typeof clearTimeout);
    const tiny = await tinyServer((_req, res, index) => {
      if (index === 0) res.writeHead(503).end();
      else res.writeHead(200, sseHead).flushHeaders();
    });
    try {
      const waiting = tiny.client().realtime.events({ initialReconnectDelayMs: 60_000 });
      await waitUntil(() => waiting.state === 'reconnecting', 'the backoff wait');
      expect(pending.size).toBe(1);
      waiting.close();
      expect(pending.size).toBe(0);

      const open = tiny.client().realtime.events({ stallTimeoutMs: 61_000 });
      await waitUntil(() => open.state === 'open', 'the connection');
      expect(pending.size).toBe(1);
      open.close();
      expect(pending.size).toBe(0);
      await waitUntil(() => tiny.closedSockets.includes(1), 'the open socket to close');

      const connecting = tiny.client().realtime.events({ stallTimeoutMs: 61_000 });
      connecting.close();
      await sleep(30);
      expect(pending.size).toBe(0);
      expect(tiny.requests.length).toBeLessThanOrEqual(3);
      expect([waiting.state, open.state, connecting.state]).toEqual(['closed', 'closed', 'closed']);
      expect(reconnectManager.listening).toBe(false);
    } finally {
      vi.restoreAllMocks();
      await tiny.close();
    }
  });

  it('closes when its AbortSignal aborts', async () => {
    const controller = new AbortController();
    const feed = h.ld.realtime.events({ signal: controller.signal });
    await waitUntil(() => feed.state === 'open', 'the connection');
    controller.abort();
    expect(feed.state).toBe('closed');
    expect(h.ld.realtime.events({ signal: controller.signal }).state).toBe('closed');
  });

  it('reconnects at once on an injected signal (the browser adapter wires online/visibilitychange)', async () => {
    const tiny = await tinyServer((_req, res, index) => {
      if (index === 0) res.writeHead(503).end();
      else res.writeHead(200, sseHead).flushHeaders();
    });
    const installed = vi.fn();
    const removed = vi.fn();
    reconnectManager.setEventListener((reconnect) => {
      installed(reconnect);
      return removed;
    });
    expect(installed).not.toHaveBeenCalled();
    const feed = tiny.client().realtime.events({ initialReconnectDelayMs: 60_000 });
    try {
      expect(installed).toHaveBeenCalledTimes(1);
      await waitUntil(() => feed.state === 'reconnecting', 'the backoff wait');
      const fire = installed.mock.calls[0]![0] as () => void;
      const started = Date.now();
      fire();
      await waitUntil(() => feed.state === 'open', 'the reconnection');
      expect(Date.now() - started).toBeLessThan(1000);
      // A healthy open stream is left alone by the signal.
      fire();
      await sleep(20);
      expect(tiny.requests).toHaveLength(2);
    } finally {
      feed.close();
      reconnectManager.setEventListener(undefined);
      await tiny.close();
    }
    expect(removed).toHaveBeenCalledTimes(1);
  });
});

/** A valid `livedrop.signing_key.rotated` CloudEvent with `seq`. */
function rotated(seq: number): LiveDropEvent {
  const hash = seq.toString(16).padStart(64, '0');
  return {
    specversion: '1.0',
    id: `evt_${String(seq).padStart(8, '0')}`,
    source: '/livedrop/test',
    type: 'livedrop.signing_key.rotated',
    time: '2026-11-25T18:00:00.000Z',
    subject: 'key_1',
    datacontenttype: 'application/json',
    seq,
    prevhash: (seq - 1).toString(16).padStart(64, '0'),
    hash,
    data: { currentKid: 'key_1', previousKid: null },
  };
}
