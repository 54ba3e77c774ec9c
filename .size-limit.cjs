// Bundle budgets from DESIGN.md ("Targets"), checked by `pnpm size` (part of `pnpm test`).
//
// Each check names the import a user would write and bundles it from the built files with esbuild,
// all dependencies included (zod, ...), minified and gzipped; the widget's script-tag file is
// measured as shipped (its build already bundled and minified it). See
// docs/decisions/0004-browser-bundle-budget.md for how the budgets are met.

/** @type {import('size-limit').SizeLimitConfig} */
module.exports = [
  {
    name: '@livedrop/core: the contract a browser validates with (schemas, no client)',
    path: 'packages/core/dist/index.js',
    import: '{ SessionView, Offer, Reservation, Order, IssuedToken, Problem, LiveDropEvent }',
    gzip: true,
    limit: '20 kB',
  },
  {
    name: "@livedrop/core: createPublicClient — core's browser entry (client + schemas + realtime); design target 20 kB",
    path: 'packages/core/dist/index.js',
    import: '{ createPublicClient, isLiveDropError }',
    gzip: true,
    limit: '20 kB',
  },
  {
    name: '@livedrop/browser: createPublicClient with jitless zod and reconnect signals',
    path: 'packages/browser/dist/index.js',
    import: '{ createPublicClient }',
    gzip: true,
    limit: '20 kB',
  },
  {
    name: '@livedrop/core: createClient (every route, for servers; no browser budget) — ratchet (decision 0004)',
    path: 'packages/core/dist/index.js',
    import: '{ createClient, isLiveDropError }',
    gzip: true,
    limit: '26 kB',
  },
  {
    name: '@livedrop/checkout: the script-tag widget (IIFE, every dependency included); 26 kB ratchet (DESIGN.md targets 25 kB; decision 0004 says why)',
    path: 'packages/checkout/dist/livedrop-checkout.global.js',
    // Measured as shipped: esbuild's `copy` loader passes the built file through unchanged.
    modifyEsbuildConfig: (config) => ({ ...config, loader: { ...config.loader, '.js': 'copy' } }),
    gzip: true,
    limit: '26 kB',
  },
];
