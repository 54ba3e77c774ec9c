import { setupServer } from 'msw/node';
import { createManualClock } from '../src/clock';
import { createHandlers } from '../src/msw';
import { createReferenceServer } from '../src/server';
import { defineFlowSuite } from './flows';
import { recordLater } from './support/conformance-recorder';

defineFlowSuite('core flows through msw (setupServer, no socket)', async () => {
  const server = createReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
  const baseUrl = 'https://api.livedrop.test';
  const mocks = setupServer(...createHandlers(server, { baseUrl }));
  // Anything not answered by the reference server is a bug in the suite, not a reason to hit the network.
  mocks.listen({ onUnhandledRequest: 'error' });
  // msw answers before the checked fetch: its responses are checked here.
  mocks.events.on('response:mocked', ({ request, response }) =>
    recordLater({ method: request.method, url: request.url }, response),
  );
  return { baseUrl, keys: server.keys, controlKey: server.controlKey, dispose: async () => mocks.close() };
});
