import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { defineFlowSuite } from './flows';

defineFlowSuite('core flows over HTTP (node:http on port 0)', async () => {
  const ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
  return { baseUrl: ld.url, keys: ld.server.keys, controlKey: ld.server.controlKey, dispose: () => ld.close() };
});
