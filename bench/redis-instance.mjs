#!/usr/bin/env node
/**
 * One more reference-server instance on Redis, in its own process (forked by bench/redis.bench.mjs),
 * as a second machine of a deployment would be: its tail, its replica and its SSE fan-out take their
 * own CPU rather than the first instance's. It answers IPC messages:
 *
 *   { type: 'start', id, redisUrl, prefix, startMs } → { type: 'started', id, url }
 *     starts a server on a manual clock at `startMs`, with `redisStore(redisUrl, { prefix })`.
 *   { type: 'exit' } closes it.
 *
 * It sends { type: 'ready' } once listening for messages.
 */
import { importBuilt } from './support/workspace.mjs';

const { createManualClock } = await importBuilt('packages/mock-server/dist/index.js');
const { startReferenceServer, redisStore } = await importBuilt('packages/mock-server/dist/node/index.js');

let instance;
process.on('message', async (message) => {
  if (message.type === 'start') {
    try {
      instance = await startReferenceServer({
        clock: createManualClock(message.startMs),
        storage: redisStore(message.redisUrl, { prefix: message.prefix }),
        streams: { heartbeatIntervalMs: 600_000 },
      });
      await instance.server.engine.ready();
      process.send({ type: 'started', id: message.id, url: instance.url });
    } catch (error) {
      process.send({ type: 'error', id: message.id, message: String(error?.stack ?? error) });
    }
  } else if (message.type === 'exit') {
    await instance?.close();
    process.disconnect();
  }
});
process.send({ type: 'ready' });
