import { createReferenceServer } from '../../src/server';
import { OpenApiConformance, type ConformanceRequest } from './openapi-conformance';

/*
 * Where the tests' responses meet the conformance check: `conformingFetch` wraps a fetch so every
 * response from the API is checked against the served `/openapi.json`, and the violations wait
 * here until the test ends (conformance-setup.ts fails it then). The response itself is handed
 * back untouched, so a test behaves as it would without the check.
 */

let conformance: Promise<OpenApiConformance> | undefined;
const violations: string[] = [];
/** Origins of servers that misbehave on purpose: not the API, so not held to its document. */
const exempt = new Set<string>();

/**
 * Takes the server at `url` out of the check: for a test server that stands in for the API and
 * answers what the API never would (stalls, lies, fake handlers). Say why where you call it.
 */
export function exemptFromConformance(url: string): void {
  exempt.add(new URL(url).origin);
}

/** The document a reference server serves at `/openapi.json`, read once per test file. */
export function servedConformance(): Promise<OpenApiConformance> {
  conformance ??= (async () => {
    const server = createReferenceServer();
    const response = await server.handle(new Request('http://livedrop.test/openapi.json'));
    if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}.`);
    return new OpenApiConformance(await response.json());
  })();
  return conformance;
}

/** Content types whose body is a stream: a check reads only their head. */
const STREAMED = /^(text\/event-stream|application\/x-ndjson)\b/;

/**
 * Checks one exchange and keeps its violations for the end of the test. The body is read from a
 * clone, except for streams (Server-Sent Events, NDJSON), which are checked by their head.
 */
export async function recordExchange(request: ConformanceRequest, response: Response): Promise<void> {
  if (exempt.has(new URL(request.url).origin)) return;
  const started = performance.now();
  const check = await servedConformance();
  if (!check.covers(request.url)) return;
  const streamed = STREAMED.test(response.headers.get('content-type') ?? '');
  const text = streamed || response.bodyUsed ? undefined : await response.clone().text();
  violations.push(...check.check(request, { status: response.status, headers: response.headers, text }));
  // Compiling a large schema the first time blocks the event loop for a while; overdue timers
  // (a keep-alive socket's close) run before the test's next request, which then opens a new one.
  if (performance.now() - started > 200) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** `fetch` with every API response checked by {@link recordExchange}. */
export function conformingFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    await recordExchange({ method, url }, response);
    return response;
  };
}

const pending = new Set<Promise<void>>();

/**
 * Records an exchange seen by a listener that cannot wait for the check (msw's `response:mocked`
 * event); {@link takeViolations} waits for it.
 */
export function recordLater(request: ConformanceRequest, response: Response): void {
  const done: Promise<void> = recordExchange(request, response)
    .catch((error: unknown) => void violations.push(`${request.method} ${request.url}: ${String(error)}`))
    .finally(() => pending.delete(done));
  pending.add(done);
}

/** The violations recorded since the last call (once every check still running is done), which forgets them. */
export async function takeViolations(): Promise<string[]> {
  await Promise.all([...pending]);
  return violations.splice(0);
}
