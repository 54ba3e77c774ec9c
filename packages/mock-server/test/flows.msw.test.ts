import { setupServer } from 'msw/node';
import { createManualClock } from '../src/clock';
import { createHandlers } from '../src/msw';
import { createReferenceServer } from '../src/server';
import { defineFlowSuite } from './flows';

defineFlowSuite('core flows through msw (setupServer, no socket)', async () => {
  const server = createReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
  const baseUrl = 'https://api.livedrop.test';
  const mocks = setupServer(...createHandlers(server, { baseUrl }));
  // Anything not answered by the reference server is a bug in the suite, not a reason to hit the network.
  mocks.listen({ onUnhandledRequest: 'error' });
  return { baseUrl, keys: server.keys, controlKey: server.controlKey, dispose: async () => mocks.close() };
});
