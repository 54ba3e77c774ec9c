#!/usr/bin/env node
/**
 * The reference server on Redis, measured against itself in memory and against one instance.
 *
 * 1. Reservation over HTTP, one instance: `POST /v1/reservations` on a server with the Redis
 *    storage vs the same server in memory, both in this process, loaded in turns (ABBA) by
 *    bench/load-generator.mjs in its own process. Rows: throughput ratio, requests per CPU-second of
 *    this process, and Redis commands per reservation (INFO commandstats before and after the Redis
 *    slices: every command Redis ran meanwhile, the commit and the idempotency, rate-limit, control
 *    and journal calls, and the instance's stream tail, counted).
 * 2. Cross-instance fan-out: two instances on one Redis, A in this process and B in its own
 *    (bench/redis-instance.mjs), as two machines would be; 2,000 SSE subscribers (their own process)
 *    on B and 2,000 on A; an event committed through A; publish → arrival at the last subscriber.
 *    Ratio: p99 on B (through Redis's stream and B's tail) ÷ p99 on A, per round.
 *
 *   node bench/redis.bench.mjs [--rounds 5] [--requests 1000] [--subscribers 2000] [--probes 20]
 */
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { forkHelper } from './support/child-process.mjs';
import { createDrop, issueTokens } from './support/drop-fixture.mjs';
import { probeArrival } from './support/probe.mjs';
import { startRedis } from './support/redis-server.mjs';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { percentile, ratioOfRounds, spread } from './support/stats.mjs';
import { importBuilt } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '1000' },
    subscribers: { type: 'string', default: '2000' },
    probes: { type: 'string', default: '20' },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const SUBSCRIBERS = Number(args.subscribers);
const PROBES = Number(args.probes);
const WARMUP = 500;
/** Reservations sent one at a time under MONITOR, to see which calls each one makes. */
const TRACED = 50;
const SOCKETS = 32;
const FANOUT_TARGET = 1.3;

const { createManualClock } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer, redisStore } = await importBuilt('packages/mock-server/dist/node/index.js');

