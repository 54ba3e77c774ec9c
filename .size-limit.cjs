// Bundle budgets from DESIGN.md ("Targets"), checked by `pnpm size` (part of `pnpm test`).
//
// Every check measures a built file from `pnpm build`, bundled by esbuild with all of its
// dependencies (zod, ky, ...), minified and gzipped (`gzip: true`; size-limit's default would
// be brotli). `import: '*'` keeps every export, so a budget holds for a user who imports the
// whole entry, not only for the best-case tree-shaken import.
//
// Add a check here when its file exists; size-limit fails on a missing file. Next in line:
//
//   {
//     name: '@livedrop/checkout: widget script-tag bundle (IIFE)',
//     path: 'packages/checkout/dist/livedrop-checkout.iife.js',
//     gzip: true,
//     limit: '25 kB',
//   },
//
// (an IIFE has no exports, so it takes no `import`; esbuild bundles it as it is.)

/** @type {import('size-limit').SizeLimitConfig} */
module.exports = [
  {
    name: '@livedrop/core: browser entry (client + schemas + realtime)',
    path: 'packages/core/dist/index.js',
    import: '*',
    gzip: true,
    limit: '20 kB',
  },
];
