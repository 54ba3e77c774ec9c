#!/usr/bin/env node
/**
 * Offer-token throughput, as ratios to raw node:crypto Ed25519 in the same process (DESIGN.md, "Targets"):
 * verify ≥ 0.9× and sign ≥ 0.8× a bare `crypto.verify` / `crypto.sign` of the same bytes with the same KeyObject.
 *
 * Imports the BUILT @livedrop/node (run `pnpm build` first), plus jose and fast-jwt for comparison.
 * Every subject runs ROUND_MS in each of ROUNDS rounds; within a round the subjects of a group (sign,
 * verify) take turns in SLICES shuffled slices, so a change in machine load hits them alike. A
 * subject's ratio is the median over rounds of (its ops/s ÷ the raw baseline's ops/s in that round).
 * Writes the "tokens" section of bench/results.json (rows for the two targets, plus every subject).
 *
 *   node bench/tokens.bench.mjs [--rounds 7] [--round-ms 500]
 */
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { seededRandom, spread } from './support/stats.mjs';
import { importBuilt, importFrom } from './support/workspace.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, 'round-ms': { type: 'string', default: '500' } },
});
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const WARMUP_MS = 300;
const SLICES = 50;
const TARGETS = { sign: 0.8, verify: 0.9 };

const livedrop = await importBuilt('packages/node/dist/index.js');
// jose is a dependency of core and a devDependency of node, not of the root: resolve it from there.
const jose = await importFrom('packages/node/package.json', 'jose');
const { createSigner, createVerifier } = (await importFrom('package.json', 'fast-jwt')).default;

// --- one key, one set of claims, one token for every verifier -------------------------------------
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

// Ours get the very KeyObjects the raw baselines use.
const signer = livedrop.createOfferTokenSigner({ privateKey, kid: KID, issuer: ISSUER });
const verifier = livedrop.createOfferTokenVerifier({ publicKeys: new Map([[KID, publicKey]]), issuer: ISSUER });
const token = signer.sign(claims);
const lastDot = token.lastIndexOf('.');
const signingInput = Buffer.from(token.slice(0, lastDot));
const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
const jwks = {
  keys: [{ ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: KID, alg: 'EdDSA', use: 'sig' }],
};

const joseHeader = { alg: 'EdDSA', kid: KID, typ: 'offer+jwt' };
const josePrivate = await jose.importPKCS8(privatePem, 'EdDSA');
const josePublic = await jose.importSPKI(publicPem, 'EdDSA');
const joseVerifyOptions = { algorithms: ['EdDSA'], typ: 'offer+jwt', audience: AUD, issuer: ISSUER, clockTolerance: 5 };

// fast-jwt keeps the payload's own iat; its result cache stays off (the default), or it would verify nothing.
const fastSign = createSigner({ algorithm: 'EdDSA', key: privatePem, kid: KID, header: { typ: 'offer+jwt' } });
const fastVerify = createVerifier({
  algorithms: ['EdDSA'],
  key: publicPem,
  allowedAud: AUD,
  allowedIss: ISSUER,
  clockTolerance: 5,
});

// Every subject must do the real work and agree on the result before it is timed.
const check = (label, ok) => {
  if (!ok) throw new Error(`benchmark self-check failed: ${label}`);
};
check('raw verify', cryptoVerify(null, signingInput, publicKey, signature));
check('ours verify', verifier.verify(token).jti === claims.jti);
check('core verify', (await livedrop.verifyOfferToken(token, { jwks, issuer: ISSUER })).jti === claims.jti);
check('jose verify', (await jose.jwtVerify(token, josePublic, joseVerifyOptions)).payload.jti === claims.jti);
check('fast-jwt verify', fastVerify(token).jti === claims.jti);
check(
  'jose token',
  verifier.verify(await new jose.SignJWT(fullClaims).setProtectedHeader(joseHeader).sign(josePrivate)).jti ===
    claims.jti,
);
check('fast-jwt token', verifier.verify(fastSign(fullClaims)).jti === claims.jti);
check('ours signs the same bytes every time', signer.sign(claims) === token);

const SUBJECTS = [
  {
    group: 'sign',
    key: 'raw',
    name: 'node:crypto Ed25519 sign (raw)',
    fn: () => cryptoSign(null, signingInput, privateKey),
  },
  { group: 'sign', key: 'ours', name: '@livedrop/node createOfferTokenSigner', fn: () => signer.sign(claims) },
  {
    group: 'sign',
    key: 'jose',
    name: 'jose SignJWT',
    async: true,
    fn: () => new jose.SignJWT(fullClaims).setProtectedHeader(joseHeader).sign(josePrivate),
  },
  { group: 'sign', key: 'fast-jwt', name: 'fast-jwt createSigner', fn: () => fastSign(fullClaims) },
  {
    group: 'verify',
    key: 'raw',
    name: 'node:crypto Ed25519 verify (raw)',
    fn: () => cryptoVerify(null, signingInput, publicKey, signature),
  },
  { group: 'verify', key: 'ours', name: '@livedrop/node createOfferTokenVerifier', fn: () => verifier.verify(token) },
  {
    group: 'verify',
    key: 'core',
    name: '@livedrop/core verifyOfferToken (jose + zod)',
    async: true,
    fn: () => livedrop.verifyOfferToken(token, { jwks, issuer: ISSUER }),
  },
  {
    group: 'verify',
    key: 'jose',
    name: 'jose jwtVerify',
    async: true,
    fn: () => jose.jwtVerify(token, josePublic, joseVerifyOptions),
  },
  { group: 'verify', key: 'fast-jwt', name: 'fast-jwt createVerifier', fn: () => fastVerify(token) },
];
const GROUPS = ['sign', 'verify'];