const redis = await startRedis();
/** Every command Redis has run (INFO commandstats, the INFO calls themselves left out). */
const commandCount = async () =>
  execFileSync('redis-cli', ['-s', redis.socket, 'info', 'commandstats'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('cmdstat_') && !line.startsWith('cmdstat_info'))
    .reduce((sum, line) => sum + Number(/calls=(\d+)/.exec(line)[1]), 0);
const clock = () => createManualClock(Date.parse('2026-11-25T18:00:00Z'));
const rows = [];

/** The calls a reservation waits for; the rest (tail, chain checkpoint, journal) go on beside it. */
const AWAITED = ['control read', 'sweep', 'idempotency', 'rate limit', 'commit', 'other'];

/** What a command MONITOR printed is for, by its name and keys. */
function purposeOf(line) {
  if (/"xread"/i.test(line)) return 'tail';
  if (line.includes(':idem:')) return 'idempotency';
  if (line.includes(':rl:')) return 'rate limit';
  if (line.includes('{journal}')) return 'journal';
  if (line.includes(':chain"')) return 'chain checkpoint';
  if (line.includes(':records"')) return 'commit';
  if (line.includes(':jobs"')) return 'sweep';
  if (line.includes('{control}')) return 'control read';
  return 'other';
}

/** Counts the commands clients send Redis while `work` runs, by purpose (MONITOR; script internals left out). */
async function traceCalls(socket, work) {
  const monitor = spawn('redis-cli', ['-s', socket, 'monitor']);
  let output = '';
  monitor.stdout.on('data', (chunk) => (output += chunk));
  while (!output.startsWith('OK')) await sleep(10);
  await work();
  // The journal entry and the tail's read go on after the answer: let them land.
  await sleep(500);
  monitor.kill();
  const counts = {};
  for (const line of output.split('\n').slice(1)) {
    if (!line.includes('"') || / \[\d+ lua\] /.test(line)) continue;
    const purpose = purposeOf(line);
    counts[purpose] = (counts[purpose] ?? 0) + 1;
  }
  return counts;
}

// 1. Reservation over HTTP, one instance.
{
  const memory = await startReferenceServer({ clock: clock() });
  const onRedis = await startReferenceServer({ clock: clock(), storage: redisStore(redis.url, { prefix: 'bench' }) });
  const loader = await forkHelper('load-generator.mjs');
  try {
    const tokensOf = async (ld) => {
      const { offerIds } = await createDrop(ld.server, { offers: 1, quantity: 1_000_000 });
      return issueTokens(ld.server, offerIds[0], WARMUP + ROUNDS * REQUESTS + TRACED);
    };
    const tokens = { memory: await tokensOf(memory), redis: await tokensOf(onRedis) };
    const servers = { memory, redis: onRedis };
    const load = async (who, from, count) => {
      const ld = servers[who];
      const bodies = tokens[who]
        .slice(from, from + count)
        .map((offerToken) => JSON.stringify({ offerToken, quantity: 1 }));
      const cpu = process.cpuUsage();
      const commands = who === 'redis' ? await commandCount() : 0;
      const result = await loader.request({
        type: 'run',
        url: `${ld.url}/v1/reservations`,
        method: 'POST',
        headers: { authorization: `Bearer ${ld.server.keys.publishableKey}`, 'content-type': 'application/json' },
        bodies,
        count: bodies.length,
        sockets: SOCKETS,
        idempotencyKeys: true,
      });
      if (result.statuses[201] !== bodies.length)
        throw new Error(`benchmark self-check failed: ${who} answered ${JSON.stringify(result.statuses)}`);
      const { user, system } = process.cpuUsage(cpu);
      // The INFO call itself is one command; it is excluded by name above.
      const ran = who === 'redis' ? (await commandCount()) - commands : 0;
      return { wall: result.seconds, cpu: (user + system) / 1e6, commands: ran };
    };
    console.log(`reservation over HTTP on Redis vs in memory: ${ROUNDS} rounds × ${REQUESTS} requests each, ABBA`);
    await load('memory', 0, WARMUP);
    await load('redis', 0, WARMUP);
    const per = { memory: { rate: [], cpu: [] }, redis: { rate: [], cpu: [], trips: [] } };
    for (let round = 0; round < ROUNDS; round++) {
      const from = WARMUP + round * REQUESTS;
      const half = REQUESTS / 2;
      const spent = { memory: { wall: 0, cpu: 0 }, redis: { wall: 0, cpu: 0, commands: 0 } };
      for (const [who, offset] of [
        ['memory', 0],
        ['redis', 0],
        ['redis', half],
        ['memory', half],
      ]) {
        const took = await load(who, from + offset, half);
        spent[who].wall += took.wall;
        spent[who].cpu += took.cpu;
        if (who === 'redis') spent.redis.commands += took.commands;
      }
      for (const who of ['memory', 'redis']) {
        per[who].rate.push(REQUESTS / spent[who].wall);
        per[who].cpu.push((spent[who].cpu / REQUESTS) * 1e6);
      }
      per.redis.trips.push(spent.redis.commands / REQUESTS);
      console.log(
        `  round ${round + 1}/${ROUNDS}: memory ${Math.round(per.memory.rate.at(-1))} req/s, Redis ${Math.round(per.redis.rate.at(-1))} req/s · CPU ${per.memory.cpu.at(-1).toFixed(0)} vs ${per.redis.cpu.at(-1).toFixed(0)} µs/req · ${per.redis.trips.at(-1).toFixed(2)} Redis commands/req`,
      );
    }
    // Which calls a reservation makes: MONITOR while TRACED reservations go one at a time. A line
    // without "lua" is one command a client sent (one round trip); its keys say whose it is.
    const traced = await traceCalls(redis.socket, async () => {
      for (const offerToken of tokens.redis.slice(WARMUP + ROUNDS * REQUESTS)) {
        const response = await fetch(`${onRedis.url}/v1/reservations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${onRedis.server.keys.publishableKey}`,
            'content-type': 'application/json',
            'idempotency-key': crypto.randomUUID(),
          },
          body: JSON.stringify({ offerToken, quantity: 1 }),
        });
        if (response.status !== 201)
          throw new Error(`benchmark self-check failed: a traced reservation answered ${response.status}`);
      }
    });
    const perReservation = (purposes) => purposes.reduce((sum, purpose) => sum + (traced[purpose] ?? 0), 0) / TRACED;
    const awaited = perReservation(AWAITED);
    console.log(
      `  calls per reservation (MONITOR, ${TRACED} one at a time): ${Object.entries(traced)
        .map(([purpose, count]) => `${purpose} ${(count / TRACED).toFixed(2)}`)
        .join(', ')}; awaited on the request path ${awaited.toFixed(2)}`,
    );
    if (!onRedis.server.engine.invariantHolds())
      throw new Error('benchmark self-check failed: the ledger invariant broke');
    rows.push(
      tableRow({
        id: 'redis-reservation',
        name: 'reservation over HTTP, Redis storage vs memory',
        unit: 'req/s',
        better: 'higher',
        ours: { name: 'one instance on Redis', ...spread(per.redis.rate, 0) },
        baseline: { name: 'the same server in memory', ...spread(per.memory.rate, 0) },
        ratio: ratioOfRounds(per.redis.rate, per.memory.rate),
      }),
      tableRow({
        id: 'redis-reservation-cpu',
        name: 'Node CPU per reservation, Redis vs memory',
        unit: 'µs',
        better: 'lower',
        ours: { name: 'one instance on Redis', ...spread(per.redis.cpu, 0) },
        baseline: { name: 'the same server in memory', ...spread(per.memory.cpu, 0) },
        ratio: ratioOfRounds(per.redis.cpu, per.memory.cpu),
      }),
      tableRow({
        id: 'redis-round-trips',
        name: `Redis round trips per reservation awaited on the request path (${AWAITED.join(', ')})`,
        unit: 'round trips',
        better: 'lower',
        ours: { name: 'one instance on Redis', median: awaited, min: awaited, max: awaited },
        target: '≤ 1',
        targets: [{ on: 'ours', op: '<=', value: 1 }],
      }),
      tableRow({
        id: 'redis-commands',
        name: 'Redis commands per reservation (INFO commandstats: the calls inside scripts count too)',
        unit: 'commands',
        better: 'lower',
        ours: { name: 'one instance on Redis', ...spread(per.redis.trips, 2) },
      }),
    );
  } finally {
    await loader.close();
    await memory.close();
    await onRedis.close();
  }
}

