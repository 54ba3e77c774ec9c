// Bundle budgets from DESIGN.md ("Targets"), checked by `pnpm size` (part of `pnpm test`).
//
// Every check bundles a built file with esbuild, all dependencies included (zod, ky, ...),
// minified and gzipped. Each names the import a user would write.
//
// The design's target for core's browser entry (client + schemas + realtime) is 20 kB. The full
// client measures more today (see docs/decisions/0004-browser-bundle-budget.md), so its check is a
// ratchet at today's size that stops growth, until the browser client lands under 20 kB.

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
    name: '@livedrop/core: createPublicClient (the browser client: hydrate, tokens, reservations, session stream) — design target',
    path: 'packages/core/dist/index.js',
    import: '{ createPublicClient, isLiveDropError }',
    gzip: true,
    limit: '20 kB',
  },
  {
    name: '@livedrop/core: createClient (every resource + realtime) — ratchet (see docs/decisions/0004)',
    path: 'packages/core/dist/index.js',
    import: '{ createClient, isLiveDropError }',
    gzip: true,
    limit: '36 kB',
  },
  {
    name: '@livedrop/checkout: the script-tag widget (IIFE, every dependency included)',
    path: 'packages/checkout/dist/livedrop-checkout.global.js',
    gzip: true,
    limit: '25 kB',
  },
];
