import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { streamStats } from '../src/realtime/stream-hub';
import { waitUntil } from './support/sse';

const SUBSCRIBERS = 1_000;
const NON_READERS = 100;
const EVENTS = 10_000;
/** Events per synchronous burst (what one busy request or timer sweep appends). */
const BURST = 100;
/** Bursts between pacing marks; readers must keep up with the marks, non-readers cannot. */
const BURSTS_PER_MARK = 10;
const PROBES = 30;
/**
 * Pads each event to about 740 bytes: 7.4 MB per stream, well over what a paused socket's kernel
 * buffers (about 4 MB on Linux loopback) and the 1 MiB queue hold, so every non-reader must be cut
 * off (here they are, after about 4.9 MB).
 */
const PADDING = 'x'.repeat(300);

/** `global.gc`, exposed at run time so the worker needs no `--expose-gc` flag. */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** A raw node:http SSE client; readers record the pacing marks and probes they see. */
interface RawSubscriber {
  readonly request: http.ClientRequest;
  response?: http.IncomingMessage;
  bytes: number;
  ended: boolean;
  lastMark: number;
  readonly probes: Map<number, number>;
}

const MARK = Buffer.from('"currentKid":"mark_');
const PROBE = Buffer.from('"currentKid":"probe_');

/** The integer right after `marker` in `chunk`, scanning every occurrence; -1 if none. */
function lastNumberAfter(chunk: Buffer, marker: Buffer): number {
  let found = -1;
  for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + 1)) {
    let value = 0;
    for (let index = at + marker.length; index < chunk.length && chunk[index]! >= 48 && chunk[index]! <= 57; index++)
      value = value * 10 + chunk[index]! - 48;
    found = value;
  }
  return found;
}

