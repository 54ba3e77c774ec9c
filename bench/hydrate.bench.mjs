#!/usr/bin/env node
/**
 * Hydrating a session with 200 offers, as latency ratios to a bare node:http server (DESIGN.md,
 * "Targets": p99 ≤ 2× serving the same pre-serialized JSON; the 304 path ≤ 1.2×).
 *
 * Ours: `GET /v1/sessions/:id` on the reference server with the platform key — the whole view built
 * and serialized per request, its ETag computed — and the same request with `If-None-Match` (304).
 * Baseline: a node:http server that answers with the same bytes and headers (ours', taken from a
 * real response of each kind), serialized once before timing, and the same 304 when
 * `If-None-Match` equals the ETag. Both servers run in this process;
 * the requests come one at a time from bench/load-generator.mjs in a separate process, which times
 * each request from send to last byte read. Ours and the baseline take turns request by request
 * (each over its own keep-alive socket), so a pause of the machine falls on both alike: a p99 of
 * sub-millisecond requests on a shared machine is otherwise mostly about when each ran.
 *
 * Each round runs REQUESTS requests per subject. A figure is the percentile over every request of
 * every round (a p99 of 10,000 requests rests on 100 of them), and a ratio is ours ÷ baseline of
 * those; the brackets show the per-round figures' spread.
 *
 *   node bench/hydrate.bench.mjs [--rounds 5] [--requests 2000] [--offers 200]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { forkHelper } from './support/child-process.mjs';
import { createDrop } from './support/drop-fixture.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { percentile, ratioOfRounds, spread } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '2000' },
    offers: { type: 'string', default: '200' },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const OFFERS = Number(args.offers);
const WARMUP = 100;

const { createManualClock } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer } = await importBuilt('packages/mock-server/dist/node/index.js');

/**
 * The headers a response of ours carries, to be sent as they are by the baseline: the same bytes on
 * the wire, less what node:http writes itself (`Date`, `Connection`, `Keep-Alive`, the length).
 */
