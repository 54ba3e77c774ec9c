#!/usr/bin/env node
/**
 * SSE fan-out: publish → received by SUBSCRIBERS clients, against a raw `res.write` broadcast
 * (DESIGN.md, "Targets": p99 ≤ 1.2× the raw broadcast, and under 200 ms on loopback).
 *
 * Ours: the reference server (in this process) with SUBSCRIBERS clients on its platform stream
 * `GET /v1/events/stream`; a probe is `engine.record()` of a small valid event
 * (`livedrop.signing_key.rotated`), which the log appends (hash chain), the stream channel encodes
 * once, and every subscriber's response carries to its socket through serve.ts.
 * Baseline: a node:http server (also in this process) holding SUBSCRIBERS raw SSE responses; a probe
 * builds an event of the same shape and size, serializes it once and `res.write`s the same bytes to
 * every response in one loop.
 *
 * The subscribers are raw node:http GETs in a separate process (bench/sse-subscribers.mjs) that
 * timestamp each probe's arrival on the system-wide monotonic clock; one probe's latency is the time
 * from just before the publish to its arrival at the LAST subscriber. Both sets of subscribers stay
 * connected throughout; each round sends PROBES probes to each server, alternating which goes first,
 * one probe at a time (the next after every subscriber has the previous one and a short pause).
 * Heartbeats are pushed out of the way (one per 10 minutes) so none lands in a probe.
 *
 * p50 and p99 are taken per round (over its PROBES probes; with 20, p99 is the round's slowest);
 * the table shows their median and min–max over rounds, and the ratio is the median over rounds of
 * ours ÷ raw in the same round. The percentiles over all probes pooled are kept in results.json.
 *
 *   node bench/fanout.bench.mjs [--subscribers 2000] [--rounds 5] [--probes 20]
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { forkHelper } from './support/child-process.mjs';
import { probeArrival } from './support/probe.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { percentile, ratioOfRounds, spread } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    probes: { type: 'string', default: '20' },
  },
});
const SUBSCRIBERS = Number(args.subscribers);
const ROUNDS = Number(args.rounds);
const PROBES = Number(args.probes);
const PAUSE_MS = 20;
const PROBE_TIMEOUT_MS = 30_000;
const TARGET_RATIO = 1.2;
const TARGET_MS = 200;

const { createManualClock, streamStats } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer } = await importBuilt('packages/mock-server/dist/node/index.js');

/** The baseline: raw SSE responses, each sent the same bytes by one `res.write` loop. */
async function startRawBroadcaster() {
  const responses = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    responses.push(res);
    res.on('close', () => responses.splice(responses.indexOf(res), 1));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    responses,
    broadcast(bytes) {
      for (const res of responses) res.write(bytes);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

const ld = await startReferenceServer({
  clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')),
  streams: { heartbeatIntervalMs: 600_000 },
});
const { engine, keys } = ld.server;
const raw = await startRawBroadcaster();
const subscribers = await forkHelper('sse-subscribers.mjs');
const encoder = new TextEncoder();

let nextProbe = 0;
const SUBJECTS = {
  ours: {
    name: `reference server /v1/events/stream → ${SUBSCRIBERS} subscribers`,
    publish: (probe) =>
      void engine.record(keys.tenantId, 'livedrop.signing_key.rotated', `probe_${probe}`, {
        currentKid: `probe_${probe}`,
        previousKid: null,
      }),
  },
  raw: {
    name: `raw res.write of one serialized frame → ${SUBSCRIBERS} responses`,
    publish: (probe) => {
      // The shape and size of the reference server's frame, serialized once, the same bytes to every socket.
      const event = {
        specversion: '1.0',
        id: 'evt_0123456789ABCDEFGHIJ',
        source: '/livedrop/reference',
        type: 'livedrop.signing_key.rotated',
        time: new Date().toISOString(),
        subject: `probe_${probe}`,
        datacontenttype: 'application/json',
        seq: probe + 1,
        prevhash: '0'.repeat(64),
        data: { currentKid: `probe_${probe}`, previousKid: null },
        hash: '0'.repeat(64),
      };
      raw.broadcast(encoder.encode(`id: ${probe + 1}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
    },
  },
};

/** Publishes one probe and resolves with the ms until the last subscriber of `group` had it. */
function probeOnce(group) {
  const probe = nextProbe++;
  return probeArrival(subscribers, group, probe, () => SUBJECTS[group].publish(probe), PROBE_TIMEOUT_MS);
}

try {
  console.log(
    `fan-out: ${SUBSCRIBERS} SSE subscribers per server (their own process), ${ROUNDS} rounds × ${PROBES} probes per server`,
  );
  const opening = performance.now();
  const head = await engine.storage.events.head(keys.tenantId);
  await subscribers.request({
    type: 'open',
    group: 'ours',
    url: `${ld.url}/v1/events/stream?lastEventId=${head}`,
    headers: { authorization: `Bearer ${keys.secretKey}` },
    count: SUBSCRIBERS,
  });
  await subscribers.request({ type: 'open', group: 'raw', url: raw.url, headers: {}, count: SUBSCRIBERS });
  if (streamStats(engine).open !== SUBSCRIBERS || raw.responses.length !== SUBSCRIBERS)
    throw new Error(
      `benchmark self-check failed: ${streamStats(engine).open} reference and ${raw.responses.length} raw streams open`,
    );
  console.log(`  opened ${2 * SUBSCRIBERS} streams in ${((performance.now() - opening) / 1000).toFixed(1)} s`);

  // Warm-up: a few probes each, untimed.
  for (let index = 0; index < 3; index++) for (const group of ['ours', 'raw']) await probeOnce(group);

  const samples = { ours: [], raw: [] };
  const perRound = { ours: { p50: [], p99: [] }, raw: { p50: [], p99: [] } };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['raw', 'ours'] : ['ours', 'raw'];
    for (const group of order) {
      const latencies = [];
      for (let index = 0; index < PROBES; index++) {
        latencies.push(await probeOnce(group));
        await sleep(PAUSE_MS);
      }
      samples[group].push(...latencies);
      perRound[group].p50.push(percentile(latencies, 50));
      perRound[group].p99.push(percentile(latencies, 99));
    }
    const show = (group) =>
      `p50 ${perRound[group].p50.at(-1).toFixed(1)} / max ${perRound[group].p99.at(-1).toFixed(1)} ms`;
    console.log(`  round ${round + 1}/${ROUNDS}: reference ${show('ours')} · raw ${show('raw')}`);
  }
  if (streamStats(engine).open !== SUBSCRIBERS || streamStats(engine).cutOff !== 0)
    throw new Error(`benchmark self-check failed: stream stats ${JSON.stringify(streamStats(engine))}`);

  const row = (id, key, targets, target) =>
    tableRow({
      id,
      name: `fan-out to ${SUBSCRIBERS.toLocaleString('en-US')} SSE subscribers, ${key}`,
      unit: 'ms',
      better: 'lower',
      ours: { name: SUBJECTS.ours.name, ...spread(perRound.ours[key], 2) },
      baseline: { name: SUBJECTS.raw.name, ...spread(perRound.raw[key], 2) },
      ratio: ratioOfRounds(perRound.ours[key], perRound.raw[key]),
      ...(targets ? { targets, target } : {}),
    });
  const rows = [
    row('fanout-p50', 'p50'),
    row(
      'fanout-p99',
      'p99',
      [
        { on: 'ratio', op: '<=', value: TARGET_RATIO },
        { on: 'ours', op: '<', value: TARGET_MS },
      ],
      `≤ ${TARGET_RATIO}× and < ${TARGET_MS} ms`,
    ),
  ];
  console.log(`\n${renderTable(rows)}\n`);
  await writeSection('fanout', {
    method: {
      subscribers: SUBSCRIBERS,
      rounds: ROUNDS,
      probesPerRound: PROBES,
      stream: 'GET /v1/events/stream (platform), raw node:http clients in a separate process',
      latency: 'publish → arrival at the last subscriber, system-wide monotonic clock',
      statistics:
        'p50/p99 per round of PROBES probes; median and min–max over rounds; ratio = median over rounds of ours ÷ raw in the same round',
    },
    rows,
    pooled: Object.fromEntries(
      ['ours', 'raw'].map((group) => [
        group,
        { p50: percentile(samples[group], 50), p99: percentile(samples[group], 99), max: Math.max(...samples[group]) },
      ]),
    ),
    samplesMs: {
      ours: samples.ours.map((v) => Number(v.toFixed(2))),
      raw: samples.raw.map((v) => Number(v.toFixed(2))),
    },
  });
  console.log('wrote bench/results.json (fanout)');
} finally {
  await subscribers.close();
  await raw.close();
  await ld.close();
}
