import { afterEach } from 'vitest';
import { conformingFetch, takeViolations } from './conformance-recorder';

/*
 * Vitest setup of every test file: each response the tests receive from the API through `fetch`
 * (the test helpers, raw calls, the SDK client, EventSource) is checked against the served
 * `/openapi.json`, and a test whose exchanges broke the document fails when it ends.
 */

const marker = Symbol.for('livedrop.conformingFetch');
const current = globalThis.fetch as typeof fetch & { [marker]?: true };
if (!current[marker]) globalThis.fetch = Object.assign(conformingFetch(current), { [marker]: true as const });

afterEach(async () => {
  const found = await takeViolations();
  if (found.length > 0)
    throw new Error(`Responses that /openapi.json does not document (${found.length}):\n- ${found.join('\n- ')}`);
});
