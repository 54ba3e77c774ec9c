#!/usr/bin/env node
/**
 * How the reference server's costs grow (DESIGN.md, "Targets": hydrate time linear in offers;
 * reservation throughput flat in the number of offers and of held reservations; replay from a
 * cursor O(page), not O(log)). Everything runs in-process through `server.handle(request)` — the
 * full pipeline without sockets, so the curves show the server's own work.
 *
 *   hydrate       GET /v1/sessions/:id (platform key) of a session with 10, 100, 1,000 offers,
 *                 its body read as bytes (what a transport sends): median ms per hydrate, of the
 *                 cached view and of a view rebuilt after a change (each call follows an event, as
 *                 during a drop). Expected linear: from the last-but-one point to the last, cost
 *                 may grow at most as fast as the offers (growth = cost ratio ÷ offers ratio).
 *   offers        POST /v1/reservations on one offer while its session holds 1, 100, 1,000 offers.
 *   holds         POST /v1/reservations on one offer with 0, 10k, 50k holds already in place.
 *   replay        GET /v1/events?after=<middle of the log>&limit=100 with 10k, 100k, 1M events
 *                 in the log (filled with `tx.emit` of a small valid event).
 * For the flat curves the check compares the cost per operation at the last point with the first.
 * A curve is flagged when that ratio is over GROWTH_LIMIT (2): "superlinear" for the linear one,
 * "grows" for a flat one.
 *
 *   node bench/scaling.bench.mjs [--offers 10,100,1000] [--reserve-offers 1,100,1000]
 *                                [--holds 0,10000,50000] [--log 10000,100000,1000000]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { addOffers, apiOf, createDrop, inParallel, issueTokens } from './support/drop-fixture.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { median } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

// A million events need more heap than Node's default on small machines: re-run with a bigger one.
const HEAP_MB = 6144;
if (v8.getHeapStatistics().heap_size_limit < (HEAP_MB - 512) * 1024 * 1024) {
  const { status } = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(status ?? 1);
}

const list = (text) => text.split(',').map(Number);
const { values: args } = parseArgs({
  options: {
    offers: { type: 'string', default: '10,100,1000' },
    'reserve-offers': { type: 'string', default: '1,100,1000' },
    holds: { type: 'string', default: '0,10000,50000' },
    log: { type: 'string', default: '10000,100000,1000000' },
    reservations: { type: 'string', default: '1000' },
  },
});
const GROWTH_LIMIT = 2;
const RESERVATIONS = Number(args.reservations);
const CONCURRENCY = 16;

const { createManualClock, createReferenceServer } = await importBuilt('packages/mock-server/dist/index.js');
const { nodeSha256Hex } = await importBuilt('packages/mock-server/dist/node/index.js');
const newServer = () =>
  createReferenceServer({ hash: nodeSha256Hex, clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });

/** Runs `fn` at least `minRuns` times and for at least `minMs`; returns the median ms of one run. */
async function medianMs(fn, { minRuns = 20, minMs = 500 } = {}) {
  const samples = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** Reserves one unit with each token (CONCURRENCY in flight); returns µs per reservation. */
async function reserveAll(server, tokens) {
  const call = apiOf(server);
  const key = server.keys.publishableKey;
  const start = performance.now();
  await inParallel(tokens.length, CONCURRENCY, (index) =>
    call(
      key,
      'POST',
      '/v1/reservations',
      { offerToken: tokens[index], quantity: 1 },
      { expect: 201, headers: { 'idempotency-key': `scale-${index}-${tokens[index].slice(-12)}` } },
    ),
  );
  return ((performance.now() - start) * 1000) / tokens.length;
}

const elapsed = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const curves = [];

function curve(id, name, shape, unit, points) {
  // points: [{ n, cost }] where cost is per operation (flat) or per whole call (linear).
  const first = points[0];
  const last = points.at(-1);
  let growth;
  let explain;
  if (shape === 'linear') {
    // Over the last step, where the per-item part dominates: cost ratio ÷ items ratio. A linear
    // cost with a fixed part gives ≤ 1, a quadratic one the items ratio (×10 here).
    const prev = points.at(-2);
    growth = last.cost / prev.cost / (last.n / prev.n);
    explain = `cost ×${(last.cost / prev.cost).toFixed(2)} for ×${(last.n / prev.n).toFixed(0)} items`;
  } else {
    growth = last.cost / first.cost;
    explain = `cost per operation ${points.map((p) => p.cost.toFixed(1)).join(' → ')} ${unit}`;
  }
  const ok = growth <= GROWTH_LIMIT;
  const verdict = ok ? shape : shape === 'linear' ? 'superlinear' : 'grows';
  const entry = { id, name, shape, unit, points, growth: Number(growth.toFixed(3)), verdict, explain };
  curves.push(entry);
  console.log(
    `  ${name}: ${points.map((p) => `${p.n.toLocaleString('en-US')} → ${p.cost.toFixed(shape === 'linear' ? 2 : 1)} ${unit}`).join(', ')}`,
  );
  console.log(
    `    ${explain}; growth ×${growth.toFixed(2)} → ${ok ? verdict : `${verdict.toUpperCase()} (over ×${GROWTH_LIMIT})`}`,
  );
  return entry;
}

console.log('scaling: in-process server.handle, no sockets');

// --- hydrate vs offers --------------------------------------------------------------------------
{
  const since = performance.now();
  const server = newServer();
  const call = apiOf(server);
  const sizes = list(args.offers);
  const drop = await createDrop(server, { offers: sizes[0] });
  const { secretKey, tenantId } = server.keys;
  const url = `http://bench.local/v1/sessions/${drop.sessionId}`;
  const hydrate = async () => {
    const response = await server.handle(new Request(url, { headers: { authorization: `Bearer ${secretKey}` } }));
    if (response.status !== 200) throw new Error(`benchmark self-check failed: hydrate answered ${response.status}`);
    return response.arrayBuffer();
  };
  let changes = 0;
  const cached = [];
  const rebuilt = [];
  let count = sizes[0];
  for (const n of sizes) {
    if (n > count) await addOffers(server, drop.sessionId, drop.sellerId, n - count);
    count = n;
    const view = await call(secretKey, 'GET', `/v1/sessions/${drop.sessionId}`, undefined, { expect: 200 });
    if (view.body.offers.length !== n)
      throw new Error(`benchmark self-check failed: ${view.body.offers.length} offers, expected ${n}`);
    cached.push({ n, cost: await medianMs(hydrate, { minRuns: 20, minMs: 400 }) });
    // Any event moves the log's head, so the next hydrate builds and serializes the view again.
    const change = () =>
      server.engine.record(tenantId, 'livedrop.signing_key.rotated', 'key_bench', {
        currentKid: `k${changes++}`,
        previousKid: null,
      });
    rebuilt.push({
      n,
      cost: await medianMs(
        async () => {
          await change();
          return hydrate();
        },
        { minRuns: 20, minMs: 400 },
      ),
    });
  }
  curve('scale-hydrate', 'hydrate time vs offers in the session (cached view)', 'linear', 'ms', cached);
  curve(
    'scale-hydrate-rebuilt',
    'hydrate time vs offers in the session (view rebuilt after a change)',
    'linear',
    'ms',
    rebuilt,
  );
  console.log(`    (${elapsed(since)})`);
}

// --- reservation cost vs offers -----------------------------------------------------------------
{
  const since = performance.now();
  const server = newServer();
  const sizes = list(args['reserve-offers']);
  const drop = await createDrop(server, { offers: sizes[0] });
  const points = [];
  let count = sizes[0];
  for (const [step, n] of sizes.entries()) {
    if (n > count) await addOffers(server, drop.sessionId, drop.sellerId, n - count);
    count = n;
    const tokens = await issueTokens(server, drop.offerIds[0], RESERVATIONS, `offers${step}`);
    points.push({ n, cost: await reserveAll(server, tokens) });
  }
  curve('scale-reserve-offers', 'reservation cost vs offers in the session', 'flat', 'µs', points);
  console.log(`    (${elapsed(since)})`);
}

// --- reservation cost vs holds in place ---------------------------------------------------------
{
  const since = performance.now();
  const server = newServer();
  const drop = await createDrop(server, { offers: 1 });
  const offerId = drop.offerIds[0];
  const points = [];
  let holds = 0;
  let batch = 0;
  for (const n of list(args.holds)) {
    // Fill to n holds (untimed), in chunks so the tokens don't pile up in memory.
    while (holds < n) {
      const count = Math.min(5_000, n - holds);
      await reserveAll(server, await issueTokens(server, offerId, count, `fill${batch++}`));
      holds += count;
    }
    const tokens = await issueTokens(server, offerId, RESERVATIONS, `measure${batch++}`);
    points.push({ n, cost: await reserveAll(server, tokens) });
    holds += RESERVATIONS;
  }
  const { stock } = (
    await apiOf(server)(server.keys.secretKey, 'GET', `/v1/offers/${offerId}`, undefined, { expect: 200 })
  ).body;
  if (stock.reserved !== holds || !server.engine.invariantHolds())
    throw new Error(`benchmark self-check failed: ${stock.reserved} reserved, expected ${holds}`);
  curve('scale-reserve-holds', 'reservation cost vs holds in place', 'flat', 'µs', points);
  console.log(`    (${elapsed(since)})`);
}

// --- replay vs log size -------------------------------------------------------------------------
{
  const since = performance.now();
  const server = newServer();
  const call = apiOf(server);
  const { engine, keys } = server;
  const points = [];
  for (const n of list(args.log)) {
    const head = await engine.storage.events.head(keys.tenantId);
    await engine.transact((tx) => {
      for (let seq = head; seq < n; seq++)
        tx.emit(keys.tenantId, 'livedrop.signing_key.rotated', 'key_bench', {
          currentKid: `k${seq}`,
          previousKid: null,
        });
    });
    const after = Math.floor(n / 2);
    const page = await call(keys.secretKey, 'GET', `/v1/events?after=${after}&limit=100`, undefined, { expect: 200 });
    if (page.body.data.length !== 100 || page.body.data[0].seq !== after + 1)
      throw new Error('benchmark self-check failed: the replay page is not the 100 events after the cursor');
    points.push({
      n,
      cost:
        1000 *
        (await medianMs(
          () =>
            call(keys.secretKey, 'GET', `/v1/events?after=${after}&limit=100`, undefined, {
              expect: 200,
              parse: false,
            }),
          { minRuns: 50, minMs: 400 },
        )),
    });
  }
  curve('scale-replay', 'replay of 100 events vs log size', 'flat', 'µs', points);
  console.log(`    (${elapsed(since)})`);
}

const rows = curves.map((entry) =>
  tableRow({
    id: entry.id,
    name: `scale: ${entry.name} (${entry.points[0].n.toLocaleString('en-US')} → ${entry.points.at(-1).n.toLocaleString('en-US')})`,
    unit: '×',
    better: 'lower',
    ours: { name: entry.explain, median: entry.growth, min: entry.growth, max: entry.growth },
    baseline: null,
    ratio: null,
    target: entry.shape === 'linear' ? `growth ≤ ×${GROWTH_LIMIT} (linear)` : `growth ≤ ×${GROWTH_LIMIT} (flat)`,
    targets: [{ on: 'ours', op: '<=', value: GROWTH_LIMIT }],
  }),
);
console.log(`\n${renderTable(rows)}\n`);
await writeSection('scaling', {
  method: {
    transport: 'in-process server.handle(Request)',
    reservations: RESERVATIONS,
    concurrency: CONCURRENCY,
    growthLimit: GROWTH_LIMIT,
    growth: 'linear: over the last step, cost ratio ÷ items ratio; flat: cost per operation, last point ÷ first point',
  },
  rows,
  curves,
});
console.log('wrote bench/results.json (scaling)');
