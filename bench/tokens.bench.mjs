#!/usr/bin/env node
/**
 * Offer-token throughput, as ratios to raw node:crypto Ed25519 in the same process (DESIGN.md, "Targets"):
 * verify ≥ 0.9× and sign ≥ 0.8× a bare `crypto.verify` / `crypto.sign` of the same bytes with the same KeyObject.
 *
 * Imports the BUILT @livedrop/node (run `pnpm build` first), plus jose and fast-jwt for comparison.
 * Every subject runs ROUND_MS in each of ROUNDS rounds. Within a round the subjects of a group (sign, verify)
 * take turns in SLICES slices, so a change in machine load (other processes, CPU frequency) hits them alike;
 * a subject's ratio is the median over rounds of (its ops/s ÷ the raw baseline's ops/s in that same round).
 * Writes the numbers to bench/results.json under "tokens", keeping what else is there.
 *
 *   node bench/tokens.bench.mjs [--rounds 7] [--round-ms 500]
 */
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, cpus, loadavg, platform } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, 'round-ms': { type: 'string', default: '500' } } });
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const WARMUP_MS = 300;
const SLICES = 50;

const root = new URL('..', import.meta.url);
const distEntry = new URL('packages/node/dist/index.js', root);
if (!existsSync(distEntry)) {
  console.error('packages/node/dist/index.js is missing: run `pnpm build` first.');
  process.exit(1);
}
const livedrop = await import(distEntry.href);
// jose is a dependency of core and a devDependency of node, not of the root: resolve it from there.
const jose = await import(pathToFileURL(createRequire(new URL('packages/node/package.json', root)).resolve('jose')).href);
const { createSigner, createVerifier } = createRequire(import.meta.url)('fast-jwt');

// --- one key, one set of claims, one token for every verifier --------------------------------------------
const KID = 'key_bench';
const ISSUER = 'https://deals.example';
const AUD = livedrop.OFFER_TOKEN_AUDIENCE;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' });
const publicPem = publicKey.export({ format: 'pem', type: 'spki' });
const now = Math.floor(Date.now() / 1000);
const claims = {
  sub: 'buyer_8f14e45fceea167a',
  sid: 'ses_3fA9kQ2mZx',
  oid: 'off_7Hq2LpW9rT',
  sku: 'PARKA-STORM-M-NAVY',
  price: { amount: 12_900, currency: 'USD' },
  qmax: 2,
  jti: 'b3c1e0d7a8f94c2e9d1f6a5b4c3d2e1f',
  iat: now,
  nbf: now,
  exp: now + 3600,
  att: { campaign: 'winter-drop', source: 'instagram' },
};
const fullClaims = { iss: ISSUER, aud: AUD, ...claims };

const signer = livedrop.createOfferTokenSigner({ privateKey, kid: KID, issuer: ISSUER });
const verifier = livedrop.createOfferTokenVerifier({ publicKeys: new Map([[KID, publicKey]]), issuer: ISSUER });
const token = signer.sign(claims);
const lastDot = token.lastIndexOf('.');
const signingInput = Buffer.from(token.slice(0, lastDot));
const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
const jwks = { keys: [{ ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: KID, alg: 'EdDSA', use: 'sig' }] };

const joseHeader = { alg: 'EdDSA', kid: KID, typ: 'offer+jwt' };
const josePrivate = await jose.importPKCS8(privatePem, 'EdDSA');
const josePublic = await jose.importSPKI(publicPem, 'EdDSA');
const joseVerifyOptions = { algorithms: ['EdDSA'], typ: 'offer+jwt', audience: AUD, issuer: ISSUER, clockTolerance: 5 };

const fastSign = createSigner({ algorithm: 'EdDSA', key: privatePem, kid: KID, header: { typ: 'offer+jwt' } }); // keeps the payload's own iat
const fastVerify = createVerifier({ algorithms: ['EdDSA'], key: publicPem, allowedAud: AUD, allowedIss: ISSUER, clockTolerance: 5 });

