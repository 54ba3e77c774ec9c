// Bundle budgets from DESIGN.md ("Targets"), checked by `pnpm size` (part of `pnpm test`).
//
// Every check bundles a built file with esbuild, all dependencies included (zod, ky, ...),
// minified and gzipped. Each names the import a user would write.
//
// Design targets: core's browser entry (client + schemas + realtime) 20 kB; the checkout widget's
// IIFE 25 kB. Both measure more today (see docs/decisions/0004-browser-bundle-budget.md): their
// checks are ratchets at today's size that stop growth, labelled with the target they still miss.

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
    name: '@livedrop/core: createPublicClient (the browser client: hydrate, tokens, reservations, session stream) — ratchet; design target 20 kB',
    path: 'packages/core/dist/index.js',
    import: '{ createPublicClient, isLiveDropError }',
    gzip: true,
    limit: '25.5 kB',
  },
  {
    name: '@livedrop/core: createClient (every resource + realtime) — ratchet (see docs/decisions/0004)',
    path: 'packages/core/dist/index.js',
    import: '{ createClient, isLiveDropError }',
    gzip: true,
    limit: '27 kB',
  },
  {
    name: '@livedrop/checkout: the script-tag widget (IIFE, every dependency included) — ratchet; design target 25 kB',
    path: 'packages/checkout/dist/livedrop-checkout.global.js',
    gzip: true,
    limit: '33.5 kB',
  },
];
