import { afterAll, beforeAll, vi } from 'vitest';
import type { Engine } from '../../src/engine';
import { startTestRedis, type TestRedis } from './redis-server';

/*
 * Vitest setup of the `redis` project: the server suites run again with every reference server on
 * the Redis storage. Each test file gets a redis-server of its own; each server made without a
 * `storage` of its own gets a key prefix of its own on it (a fresh platform, as in memory).
 */

const shared = vi.hoisted(() => ({ url: '', made: 0, engines: [] as Engine[] }));

vi.mock('../../src/server', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/server')>();
  const { redisStore } = await import('../../src/storage/redis/redis-store');
  return {
    ...actual,
    createReferenceServer: (options: Parameters<typeof actual.createReferenceServer>[0] = {}) => {
      if (options.storage) return actual.createReferenceServer(options);
      const server = actual.createReferenceServer({
        ...options,
        storage: redisStore(shared.url, { prefix: `server${++shared.made}` }),
      });
      shared.engines.push(server.engine);
      return server;
    },
  };
});

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
  shared.url = redis.url;
});
afterAll(async () => {
  await Promise.all(shared.engines.splice(0).map((engine) => engine.close().catch(() => {})));
  await redis?.stop();
});