function subscribe(url: string, key: string, agent: http.Agent, reads: boolean): Promise<RawSubscriber> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${key}` } });
    const subscriber: RawSubscriber = { request, bytes: 0, ended: false, lastMark: -1, probes: new Map() };
    request.on('error', (error) => (subscriber.response ? undefined : reject(error)));
    request.on('response', (response) => {
      subscriber.response = response;
      response.on('end', () => (subscriber.ended = true));
      response.on('close', () => (subscriber.ended = true));
      response.on('error', () => (subscriber.ended = true));
      if (reads) {
        response.on('data', (chunk: Buffer) => {
          subscriber.bytes += chunk.length;
          const mark = lastNumberAfter(chunk, MARK);
          if (mark > subscriber.lastMark) subscriber.lastMark = mark;
          const probe = lastNumberAfter(chunk, PROBE);
          if (probe !== -1) subscriber.probes.set(probe, performance.now());
        });
      } else {
        // Never reads: the socket stops, the server's writes back up and its stream queue fills.
        response.socket.pause();
      }
      resolve(subscriber);
    });
  });
}

/**
 * Opens `count` subscribers 100 at a time: a thousand simultaneous connects overflow the listen
 * backlog, and the dropped SYNs are retried only after a second.
 */
async function subscribeMany(count: number, open: (index: number) => Promise<RawSubscriber>): Promise<RawSubscriber[]> {
  const opened: RawSubscriber[] = [];
  for (let from = 0; from < count; from += 100)
    opened.push(
      ...(await Promise.all(Array.from({ length: Math.min(100, count - from) }, (_, index) => open(from + index)))),
    );
  return opened;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('SSE fan-out memory', () => {
  it(`cuts off ${NON_READERS} of ${SUBSCRIBERS} subscribers that never read while ${EVENTS} events go out, with bounded heap`, {
    timeout: 120_000,
  }, async () => {
    const gc = exposeGc();
    await using ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
    const { engine, keys } = ld.server;
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const emit = (kid: string) =>
      void engine.record(keys.tenantId, 'livedrop.signing_key.rotated', kid, { currentKid: kid, previousKid: PADDING });

    const subscribers = await subscribeMany(SUBSCRIBERS, (index) =>
      subscribe(`${ld.url}/v1/events/stream?lastEventId=1`, keys.secretKey, agent, index >= NON_READERS),
    );
    const readers = subscribers.slice(NON_READERS);
    const nonReaders = subscribers.slice(0, NON_READERS);
    await waitUntil(() => streamStats(engine).open === SUBSCRIBERS, `${SUBSCRIBERS} open streams`);

    gc();
    const before = process.memoryUsage();
    let mark = 0;
    for (let sent = 0; sent < EVENTS; ) {
      for (let index = 0; index < BURST; index++, sent++)
        emit(sent % (BURST * BURSTS_PER_MARK) === BURST * BURSTS_PER_MARK - 1 ? `mark_${mark++}` : `key_${sent}`);
      await nextTurn();
      // Pace like a real producer that the readers can keep up with: at most two marks in flight.
      if (sent % (BURST * BURSTS_PER_MARK) === 0 && mark >= 2)
        await waitUntil(
          () => readers.every((reader) => reader.lastMark >= mark - 2),
          `readers at mark ${mark - 2}`,
          30_000,
        );
    }
    await waitUntil(
      () => readers.every((reader) => reader.lastMark === mark - 1),
      'every reader to receive the last event',
      30_000,
    );
    gc();
    const after = process.memoryUsage();

    const stats = streamStats(engine);
    // Every non-reader was cut off; no reader was.
    expect(stats.cutOff).toBe(NON_READERS);
    expect(stats.open).toBe(SUBSCRIBERS - NON_READERS);
    expect(readers.every((reader) => !reader.ended)).toBe(true);
    const logBytes = (await engine.storage.events.read(keys.tenantId, 1, EVENTS)).reduce(
      (sum, stored) => sum + stored.text.length,
      0,
    );
    const heapGrowth = after.heapUsed - before.heapUsed;
    const bufferGrowth = after.arrayBuffers - before.arrayBuffers;
    console.log(
      `[stream-memory] ${SUBSCRIBERS} subscribers (${NON_READERS} never read), ${EVENTS} events of ~740 B (${mb(logBytes)} of JSON in the log): ` +
        `heapUsed ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (+${mb(heapGrowth)}), arrayBuffers ${mb(before.arrayBuffers)} → ${mb(after.arrayBuffers)} (+${mb(bufferGrowth)}), ` +
        `rss ${mb(after.rss)}; per reader ${mb(readers[0]!.bytes)} received; cut off ${stats.cutOff}`,
    );
    // Holding each non-reader's backlog would cost 100 × 7.4 MB; what grows is the log itself plus bounded queues.
    const backlogCost = NON_READERS * readers[0]!.bytes;
    expect(heapGrowth + bufferGrowth).toBeLessThan(backlogCost / 4);

    // A non-reader that wakes up gets what its socket buffered, then the end: it was cut off.
    for (const subscriber of nonReaders.slice(0, 5)) {
      subscriber.response!.on('data', (chunk: Buffer) => (subscriber.bytes += chunk.length));
      subscriber.response!.socket.resume();
    }
    await waitUntil(
      () => nonReaders.slice(0, 5).every((subscriber) => subscriber.ended),
      'the woken non-readers to see their stream end',
      30_000,
    );
    for (const subscriber of nonReaders.slice(0, 5)) expect(subscriber.bytes).toBeLessThan(readers[0]!.bytes);
    for (const subscriber of nonReaders) subscriber.request.destroy();

    // Fan-out latency to 1,000 live readers: replace the cut-off ones, then publish probes one at a time.
    const head = await engine.storage.events.head(keys.tenantId);
    readers.push(
      ...(await subscribeMany(NON_READERS, () =>
        subscribe(`${ld.url}/v1/events/stream?lastEventId=${head}`, keys.secretKey, agent, true),
      )),
    );
    await waitUntil(() => streamStats(engine).open === SUBSCRIBERS, `${SUBSCRIBERS} open streams again`);
    const latencies: number[] = [];
    for (let probe = 0; probe < PROBES; probe++) {
      const sentAt = performance.now();
      emit(`probe_${probe}`);
      await waitUntil(() => readers.every((reader) => reader.probes.has(probe)), `probe ${probe} at every reader`);
      for (const reader of readers) latencies.push(reader.probes.get(probe)! - sentAt);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `[stream-memory] fan-out publish → received over ${readers.length} subscribers on loopback, ${PROBES} probes: ` +
        `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
    );
    expect(latencies).toHaveLength(PROBES * SUBSCRIBERS);

    for (const reader of readers) reader.request.destroy();
    agent.destroy();
  });

  it(`baseline for the fan-out ratio: a raw res.write broadcast to ${SUBSCRIBERS} subscribers`, {
    timeout: 30_000,
  }, async () => {
    const responses: http.ServerResponse[] = [];
    const raw = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write('retry: 1000\n\n');
      responses.push(response);
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const { port } = raw.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    try {
      const readers = await subscribeMany(SUBSCRIBERS, () =>
        subscribe(`http://127.0.0.1:${port}/`, 'none', agent, true),
      );
      await waitUntil(() => responses.length === SUBSCRIBERS, `${SUBSCRIBERS} raw responses`);
      const latencies: number[] = [];
      for (let probe = 0; probe < PROBES; probe++) {
        const sentAt = performance.now();
        // The same shape and size as the reference server's frame, serialized once and written to each socket.
        const event = {
          specversion: '1.0',
          id: 'evt_probe',
          source: '/livedrop/reference',
          type: 'livedrop.signing_key.rotated',
          time: new Date().toISOString(),
          subject: `probe_${probe}`,
          datacontenttype: 'application/json',
          seq: probe + 1,
          prevhash: '0'.repeat(64),
          data: { currentKid: `probe_${probe}`, previousKid: PADDING },
          hash: '0'.repeat(64),
        };
        const bytes = new TextEncoder().encode(
          `id: ${probe + 1}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
        );
        for (const response of responses) response.write(bytes);
        await waitUntil(
          () => readers.every((reader) => reader.probes.has(probe)),
          `raw probe ${probe} at every reader`,
        );
        for (const reader of readers) latencies.push(reader.probes.get(probe)! - sentAt);
      }
      latencies.sort((a, b) => a - b);
      console.log(
        `[stream-memory] baseline raw res.write broadcast over ${readers.length} subscribers on loopback, ${PROBES} probes: ` +
          `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
      );
      expect(latencies).toHaveLength(PROBES * SUBSCRIBERS);
      for (const reader of readers) reader.request.destroy();
    } finally {
      agent.destroy();
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });
});