// 2. Cross-instance fan-out.
{
  const startMs = Date.parse('2026-11-25T18:00:00Z');
  const a = await startReferenceServer({
    clock: createManualClock(startMs),
    storage: redisStore(redis.url, { prefix: 'fanout' }),
    streams: { heartbeatIntervalMs: 600_000 },
  });
  // B is another process, as another machine would be: its fan-out does not take A's CPU.
  const instanceB = await forkHelper('redis-instance.mjs');
  const b = await instanceB.request({ type: 'start', redisUrl: redis.url, prefix: 'fanout', startMs });
  const subscribers = await forkHelper('sse-subscribers.mjs');
  const { engine, keys } = a.server;
  let nextProbe = 0;
  const probeOnce = (group) => {
    const probe = nextProbe++;
    return probeArrival(subscribers, group, probe, () => {
      void engine.record(keys.tenantId, 'livedrop.signing_key.rotated', `probe_${probe}`, {
        currentKid: `probe_${probe}`,
        previousKid: null,
      });
    });
  };
  try {
    console.log(`cross-instance fan-out: ${SUBSCRIBERS} SSE subscribers on A and on B, events committed through A`);
    await a.server.engine.ready();
    const head = await engine.storage.events.head(keys.tenantId);
    for (const [group, ld] of [
      ['same', a],
      ['cross', b],
    ])
      await subscribers.request({
        type: 'open',
        group,
        url: `${ld.url}/v1/events/stream?lastEventId=${head}`,
        headers: { authorization: `Bearer ${keys.secretKey}` },
        count: SUBSCRIBERS,
      });
    for (let index = 0; index < 3; index++) for (const group of ['same', 'cross']) await probeOnce(group);
    const perRound = { same: [], cross: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const group of round % 2 ? ['cross', 'same'] : ['same', 'cross']) {
        const latencies = [];
        for (let index = 0; index < PROBES; index++) {
          latencies.push(await probeOnce(group));
          await sleep(20);
        }
        perRound[group].push(percentile(latencies, 99));
      }
      console.log(
        `  round ${round + 1}/${ROUNDS}: p99 same instance ${perRound.same.at(-1).toFixed(1)} ms · across instances ${perRound.cross.at(-1).toFixed(1)} ms`,
      );
    }
    rows.push(
      tableRow({
        id: 'redis-fanout-p99',
        name: `fan-out to ${SUBSCRIBERS.toLocaleString('en-US')} SSE subscribers on another instance, p99`,
        unit: 'ms',
        better: 'lower',
        ours: { name: 'subscribers on B, event committed on A', ...spread(perRound.cross, 2) },
        baseline: { name: 'subscribers on A, event committed on A', ...spread(perRound.same, 2) },
        ratio: ratioOfRounds(perRound.cross, perRound.same),
        target: `≤ ${FANOUT_TARGET}×`,
        targets: [{ on: 'ratio', op: '<=', value: FANOUT_TARGET }],
      }),
    );
  } catch (error) {
    // Reported, not hidden: the reservation rows above still stand.
    console.error(`cross-instance fan-out did not complete: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await subscribers.close();
    await instanceB.close();
    await a.close();
  }
}

console.log(`\n${renderTable(rows)}\n`);
await writeSection('redis', {
  method: {
    rounds: ROUNDS,
    requestsPerRound: REQUESTS,
    subscribers: SUBSCRIBERS,
    probesPerRound: PROBES,
    redis: 'Debian redis-server on a unix socket, appendonly yes, appendfsync always',
  },
  rows,
});
console.log('wrote bench/results.json (redis)');
await redis.stop();
process.exit(process.exitCode ?? 0);