// Every subject must do the real work and agree on the result before it is timed.
const check = (label, ok) => {
  if (!ok) throw new Error(`benchmark self-check failed: ${label}`);
};
check('raw verify', cryptoVerify(null, signingInput, publicKey, signature));
check('ours verify', verifier.verify(token).jti === claims.jti);
check('core verify', (await livedrop.verifyOfferToken(token, { jwks, issuer: ISSUER })).jti === claims.jti);
check('jose verify', (await jose.jwtVerify(token, josePublic, joseVerifyOptions)).payload.jti === claims.jti);
check('fast-jwt verify', fastVerify(token).jti === claims.jti);
check('jose token', verifier.verify(await new jose.SignJWT(fullClaims).setProtectedHeader(joseHeader).sign(josePrivate)).jti === claims.jti);
check('fast-jwt token', verifier.verify(fastSign(fullClaims)).jti === claims.jti);
check('ours = raw bytes', signer.sign(claims) === token);

/** name, group, baseline?, async?, fn */
const SUBJECTS = [
  { group: 'sign', name: 'node:crypto Ed25519 sign (raw)', baseline: true, fn: () => cryptoSign(null, signingInput, privateKey) },
  { group: 'sign', name: '@livedrop/node createOfferTokenSigner', fn: () => signer.sign(claims) },
  { group: 'sign', name: 'jose SignJWT', async: true, fn: () => new jose.SignJWT(fullClaims).setProtectedHeader(joseHeader).sign(josePrivate) },
  { group: 'sign', name: 'fast-jwt createSigner', fn: () => fastSign(fullClaims) },
  { group: 'verify', name: 'node:crypto Ed25519 verify (raw)', baseline: true, fn: () => cryptoVerify(null, signingInput, publicKey, signature) },
  { group: 'verify', name: '@livedrop/node createOfferTokenVerifier', fn: () => verifier.verify(token) },
  { group: 'verify', name: '@livedrop/core verifyOfferToken (jose + zod)', async: true, fn: () => livedrop.verifyOfferToken(token, { jwks, issuer: ISSUER }) },
  { group: 'verify', name: 'jose jwtVerify', async: true, fn: () => jose.jwtVerify(token, josePublic, joseVerifyOptions) },
  { group: 'verify', name: 'fast-jwt createVerifier', fn: () => fastVerify(token) },
];

const TARGETS = { sign: 0.8, verify: 0.9 };
const OURS = { sign: '@livedrop/node createOfferTokenSigner', verify: '@livedrop/node createOfferTokenVerifier' };

/*
 * Clocks. This machine may be shared (CI runners, parallel jobs): wall time then charges a subject
 * for whatever else ran while it was timed, and in measured runs even a copy of the baseline drifted
 * ±10% from it. CPU time of this process counts only what the subject itself cost, on every thread
 * (GC helpers, and the thread pool where jose's WebCrypto calls run), so the ratios use it; the
 * wall-clock ratios are printed beside them and both are written to results.json.
 */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const CLOCKS = ['cpu', 'wall'];
const PRIMARY = 'cpu';
const CLOCK_LABEL = { cpu: 'process CPU time', wall: 'wall-clock time' };

/** Runs `fn` for about `ms` of wall time, in batches so clocks are read rarely; returns ops and the elapsed ms on each clock. */
async function run({ fn, async: isAsync }, ms) {
  const batch = 8;
  let ops = 0;
  const cpu0 = cpuMs();
  const start = performance.now();
  const end = start + ms;
  let t = start;
  while (t < end) {
    if (isAsync) for (let i = 0; i < batch; i++) await fn();
    else for (let i = 0; i < batch; i++) fn();
    ops += batch;
    t = performance.now();
  }
  return { ops, wall: t - start, cpu: cpuMs() - cpu0 };
}

