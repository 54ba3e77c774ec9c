#!/usr/bin/env node
/**
 * Runs every LiveDrop benchmark in sequence, each in its own process, prints one results table and
 * writes bench/results.json (each bench writes its own section; this adds `run`, the summary).
 * Benchmarks are not tests: a missed target is reported, never a failure. The exit code is non-zero
 * only when a bench could not run.
 *
 *   pnpm bench                              (= pnpm build && node bench/run.mjs)
 *   node bench/run.mjs [--only fanout,hydrate] [--skip scaling] [--quiet]
 *   node bench/run.mjs --report [--markdown]   (the table from results.json, without running)
 *
 * Imports the BUILT packages: run `pnpm build` first.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readResults, tableRow, writeSection } from './support/results-file.mjs';
import { renderMarkdown, renderTable } from './support/results-table.mjs';

/** Every bench, in the order they run. `rows(section)` turns its results.json section into table rows. */
const BENCHES = [
  {
    name: 'tokens',
    file: 'tokens.bench.mjs',
    about: 'offer-token sign/verify vs raw node:crypto, jose, fast-jwt',
    rows: tokenRows,
  },
  {
    name: 'reservation-http',
    file: 'reservation-http.bench.mjs',
    about: 'POST /v1/reservations vs a bare Ed25519-verify server, load from another process',
  },
  { name: 'hydrate', file: 'hydrate.bench.mjs', about: 'GET a 200-offer session (and its 304) vs pre-serialized JSON' },
  { name: 'fanout', file: 'fanout.bench.mjs', about: 'publish → 2,000 SSE subscribers vs a raw res.write broadcast' },
  {
    name: 'client-overhead',
    file: 'client-overhead.bench.mjs',
    about: 'typed client (fetch, retries, zod validation) vs fetch + JSON.parse',
  },
  {
    name: 'scaling',
    file: 'scaling.bench.mjs',
    about: 'hydrate, reservations and replay as offers, holds and the log grow',
    nodeArgs: ['--max-old-space-size=6144'],
  },
  { name: 'sizes', file: 'sizes.bench.mjs', about: 'min+gzip of the browser imports' },
  {
    name: 'redis',
    file: 'redis.bench.mjs',
    about: 'reservation on the Redis storage vs memory; fan-out to subscribers on another instance',
  },
];
const BENCH_TIMEOUT_MS = 5 * 60_000;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
  },
});
const names = (text) =>
  new Set(
    (text ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
const only = names(args.only);
const skip = names(args.skip);
for (const name of [...only, ...skip])
  if (!BENCHES.some((bench) => bench.name === name))
    throw new Error(`No bench named "${name}"; there are ${BENCHES.map((bench) => bench.name).join(', ')}.`);
const selected = BENCHES.filter((bench) => (only.size === 0 || only.has(bench.name)) && !skip.has(bench.name));

/** The rows of the tokens bench (another engineer's file, with its own section shape). */
function tokenRows(section) {
  if (Array.isArray(section.rows)) return section.rows;
  const ours = { sign: '@livedrop/node createOfferTokenSigner', verify: '@livedrop/node createOfferTokenVerifier' };
  const rows = [];
  for (const group of ['verify', 'sign']) {
    const subjects = section[group] ?? [];
    const base = subjects.find((subject) => subject.baseline);
    if (!base) continue;
    for (const subject of subjects.filter((s) => !s.baseline)) {
      const target = subject.name === ours[group] ? section.targets?.[group]?.ratio : undefined;
      rows.push(
        tableRow({
          id: `tokens-${group}-${subject.name}`,
          name: `token ${group}: ${subject.name}`,
          unit: 'ops/CPU-s',
          better: 'higher',
          ours: { name: subject.name, ...subject.opsPerSecond },
          baseline: { name: base.name, ...base.opsPerSecond },
          ratio: subject.ratio,
          ...(target === undefined
            ? {}
            : { target: `≥ ${target}×`, targets: [{ on: 'ratio', op: '>=', value: target }] }),
        }),
      );
    }
  }
  return rows;
}

const rowsOf = (bench, section) => (bench.rows ?? ((s) => s.rows ?? []))(section);

/** Runs one bench file as a child process, its output indented under the progress line. */
function runBench(bench) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...(bench.nodeArgs ?? []), fileURLToPath(new URL(bench.file, import.meta.url))],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const forward = (stream) => (chunk) => {
      const text = chunk.toString();
      output += text;
      if (!args.quiet) stream.write(text.replace(/(^|\n)(?=.)/g, '$1    '));
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    const timer = setTimeout(() => {
      output += `\n(killed after ${BENCH_TIMEOUT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, BENCH_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, code: code ?? signal, output });
    });
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const runStarted = Date.now();
const ran = [];
if (!args.report) {
  console.log(
    `LiveDrop benchmarks: ${selected.length} benches, each in its own process · node ${process.version} · ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
  );
  if (loadavg()[0] > cpus().length / 2)
    console.log(
      '  (the machine is busy: other processes slow both sides of every comparison unevenly — trust ratios over absolute numbers, and tails least)',
    );
  console.log('');
  for (const [index, bench] of selected.entries()) {
    const started = Date.now();
    console.log(`▶ [${index + 1}/${selected.length}] ${bench.name} — ${bench.about}`);
    const result = await runBench(bench);
    const section = (await readResults())[bench.name];
    const fresh = section && Date.parse(section.measuredAt) >= started;
    const ok = result.ok && fresh;
    ran.push({ name: bench.name, ok, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) });
    if (ok) console.log(`✔ [${index + 1}/${selected.length}] ${bench.name} done in ${seconds(Date.now() - started)}\n`);
    else {
      if (args.quiet) process.stderr.write(result.output.split('\n').slice(-30).join('\n'));
      console.log(
        `✘ [${index + 1}/${selected.length}] ${bench.name} FAILED after ${seconds(Date.now() - started)} (${result.ok ? 'it wrote no results' : `exit ${result.code}`})\n`,
      );
    }
  }
}

const results = await readResults();
const rows = [];
for (const bench of args.report ? BENCHES : selected) {
  const section = results[bench.name];
  if (!section) continue;
  if (!args.report && !ran.find((r) => r.name === bench.name)?.ok) continue;
  rows.push(...rowsOf(bench, section));
}
const targeted = rows.filter((row) => row.met !== null && row.met !== undefined);
const met = targeted.filter((row) => row.met).length;
console.log(renderTable(rows));
console.log(
  `\n✓ ${met} of ${targeted.length} targets met · ✗ ${targeted.length - met} missed · · ${rows.length - targeted.length} informational rows`,
);
if (args.markdown) console.log(`\n${renderMarkdown(rows)}`);

if (!args.report) {
  const failed = ran.filter((bench) => !bench.ok);
  console.log(
    `${ran.length} benches in ${seconds(Date.now() - runStarted)} (${ran.map((bench) => `${bench.name} ${bench.seconds} s`).join(', ')}) · load average at the end ${loadavg()[0].toFixed(1)}${failed.length ? ` · FAILED: ${failed.map((bench) => bench.name).join(', ')}` : ''}`,
  );
  await writeSection('run', {
    totalSeconds: Number(((Date.now() - runStarted) / 1000).toFixed(1)),
    benches: ran,
    targetsMet: met,
    targetsMissed: targeted.length - met,
    rows,
  });
  console.log('wrote bench/results.json (run)');
  process.exitCode = failed.length ? 1 : 0;
}
