import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { defineFlowSuite } from './flows';
import { yieldingStorage } from './support/yielding-storage';

// The same flows on a storage that yields to the event loop inside every call, as a store across a
// network does: any "no await between check and write" assumption left in the server shows here.
defineFlowSuite('core flows over HTTP on a storage that yields inside every call', async () => {
  const ld = await startReferenceServer({
    clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')),
    storage: yieldingStorage(true),
  });
  return { baseUrl: ld.url, keys: ld.server.keys, controlKey: ld.server.controlKey, dispose: () => ld.close() };
});
