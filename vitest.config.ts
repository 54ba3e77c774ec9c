import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/** The server suites that run on the Redis storage as well as in memory. */
const REDIS_SUITES = [
  'reservations',
  'orders',
  'tokens',
  'offers',
  'sessions',
  'webhooks',
  'idempotency-bounds',
  'buyer-sessions',
  'dashboard',
  'event-retention',
  'export',
  'listing',
  'trust',
  'parties',
  'confirm-throttle',
  'control',
  'fixtures',
  'reservations-list',
  'public-views',
  'warmup',
  'webhook-endpoints',
  'money-api.property',
  'interleavings',
  'dashboard-totals',
  'cloudevents',
  'streams',
];

/** Tests run against the sources; the packaging check covers the built output. */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@livedrop\/core\/openapi$/, replacement: src('core/src/openapi/index.ts') },
      { find: /^@livedrop\/core$/, replacement: src('core/src/index.ts') },
      { find: /^@livedrop\/node$/, replacement: src('node/src/index.ts') },
      { find: /^@livedrop\/browser$/, replacement: src('browser/src/index.ts') },
      { find: /^@livedrop\/mock-server\/node$/, replacement: src('mock-server/src/node/index.ts') },
      { find: /^@livedrop\/mock-server$/, replacement: src('mock-server/src/index.ts') },
      { find: /^@livedrop\/checkout\/page$/, replacement: src('checkout/src/page.ts') },
      { find: /^@livedrop\/checkout$/, replacement: src('checkout/src/index.ts') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'memory',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            'demo/test/**/*.test.ts',
          ],
          typecheck: {
            enabled: true,
            include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
          // Every API response a test receives is checked against the served /openapi.json.
          setupFiles: ['packages/mock-server/test/support/conformance-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The server suites again, every reference server on the Redis storage (its own redis-server per file).
          name: 'redis',
          include: REDIS_SUITES.map((suite) => `packages/mock-server/test/${suite}.test.ts`),
          setupFiles: [
            'packages/mock-server/test/support/conformance-setup.ts',
            'packages/mock-server/test/support/redis-storage-setup.ts',
          ],
        },
      },
    ],
  },
});
