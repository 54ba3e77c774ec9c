import { createClient, EVENT_TYPES } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../src/node';
import { streamStats } from '../src/realtime/stream-hub';
import { apiAs, type Api } from './support/http';
import { openSse, waitUntil } from './support/sse';

/** Clients on the core SDK's realtime stream (its resume and dedupe are what is tested). */
const SDK_CLIENTS = 1_000;
/** Clients on a plain EventSource (the `eventsource` package), whose reconnections we can inspect. */
const EVENTSOURCE_CLIENTS = 100;
const CLIENTS = SDK_CLIENTS + EVENTSOURCE_CLIENTS;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One event per call (a seller each), `gapMs` apart, so publishing overlaps the reconnections. */
async function produce(api: Api, count: number, gapMs: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    expect((await api.post('/v1/sellers', { name: `Storm seller ${index}` })).status).toBe(201);
    await pause(gapMs);
  }
}

/** The seqs a client got that break "every event 1..head exactly once, in order", for a readable failure. */
function defects(seqs: readonly number[], head: number): string | undefined {
  if (seqs.length === head && seqs.every((seq, index) => seq === index + 1)) return undefined;
  const seen = new Set<number>();
  const duplicates = seqs.filter((seq) => seen.has(seq) || !seen.add(seq));
  const missing = range(1, head).filter((seq) => !seen.has(seq));
  const outOfOrder = seqs.some((seq, index) => index > 0 && seq < seqs[index - 1]!);
  return `got ${seqs.length} events: missing [${missing.slice(0, 10).join(', ')}], duplicated [${duplicates.slice(0, 10).join(', ')}]${outOfOrder ? ', out of order' : ''}`;
}

describe('reconnect storm', () => {
  it(`${CLIENTS} clients torn at once by dropStreams all resume with Last-Event-ID: every event exactly once, in order`, async () => {
    await using ld = await startReferenceServer({ streams: { retryMs: 50 } });
    const { engine, keys } = ld.server;
    const control = apiAs(ld.url, ld.server.controlKey);
    const api = apiAs(ld.url, keys.secretKey);
    expect((await control.post('/__control/seed', { fixture: 'live-drop' })).status).toBe(200);
    const sessionId = (await api.get('/v1/sessions?status=live')).body.data[0].id as string;
    const headSeq = async () => (await control.get('/__control/state')).body.events as number;

    const sdk = createClient({ apiKey: keys.secretKey, baseUrl: ld.url });
    const sdkClients = Array.from({ length: SDK_CLIENTS }, () => {
      const feed = sdk.realtime.events({ maxReconnectDelayMs: 1_000 });
      const client = { feed, seqs: [] as number[], reconnects: 0 };
      feed.on('event', (event) => client.seqs.push(event.seq));
      feed.on('reconnecting', () => client.reconnects++);
      return client;
    });
    const sources = Array.from({ length: EVENTSOURCE_CLIENTS }, () =>
      openSse(`${ld.url}/v1/events/stream`, keys.secretKey, EVENT_TYPES),
    );
    const sourceSeqs = (index: number) => sources[index]!.messages.map((message) => Number(message.id));
    const allSeqs = () => [...sdkClients.map((client) => client.seqs), ...sources.map((_, index) => sourceSeqs(index))];
    try {
      const seeded = await headSeq();
      await waitUntil(
        () => streamStats(engine).open === CLIENTS && allSeqs().every((seqs) => seqs.length === seeded),
        `${CLIENTS} clients connected and caught up`,
        40_000,
      );

      // The storm: every stream torn at once; while the clients reconnect (retry: 50 ms, with jitter)
      // events keep coming, and each broadcast tears the streams that came back in the meantime.
      const dropped = streamStats(engine).dropped;
      expect((await control.post('/__control/faults', { dropStreams: true })).status).toBe(200);
      expect(streamStats(engine).dropped - dropped).toBeGreaterThanOrEqual(CLIENTS);
      await produce(api, 10, 10);
      const hydrate = await api.get(`/v1/sessions/${sessionId}`);
      expect(hydrate.status).toBe(200);
      expect(hydrate.body.offers).toHaveLength(2);
      expect((await control.post('/__control/faults', {})).status).toBe(200);
      // The second wave reconnects all at once while more events are published.
      await produce(api, 10, 5);

      const head = await headSeq();
      await waitUntil(
        () => allSeqs().every((seqs) => (seqs.at(-1) ?? 0) >= head),
        `every client to reach seq ${head}`,
        40_000,
      );
      const broken = allSeqs()
        .map((seqs, index) => ({ client: index, defect: defects(seqs, head) }))
        .filter((entry) => entry.defect !== undefined);
      expect(broken).toEqual([]);

      expect(sdkClients.every((client) => client.reconnects >= 1)).toBe(true);
      for (const source of sources) {
        expect(source.errors()).toBeGreaterThanOrEqual(1);
        // Every reconnection named where the client was.
        for (const headers of source.requests.slice(1)) expect(headers.get('last-event-id')).toMatch(/^\d+$/);
      }
      console.log(
        `reconnect storm: ${CLIENTS} clients, ${head} events each exactly once; ${streamStats(engine).dropped - dropped} streams torn by dropStreams`,
      );
    } finally {
      for (const client of sdkClients) client.feed.close();
      for (const source of sources) source.close();
    }
    await waitUntil(() => streamStats(engine).open === 0, 'every stream to close');
  }, 60_000);
});