/*
 * Clocks. The machine may be shared (CI runners, parallel jobs): wall time then charges a subject for
 * whatever else ran while it was timed, and in trial runs on a loaded machine even a second copy of
 * the raw baseline drifted ±10% from the first. CPU time of this process counts only what the
 * subject itself cost, on every thread (GC helpers, and the thread pool where jose's WebCrypto
 * calls run), and kept that copy within 1%; so the ratios use it. Wall-clock ratios are printed
 * beside them, and both are written to results.json.
 */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const CLOCKS = ['cpu', 'wall'];

/** Runs `fn` for about `ms` of wall time, in batches so clocks are read rarely; returns ops and ms on each clock. */
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

console.log(
  `offer tokens: ${ROUNDS} rounds × ${ROUND_MS} ms per subject in ${SLICES} shuffled slices · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load ${loadavg()[0].toFixed(1)} · token ${token.length} chars`,
);
for (const subject of SUBJECTS) await run(subject, WARMUP_MS);

const random = seededRandom();
// ops/s per subject, clock and round.
const samples = new Map(SUBJECTS.map((s) => [s, { cpu: [], wall: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const group of GROUPS) {
    const subjects = SUBJECTS.filter((s) => s.group === group);
    const totals = subjects.map(() => ({ ops: 0, wall: 0, cpu: 0 }));
    for (let slice = 0; slice < SLICES; slice++) {
      // A fresh order every slice: no subject always runs first, or always right after GC-heavy jose.
      const order = subjects.map((_, index) => index).sort(() => random() - 0.5);
      for (const index of order) {
        const timed = await run(subjects[index], ROUND_MS / SLICES);
        for (const key of Object.keys(timed)) totals[index][key] += timed[key];
      }
    }
    subjects.forEach((subject, index) => {
      for (const clock of CLOCKS) samples.get(subject)[clock].push(totals[index].ops / (totals[index][clock] / 1000));
    });
  }
  const ratioNow = (group) => {
    const [raw, ours] = ['raw', 'ours'].map((key) =>
      samples.get(SUBJECTS.find((s) => s.group === group && s.key === key)).cpu.at(-1),
    );
    return (ours / raw).toFixed(2);
  };
  console.log(`  round ${round + 1}/${ROUNDS}: sign ${ratioNow('sign')}× raw · verify ${ratioNow('verify')}× raw`);
}

const ratiosOf = (subject, clock) => {
  const raw = samples.get(SUBJECTS.find((s) => s.group === subject.group && s.key === 'raw'))[clock];
  return samples.get(subject)[clock].map((value, round) => value / raw[round]);
};

const subjects = Object.fromEntries(
  GROUPS.map((group) => [
    group,
    SUBJECTS.filter((s) => s.group === group).map((s) => ({
      key: s.key,
      name: s.name,
      opsPerSecond: spread(samples.get(s).cpu, 0),
      ratio: spread(ratiosOf(s, 'cpu')),
      wallClock: { opsPerSecond: spread(samples.get(s).wall, 0), ratio: spread(ratiosOf(s, 'wall')) },
    })),
  ]),
);

const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));
const int = (n) => n.toLocaleString('en-US');
console.log(
  '\nops/s by process CPU time (median, min–max over rounds); ratios to raw per round, median (min–max); "wall ×" by wall-clock time',
);
for (const group of GROUPS) {
  console.log(`\n${group.toUpperCase()} — target for ours ≥ ${TARGETS[group]}× raw`);
  console.log(
    `  ${pad('subject', 46)} ${pad('ops/s', 9, true)}  ${pad('min–max', 17, true)}  ${pad('spread', 7, true)}  ${pad('× raw', 5, true)}  ${pad('(min–max)', 11, true)}  ${pad('wall ×', 6, true)}`,
  );
  for (const s of subjects[group]) {
    const half = ((s.opsPerSecond.max - s.opsPerSecond.min) / 2 / s.opsPerSecond.median) * 100;
    console.log(
      `  ${pad(s.name, 46)} ${pad(int(s.opsPerSecond.median), 9, true)}  ${pad(`${int(s.opsPerSecond.min)}–${int(s.opsPerSecond.max)}`, 17, true)}  ${pad(`±${half.toFixed(1)}%`, 7, true)}  ${pad(s.ratio.median.toFixed(2), 5, true)}  ${pad(`(${s.ratio.min.toFixed(2)}–${s.ratio.max.toFixed(2)})`, 11, true)}  ${pad(s.wallClock.ratio.median.toFixed(2), 6, true)}`,
    );
  }
}

const rows = GROUPS.map((group) => {
  const [raw, ours] = ['raw', 'ours'].map((key) => subjects[group].find((s) => s.key === key));
  return tableRow({
    id: `token-${group}`,
    name: `offer-token ${group} throughput`,
    unit: 'ops/s',
    better: 'higher',
    ours: { name: ours.name, ...ours.opsPerSecond },
    baseline: { name: raw.name, ...raw.opsPerSecond },
    ratio: ours.ratio,
    target: `≥ ${TARGETS[group]}×`,
    targets: [{ on: 'ratio', op: '>=', value: TARGETS[group] }],
  });
});
console.log(`\n${renderTable(rows)}\n`);

await writeSection('tokens', {
  method: {
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    slicesPerRound: SLICES,
    warmupMs: WARMUP_MS,
    measure:
      'ops per second of process CPU time (user + system, all threads); wallClock holds the same by wall-clock time',
    ratio: 'median over rounds of subject ops/s ÷ raw node:crypto ops/s in the same round',
    tokenChars: token.length,
    loadAverage: loadavg()[0],
  },
  rows,
  subjects,
});
console.log('wrote bench/results.json (tokens)');
