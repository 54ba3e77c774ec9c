#!/usr/bin/env node
/**
 * Reservation over HTTP, as a ratio to a bare node:http server (DESIGN.md, "Targets": ≥ 0.5×).
 *
 * Ours: `POST /v1/reservations` on the reference server (`startReferenceServer`, in this process):
 * bearer auth, body validation, idempotency (every request carries a fresh `Idempotency-Key`),
 * offer-token verification (Ed25519), the single-use `jti` check, the ledger hold and its event.
 * Baseline: a node:http server, also in this process, that reads the same JSON body, verifies the
 * same token's Ed25519 signature with node:crypto and decrements a counter — nothing else.
 *
 * The load comes from bench/load-generator.mjs in a separate process: a keep-alive `http.Agent`
 * with SOCKETS connections sending a fixed number of requests. Tokens are issued before any timing
 * (one offer with a million units, one buyer per token). Both servers are warmed with WARMUP
 * requests each. A round sends each server REQUESTS requests in SLICES slices, taking turns in
 * ABBA order (ours, baseline, baseline, ours, …), so that the machine's slower and faster moments
 * fall on both alike; a server's figure for the round is its requests ÷ the time of its slices. The
 * ratio is the median over rounds of (ours req/s ÷ baseline req/s in that round). A second,
 * informational row divides the requests by the CPU time of this process (both servers live here;
 * only one is loaded at a time), which shows the servers' own cost when the load generator, not the
 * bare server, is the limit.
 *
 *   node bench/reservation-http.bench.mjs [--rounds 5] [--requests 2000] [--slices 4] [--sockets 32]
 */
import { createPublicKey, verify } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { forkHelper } from './support/child-process.mjs';
import { apiOf, createDrop, issueTokens } from './support/drop-fixture.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { ratioOfRounds, spread } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '2000' },
    slices: { type: 'string', default: '4' },
    sockets: { type: 'string', default: '32' },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const SLICES = Number(args.slices);
const SOCKETS = Number(args.sockets);
const WARMUP = 2000;
const TARGET = 0.5;

const { createManualClock } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer } = await importBuilt('packages/mock-server/dist/node/index.js');

/** The baseline: parse the body, verify the Ed25519 signature, decrement, answer 201. */
async function startBareServer(publicKey) {
  let stock = Number.MAX_SAFE_INTEGER;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const { offerToken, quantity } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const dot = offerToken.lastIndexOf('.');
      const valid = verify(
        null,
        Buffer.from(offerToken.slice(0, dot)),
        publicKey,
        Buffer.from(offerToken.slice(dot + 1), 'base64url'),
      );
      if (!valid) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"token_invalid"}');
        return;
      }
      stock -= quantity;
      res.writeHead(201, { 'content-type': 'application/json' }).end(`{"status":"held","available":${stock}}`);
    });
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
const { offerIds } = await createDrop(server, { offers: 1, quantity: 1_000_000 });
const jwks = (await apiOf(server)(server.keys.secretKey, 'GET', '/.well-known/jwks.json', undefined, { expect: 200 }))
  .body;
const bare = await startBareServer(createPublicKey({ key: jwks.keys[0], format: 'jwk' }));

console.log(
  `reservation over HTTP: ${ROUNDS} rounds × ${REQUESTS} requests per server, ${SOCKETS} keep-alive sockets, load generator in its own process`,
);
const issuing = performance.now();
const tokens = await issueTokens(server, offerIds[0], WARMUP + ROUNDS * REQUESTS);
console.log(
  `  issued ${tokens.length} offer tokens in ${((performance.now() - issuing) / 1000).toFixed(1)} s (before timing)`,
);

const loader = await forkHelper('load-generator.mjs');
const headers = { authorization: `Bearer ${server.keys.publishableKey}`, 'content-type': 'application/json' };
const bodiesOf = (from, count) =>
  tokens.slice(from, from + count).map((offerToken) => JSON.stringify({ offerToken, quantity: 1 }));
/** Wall-clock and CPU seconds (of this, the servers', process) that `bodies` took on the server at `url`. */
const load = async (url, bodies, expected) => {
  const cpu = process.cpuUsage();
  const result = await loader.request({
    type: 'run',
    url: `${url}/v1/reservations`,
    method: 'POST',
    headers,
    bodies,
    count: bodies.length,
    sockets: SOCKETS,
    idempotencyKeys: true,
  });
  if (result.statuses[expected] !== bodies.length)
    throw new Error(
      `benchmark self-check failed: expected ${bodies.length} × ${expected} from ${url}, got ${JSON.stringify(result.statuses)}`,
    );
  const { user, system } = process.cpuUsage(cpu);
  return { wall: result.seconds, cpu: (user + system) / 1e6 };
};

