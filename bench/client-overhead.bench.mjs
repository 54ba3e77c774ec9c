#!/usr/bin/env node
/**
 * The typed client's overhead: a call through `@livedrop/node`'s `createClient` (fetch, retries and
 * idempotency machinery, zod validation of the response) against raw `fetch` + `JSON.parse` of the
 * same request (DESIGN.md, "Targets": ≤ 1.25×).
 *
 * Both run in this process against the same reference server, also in this process, over loopback
 * HTTP with keep-alive (undici's global pool for both; the client calls the global fetch), one call at a time.
 * Calls:
 *   - `client.offers.retrieve(id)`             vs GET /v1/offers/:id
 *   - `client.sessions.hydrate(id, …)` of a session with SESSION_OFFERS offers vs GET /v1/sessions/:id.
 *     Both send an `If-None-Match` that never matches, so every call is a full 200 (without it the
 *     client would send its cached ETag and get 304s).
 * Subjects take turns in SLICES slices per round in a shuffled order (a change of machine load hits
 * them alike); a ratio is the median over rounds of (client time per call ÷ raw time per call).
 *
 *   node bench/client-overhead.bench.mjs [--rounds 5] [--round-ms 1000] [--session-offers 20]
 */
import { isDeepStrictEqual } from 'node:util';
import { parseArgs } from 'node:util';
import { createDrop } from './support/drop-fixture.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { ratioOfRounds, seededRandom, spread } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'round-ms': { type: 'string', default: '1000' },
    'session-offers': { type: 'string', default: '20' },
  },
});
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const SESSION_OFFERS = Number(args['session-offers']);
const SLICES = 20;
const WARMUP_MS = 500;
const TARGET = 1.25;

const { createManualClock } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer } = await importBuilt('packages/mock-server/dist/node/index.js');
const { createClient } = await importBuilt('packages/node/dist/index.js');

const ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
const { sessionId, offerIds } = await createDrop(ld.server, { offers: SESSION_OFFERS });
const offerId = offerIds[0];
const apiKey = ld.server.keys.secretKey;
const client = createClient({ apiKey, baseUrl: ld.url });
const MISS = '"never-matches"';
const rawGet = async (path, headers = {}) => {
  const response = await fetch(`${ld.url}${path}`, {
    headers: { accept: 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
  });
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return JSON.parse(await response.text());
};

const PAIRS = [
  {
    id: 'client-offer-retrieve',
    name: 'client.offers.retrieve',
    client: () => client.offers.retrieve(offerId),
    raw: () => rawGet(`/v1/offers/${offerId}`),
  },
  {
    id: 'client-session-hydrate',
    name: `client.sessions.hydrate (${SESSION_OFFERS} offers)`,
    client: () => client.sessions.hydrate(sessionId, { ifNoneMatch: MISS }),
    raw: () => rawGet(`/v1/sessions/${sessionId}`, { 'if-none-match': MISS }),
  },
];

// Each pair must fetch the same thing before it is timed.
for (const pair of PAIRS) {
  const [typed, plain] = [await pair.client(), await pair.raw()];
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(typed)), plain))
    throw new Error(`benchmark self-check failed: ${pair.name} and raw fetch disagree`);
}

const SUBJECTS = PAIRS.flatMap((pair) => [
  { key: `${pair.id}:client`, fn: pair.client },
  { key: `${pair.id}:raw`, fn: pair.raw },
]);

/** Calls `fn` one at a time for about `ms`; returns [calls, ms]. */
async function run(fn, ms) {
  let calls = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    await fn();
    calls++;
    now = performance.now();
  }
  return [calls, now - start];
}

console.log(
  `client overhead: ${ROUNDS} rounds × ${ROUND_MS} ms per subject in ${SLICES} shuffled slices, server in this process`,
);
for (const subject of SUBJECTS) await run(subject.fn, WARMUP_MS);
const random = seededRandom();
const microsPerCall = Object.fromEntries(SUBJECTS.map((s) => [s.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  const totals = SUBJECTS.map(() => [0, 0]);
  for (let slice = 0; slice < SLICES; slice++) {
    const order = SUBJECTS.map((_, index) => index).sort(() => random() - 0.5);
    for (const index of order) {
      const [calls, ms] = await run(SUBJECTS[index].fn, ROUND_MS / SLICES);
      totals[index][0] += calls;
      totals[index][1] += ms;
    }
  }
  for (const [index, subject] of SUBJECTS.entries())
    microsPerCall[subject.key].push((totals[index][1] * 1000) / totals[index][0]);
  console.log(
    `  round ${round + 1}/${ROUNDS}: ${PAIRS.map((pair) => `${pair.name} ${microsPerCall[`${pair.id}:client`].at(-1).toFixed(0)} µs vs raw ${microsPerCall[`${pair.id}:raw`].at(-1).toFixed(0)} µs`).join(' · ')}`,
  );
}

const rows = PAIRS.map((pair) =>
  tableRow({
    id: pair.id,
    name: `client overhead: ${pair.name}`,
    unit: 'µs',
    better: 'lower',
    ours: { name: `@livedrop/core ${pair.name}`, ...spread(microsPerCall[`${pair.id}:client`], 1) },
    baseline: { name: 'fetch + JSON.parse of the same request', ...spread(microsPerCall[`${pair.id}:raw`], 1) },
    ratio: ratioOfRounds(microsPerCall[`${pair.id}:client`], microsPerCall[`${pair.id}:raw`]),
    target: `≤ ${TARGET}×`,
    targets: [{ on: 'ratio', op: '<=', value: TARGET }],
  }),
);
console.log(`\n${renderTable(rows)}\n`);
await writeSection('client-overhead', {
  method: {
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    slicesPerRound: SLICES,
    warmupMs: WARMUP_MS,
    sessionOffers: SESSION_OFFERS,
    measure: 'wall-clock µs per sequential call, client and server in one process',
    ratio: 'median over rounds of client µs/call ÷ raw µs/call in the same round',
  },
  rows,
});
console.log('wrote bench/results.json (client-overhead)');
await ld.close();
