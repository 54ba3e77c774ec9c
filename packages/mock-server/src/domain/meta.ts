import { createOpenApiDocument } from '@livedrop/core/openapi';
import type { Handlers } from '../http/handler';

/**
 * Serialized documents by request origin. The document only varies with `servers[0].url`; the
 * bound keeps a client that varies the `Host` header from growing the cache.
 */
const documents = new Map<string, string>();
const MAX_CACHED_ORIGINS = 16;

function documentFor(origin: string): string {
  let text = documents.get(origin);
  if (text === undefined) {
    text = JSON.stringify(createOpenApiDocument({ serverUrl: origin }));
    if (documents.size >= MAX_CACHED_ORIGINS) documents.delete(documents.keys().next().value!);
    documents.set(origin, text);
  }
  return text;
}

/** `GET /openapi.json`: the OpenAPI 3.1 document, with `servers` pointing at the origin that was asked. */
export const metaHandlers = {
  getOpenApi({ request }) {
    // Served pre-serialized: the document is large and never changes for an origin.
    return { status: 200, json: documentFor(new URL(request.url).origin) };
  },
} satisfies Handlers;