try {
  // Warm both servers (JIT, sockets, ours' stores) with the warm-up tokens; the baseline accepts any valid token again.
  const warmup = bodiesOf(0, WARMUP);
  await load(ld.url, warmup, 201);
  await load(bare.url, warmup, 201);

  const ours = [];
  const baseline = [];
  const oursCpu = [];
  const baselineCpu = [];
  const perSlice = Math.ceil(REQUESTS / SLICES);
  for (let round = 0; round < ROUNDS; round++) {
    const bodies = bodiesOf(WARMUP + round * REQUESTS, REQUESTS);
    const spent = { ours: { wall: 0, cpu: 0 }, baseline: { wall: 0, cpu: 0 } };
    for (let slice = 0; slice < SLICES; slice++) {
      const part = bodies.slice(slice * perSlice, (slice + 1) * perSlice);
      // ABBA: ours, baseline | baseline, ours | ours, baseline | …
      const order = slice % 2 ? ['baseline', 'ours'] : ['ours', 'baseline'];
      for (const who of order) {
        const { wall, cpu } = await load(who === 'ours' ? ld.url : bare.url, part, 201);
        spent[who].wall += wall;
        spent[who].cpu += cpu;
      }
    }
    ours.push(REQUESTS / spent.ours.wall);
    oursCpu.push(REQUESTS / spent.ours.cpu);
    baseline.push(REQUESTS / spent.baseline.wall);
    baselineCpu.push(REQUESTS / spent.baseline.cpu);
    console.log(
      `  round ${round + 1}/${ROUNDS}: reference ${Math.round(ours.at(-1))} req/s, bare ${Math.round(baseline.at(-1))} req/s, ratio ${(ours.at(-1) / baseline.at(-1)).toFixed(2)}` +
        ` · per server CPU-second: ${Math.round(oursCpu.at(-1))} vs ${Math.round(baselineCpu.at(-1))}, ratio ${(oursCpu.at(-1) / baselineCpu.at(-1)).toFixed(2)}`,
    );
  }
  if (!server.engine.invariantHolds()) throw new Error('benchmark self-check failed: the ledger invariant broke');

  const row = tableRow({
    id: 'reservation-http',
    name: 'reservation over HTTP',
    unit: 'req/s',
    better: 'higher',
    ours: { name: 'reference server POST /v1/reservations', ...spread(ours, 0) },
    baseline: { name: 'bare node:http: JSON body + Ed25519 verify + decrement', ...spread(baseline, 0) },
    ratio: ratioOfRounds(ours, baseline),
    target: `≥ ${TARGET}×`,
    targets: [{ on: 'ratio', op: '>=', value: TARGET }],
  });
  // On a small machine the load generator can be what limits the bare server; per CPU-second of the
  // servers' process (all threads, so WebCrypto's pool counts) shows the servers' own cost.
  const cpuRow = tableRow({
    id: 'reservation-http-cpu',
    name: 'reservation over HTTP, per server CPU-second',
    unit: 'req/CPU-s',
    better: 'higher',
    ours: { name: 'reference server POST /v1/reservations', ...spread(oursCpu, 0) },
    baseline: { name: 'bare node:http: JSON body + Ed25519 verify + decrement', ...spread(baselineCpu, 0) },
    ratio: ratioOfRounds(oursCpu, baselineCpu),
  });
  console.log(`\n${renderTable([row, cpuRow])}\n`);
  await writeSection('reservation-http', {
    method: {
      rounds: ROUNDS,
      requestsPerRound: REQUESTS,
      slicesPerRound: SLICES,
      order: 'ABBA',
      warmupRequests: WARMUP,
      sockets: SOCKETS,
      loadGenerator: 'bench/load-generator.mjs (separate process, keep-alive http.Agent)',
      ratio: 'median over rounds of ours req/s ÷ baseline req/s in the same round',
    },
    rows: [row, cpuRow],
  });
  console.log('wrote bench/results.json (reservation-http)');
} finally {
  await loader.close();
  await bare.close();
  await ld.close();
}