const replayedHeaders = (response) =>
  Object.fromEntries(
    [...response.headers].filter(
      ([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
    ),
  );

/** The baseline: the same body and headers, serialized once; the same 304 on a matching If-None-Match. */
async function startPreserializedServer(body, headers200, headers304) {
  const bytes = Buffer.from(body);
  const etag = headers200.etag;
  const server = http.createServer((req, res) => {
    if (req.headers['if-none-match'] === etag) res.writeHead(304, headers304).end();
    else res.writeHead(200, { ...headers200, 'content-length': bytes.length }).end(bytes);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

const ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
const { server } = ld;
const { sessionId } = await createDrop(server, { offers: OFFERS });
const path = `/v1/sessions/${sessionId}`;
const authorization = `Bearer ${server.keys.secretKey}`;
// The load generator sends no Accept-Encoding, so ours answers identity; so must the baseline's copy.
const view = await fetch(`${ld.url}${path}`, { headers: { authorization, 'accept-encoding': 'identity' } });
const body = await view.text();
const headers = replayedHeaders(view);
const notModified = await fetch(`${ld.url}${path}`, {
  headers: { authorization, 'accept-encoding': 'identity', 'if-none-match': headers.etag },
});
if (JSON.parse(body).offers?.length !== OFFERS)
  throw new Error(`benchmark self-check failed: the view has ${JSON.parse(body).offers?.length} offers, not ${OFFERS}`);
if (notModified.status !== 304)
  throw new Error(`benchmark self-check failed: If-None-Match answered ${notModified.status}, not 304`);
const bare = await startPreserializedServer(body, headers, replayedHeaders(notModified));
console.log(
  `hydrate: a session with ${OFFERS} offers (${(body.length / 1024).toFixed(0)} KiB of JSON), ${ROUNDS} rounds × ${REQUESTS} sequential requests per subject, client in its own process`,
);

const loader = await forkHelper('load-generator.mjs');
/** The two comparisons; in each, ours and the baseline take turns request by request. */
const PAIRS = [
  { key: '200', status: 200, headers: { authorization } },
  { key: '304', status: 304, headers: { authorization, 'if-none-match': headers.etag } },
];
/** Latencies of `count` requests to ours and to the baseline, interleaved. */
const alternate = async (pair, count) => {
  const result = await loader.request({
    type: 'alternate',
    targets: [
      { url: `${ld.url}${path}`, headers: pair.headers },
      { url: `${bare.url}${path}`, headers: pair.headers },
    ],
    count,
  });
  for (const statuses of result.statuses)
    if (statuses[pair.status] !== count)
      throw new Error(`benchmark self-check failed: ${pair.key} answered ${JSON.stringify(result.statuses)}`);
  return { ours: result.latenciesMs[0], bare: result.latenciesMs[1] };
};

try {
  for (const pair of PAIRS) await alternate(pair, WARMUP);
  const p50 = { ours200: [], bare200: [], ours304: [], bare304: [] };
  const p99 = { ours200: [], bare200: [], ours304: [], bare304: [] };
  const all = { ours200: [], bare200: [], ours304: [], bare304: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < PAIRS.length; turn++) {
      const pair = PAIRS[(turn + round) % PAIRS.length];
      const samples = await alternate(pair, REQUESTS);
      for (const side of ['ours', 'bare']) {
        all[`${side}${pair.key}`].push(...samples[side]);
        p50[`${side}${pair.key}`].push(percentile(samples[side], 50));
        p99[`${side}${pair.key}`].push(percentile(samples[side], 99));
      }
    }
    const show = (key) => `${p50[key].at(-1).toFixed(2)}/${p99[key].at(-1).toFixed(2)}`;
    console.log(
      `  round ${round + 1}/${ROUNDS} p50/p99 ms: 200 ours ${show('ours200')} bare ${show('bare200')} · 304 ours ${show('ours304')} bare ${show('bare304')}`,
    );
  }

  // The headline figures are percentiles of every request of every round (ROUNDS × REQUESTS per
  // subject, taken in turns with the baseline's), so a p99 rests on 1 % of them, not on a round's
  // handful; the brackets give the spread of the per-round figures.
  const row = (id, name, p, perRound, oursKey, bareKey, target) => {
    const pooled = (key) => percentile(all[key], p);
    const rounds = (key) => spread(perRound[key]);
    const perRoundRatio = ratioOfRounds(perRound[oursKey], perRound[bareKey]);
    return tableRow({
      id,
      name,
      unit: 'ms',
      better: 'lower',
      ours: {
        name: `reference server GET /v1/sessions/:id (${OFFERS} offers)`,
        ...rounds(oursKey),
        median: Number(pooled(oursKey).toFixed(3)),
      },
      baseline: {
        name: 'node:http serving the same pre-serialized bytes',
        ...rounds(bareKey),
        median: Number(pooled(bareKey).toFixed(3)),
      },
      ratio: { ...perRoundRatio, median: Number((pooled(oursKey) / pooled(bareKey)).toFixed(3)) },
      ...(target === undefined ? {} : { target: `≤ ${target}×`, targets: [{ on: 'ratio', op: '<=', value: target }] }),
    });
  };
  const rows = [
    row('hydrate-p50', `hydrate ${OFFERS} offers, p50`, 50, p50, 'ours200', 'bare200'),
    row('hydrate-p99', `hydrate ${OFFERS} offers, p99`, 99, p99, 'ours200', 'bare200', 2),
    row('hydrate-304-p50', 'hydrate 304 (If-None-Match), p50', 50, p50, 'ours304', 'bare304'),
    row('hydrate-304-p99', 'hydrate 304 (If-None-Match), p99', 99, p99, 'ours304', 'bare304', 1.2),
  ];
  console.log(`\n${renderTable(rows)}\n`);
  await writeSection('hydrate', {
    method: {
      offers: OFFERS,
      bodyBytes: Buffer.byteLength(body),
      rounds: ROUNDS,
      requestsPerRound: REQUESTS,
      warmupRequests: WARMUP,
      client:
        'bench/load-generator.mjs (separate process), ours and the baseline interleaved request by request, one keep-alive socket each, sequential, send → last byte',
      ratio: 'ours ÷ baseline percentile over every request of every round (interleaved); brackets: per-round figures',
    },
    rows,
  });
  console.log('wrote bench/results.json (hydrate)');
} finally {
  await loader.close();
  await bare.close();
  await ld.close();
}