/** A seeded PRNG (mulberry32), so runs are repeatable. */
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** 0..n-1 in a random order (Fisher–Yates). */
const shuffled = (n) => {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(`offer tokens: ${ROUNDS} rounds × ${ROUND_MS} ms per subject, interleaved in ${SLICES} slices · node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · load ${loadavg()[0].toFixed(1)} · token ${token.length} chars`);
console.log(`ops/s and ratios by ${CLOCK_LABEL[PRIMARY]}; "wall ×" is the ratio by wall-clock time`);
for (const subject of SUBJECTS) await run(subject, WARMUP_MS);

// Per subject and clock: ops/s in each round.
const samples = new Map(SUBJECTS.map((s) => [s.name, Object.fromEntries(CLOCKS.map((clock) => [clock, []]))]));
for (let round = 0; round < ROUNDS; round++) {
  for (const group of ['sign', 'verify']) {
    const subjects = SUBJECTS.filter((s) => s.group === group);
    const totals = subjects.map(() => ({ ops: 0, wall: 0, cpu: 0 }));
    for (let slice = 0; slice < SLICES; slice++) {
      // A fresh order every slice: no subject always runs first, or always after GC-heavy jose.
      for (const i of shuffled(subjects.length)) {
        const timed = await run(subjects[i], ROUND_MS / SLICES);
        for (const key of Object.keys(totals[i])) totals[i][key] += timed[key];
      }
    }
    subjects.forEach((subject, i) => {
      for (const clock of CLOCKS) samples.get(subject.name)[clock].push(totals[i].ops / (totals[i][clock] / 1000));
    });
  }
  process.stdout.write(`\r  round ${round + 1}/${ROUNDS}`);
}
process.stdout.write('\n\n');

const summary = (values, digits) => {
  const round = (n) => Number(n.toFixed(digits));
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
};

const results = {};
for (const group of ['sign', 'verify']) {
  const subjects = SUBJECTS.filter((s) => s.group === group);
  const baseline = samples.get(subjects.find((s) => s.baseline).name);
  results[group] = subjects.map((s) => {
    const byClock = Object.fromEntries(
      CLOCKS.map((clock) => {
        const ops = samples.get(s.name)[clock];
        const ratios = ops.map((value, round) => value / baseline[clock][round]);
        return [clock, { opsPerSecond: summary(ops, 0), ratio: summary(ratios, 3) }];
      }),
    );
    return { name: s.name, baseline: Boolean(s.baseline), opsPerSecond: byClock[PRIMARY].opsPerSecond, ratio: byClock[PRIMARY].ratio, byClock };
  });
}

const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));
const int = (n) => n.toLocaleString('en-US');
for (const group of ['sign', 'verify']) {
  console.log(`${group.toUpperCase()}   (target for ours: ≥ ${TARGETS[group]}× raw)`);
  console.log(`  ${pad('subject', 46)} ${pad('ops/s median', 13, true)}  ${pad('min–max', 19, true)}  ${pad('spread', 6, true)}  ${pad('× raw', 6, true)}  ${pad('(min–max)', 13, true)}  ${pad('wall ×', 6, true)}`);
  for (const r of results[group]) {
    const spread = `±${(((r.opsPerSecond.max - r.opsPerSecond.min) / 2 / r.opsPerSecond.median) * 100).toFixed(1)}%`;
    const wall = r.byClock.wall.ratio.median.toFixed(2);
    const verdict = r.name === OURS[group] ? (r.ratio.median >= TARGETS[group] ? '  ✓ target' : '  ✗ BELOW TARGET') : '';
    console.log(
      `  ${pad(r.name, 46)} ${pad(int(r.opsPerSecond.median), 13, true)}  ${pad(`${int(r.opsPerSecond.min)}–${int(r.opsPerSecond.max)}`, 19, true)}  ${pad(spread, 6, true)}  ${pad(r.ratio.median.toFixed(2), 6, true)}  ${pad(`(${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)})`, 13, true)}  ${pad(wall, 6, true)}${verdict}`,
    );
  }
  console.log('');
}

const resultsFile = fileURLToPath(new URL('bench/results.json', root));
let existing = {};
try {
  existing = JSON.parse(await readFile(resultsFile, 'utf8'));
} catch {
  // First run, or an unreadable file: start afresh.
}
const ours = (group) => results[group].find((r) => r.name === OURS[group]).ratio.median;
existing.tokens = {
  measuredAt: new Date().toISOString(),
  environment: { node: process.version, platform: `${platform()}-${arch()}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
  method: {
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    slicesPerRound: SLICES,
    warmupMs: WARMUP_MS,
    clock: PRIMARY,
    clocks: CLOCKS,
    ratio: 'median over rounds of subject ops/s ÷ raw baseline ops/s in the same round (same clock)',
    tokenChars: token.length,
    loadAverage: loadavg()[0],
  },
  targets: { verify: { ratio: TARGETS.verify, measured: ours('verify'), met: ours('verify') >= TARGETS.verify }, sign: { ratio: TARGETS.sign, measured: ours('sign'), met: ours('sign') >= TARGETS.sign } },
  ...results,
};
await writeFile(resultsFile, `${JSON.stringify(existing, null, 2)}\n`);
console.log(`wrote bench/results.json (tokens)`);
