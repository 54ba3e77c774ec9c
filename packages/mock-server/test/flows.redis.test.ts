import { afterAll, beforeAll } from 'vitest';
import { createManualClock } from '../src/clock';
import { redisStore, startReferenceServer } from '../src/node';
import { defineFlowSuite } from './flows';
import { startTestRedis, type TestRedis } from './support/redis-server';

// The same flows on the Redis storage: records, events, jobs and keys in a redis-server of this
// file's own, each flow under a key prefix of its own.
let redis: TestRedis;
let flows = 0;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());

defineFlowSuite('core flows over HTTP on the Redis storage', async () => {
  const ld = await startReferenceServer({
    clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')),
    storage: redisStore(redis.url, { prefix: `flow${++flows}` }),
  });
  return { baseUrl: ld.url, keys: ld.server.keys, controlKey: ld.server.controlKey, dispose: () => ld.close() };
});
