import { createOpenApiDocument } from '@livedrop/core/openapi';
import type { Handlers } from '../http/handler';

/** Stands in for the origin in the serialized document; nothing else in the document can contain it. */
const ORIGIN_PLACEHOLDER = '\u0000livedrop-origin\u0000';

/**
 * The document serialized once, cut where `servers[0].url` goes: it varies only with the server URL,
 * so a request costs a concatenation rather than a serialization.
 */
let documentParts: readonly [string, string] | undefined;

function documentFor(serverUrl: string): string {
  if (!documentParts) {
    const text = JSON.stringify(createOpenApiDocument({ serverUrl: ORIGIN_PLACEHOLDER }));
    const parts = text.split(JSON.stringify(ORIGIN_PLACEHOLDER));
    if (parts.length !== 2)
      throw new Error(`The OpenAPI document names its server URL ${parts.length - 1} times; expected once.`);
    documentParts = [parts[0]!, parts[1]!];
  }
  return `${documentParts[0]}${JSON.stringify(serverUrl)}${documentParts[1]}`;
}

/** `GET /openapi.json`: the OpenAPI 3.1 document, with `servers` naming the configured `publicUrl`. */
export const metaHandlers = {
  getOpenApi({ engine }) {
    // Served pre-serialized: the document is large and never changes for a server URL.
    return { status: 200, json: documentFor(engine.config.publicUrl) };
  },
} satisfies Handlers;
