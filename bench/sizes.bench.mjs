#!/usr/bin/env node
/**
 * Bundle sizes of what a browser imports, min+gzip with every dependency included (DESIGN.md,
 * "Targets": core's browser entry — client + schemas + realtime — ≤ 20 kB; the checkout widget
 * ≤ 25 kB). Each entry is bundled from the BUILT files with esbuild's API (the esbuild tsup brings),
 * for the browser, as ESM, minified and tree-shaken, then gzipped with zlib at level 9 — the way
 * size-limit's esbuild preset measures (`pnpm size` enforces the budgets; this reports them).
 * The widget's script-tag file is measured as shipped: its build already bundled and minified it.
 * 1 kB = 1,000 bytes, as size-limit counts.
 *
 *   node bench/sizes.bench.mjs
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableRow, writeSection } from './support/results-file.mjs';
import { renderTable } from './support/results-table.mjs';
import { importFrom, ROOT } from './support/workspace.mjs';

const { build } = await importFrom('node_modules/tsup/package.json', 'esbuild');
const SCHEMAS = '{ SessionView, Offer, Reservation, Order, IssuedToken, Problem, LiveDropEvent }';

const ENTRIES = [
  {
    id: 'size-core-client',
    name: 'core: { createPublicClient, isLiveDropError }',
    file: 'packages/core/dist/index.js',
    code: (from) => `export { createPublicClient, isLiveDropError } from '${from}';`,
    limitKb: 20,
    note: "the browser's client: hydrate, tokens, reservations, session stream, with their schemas",
  },
  {
    id: 'size-core-full-client',
    name: 'core: { createClient, isLiveDropError } (every route; for servers)',
    file: 'packages/core/dist/index.js',
    code: (from) => `export { createClient, isLiveDropError } from '${from}';`,
  },
  {
    id: 'size-core-schemas',
    name: `core: the schemas a browser validates with`,
    file: 'packages/core/dist/index.js',
    code: (from) => `export ${SCHEMAS} from '${from}';`,
  },
  {
    id: 'size-core-all',
    name: 'core: import * (adds token + webhook verify, money)',
    file: 'packages/core/dist/index.js',
    code: (from) => `export * from '${from}';`,
  },
  {
    id: 'size-browser-client',
    name: '@livedrop/browser: { createPublicClient }',
    file: 'packages/browser/dist/index.js',
    code: (from) => `export { createPublicClient } from '${from}';`,
    limitKb: 20,
    note: 'the browser entry, with jitless zod and reconnect signals',
  },
];

/** min+gzip bytes of `code` bundled for the browser. */
async function minGzip(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: fileURLToPath(ROOT), loader: 'js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

const rows = [];
const details = [];
for (const entry of ENTRIES) {
  if (!existsSync(new URL(entry.file, ROOT))) {
    console.log(`  ${entry.name}: ${entry.file} is not built — skipped`);
    continue;
  }
  const { minified, gzipped } = await minGzip(entry.code(`./${entry.file}`));
  details.push({ id: entry.id, import: entry.code(entry.file), minifiedBytes: minified, gzippedBytes: gzipped });
  rows.push(sizeRow(entry.id, entry.name, gzipped, entry.limitKb));
}

// The checkout widget: its script-tag (IIFE) bundle if one is built, else its ESM entry with everything it imports.
const checkoutDist = new URL('packages/checkout/dist/', ROOT);
const iife = existsSync(checkoutDist)
  ? readdirSync(checkoutDist).find((name) => /\.(global|iife)(\.min)?\.js$/.test(name))
  : undefined;
if (iife) {
  // The file as shipped (already bundled and minified by its build), gzipped: what a page downloads.
  const bytes = readFileSync(new URL(iife, checkoutDist));
  const minified = bytes.length;
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  details.push({
    id: 'size-checkout',
    import: `packages/checkout/dist/${iife}`,
    minifiedBytes: minified,
    gzippedBytes: gzipped,
  });
  rows.push(sizeRow('size-checkout', `checkout widget (${iife})`, gzipped, 25));
} else if (existsSync(new URL('index.js', checkoutDist))) {
  const { minified, gzipped } = await minGzip(`import './packages/checkout/dist/index.js';`);
  details.push({
    id: 'size-checkout',
    import: 'packages/checkout/dist/index.js (no IIFE built)',
    minifiedBytes: minified,
    gzippedBytes: gzipped,
  });
  rows.push({
    ...sizeRow('size-checkout', 'checkout widget (ESM entry; no IIFE built yet)', gzipped, 25),
    ...(gzipped < 100 ? { met: null, target: '≤ 25 kB (widget not built yet)' } : {}),
  });
}

function sizeRow(id, name, gzipped, limitKb) {
  return tableRow({
    id,
    name: `size: ${name}`,
    unit: 'kB',
    better: 'lower',
    ours: { name, median: gzipped / 1000, min: gzipped / 1000, max: gzipped / 1000 },
    baseline: null,
    ratio: null,
    ...(limitKb === undefined
      ? {}
      : { target: `≤ ${limitKb} kB`, targets: [{ on: 'ours', op: '<=', value: limitKb }] }),
  });
}

console.log(
  `sizes: min+gzip, esbuild (browser, ESM, minified, all dependencies), gzip level 9\n\n${renderTable(rows)}\n`,
);
await writeSection('sizes', {
  method: {
    bundler: 'esbuild API (bundle, minify, tree-shake, platform browser, ESM, es2022)',
    compression: 'zlib gzip level 9',
    unit: '1 kB = 1000 bytes',
  },
  rows,
  bundles: details,
});
console.log('wrote bench/results.json (sizes)');
