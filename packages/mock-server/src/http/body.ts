import { ApiProblem } from '../problem';
import type { ServerRequest } from './server-request';

/** The largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Bodies over the limit are still read (and discarded) up to this size, so the client receives
 * the 413 instead of a connection reset while it is still sending; beyond it the read is cut.
 */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/** Where the request journal is told what body was read: its size and digest. */
export interface BodySeen {
  bodySize: number;
  bodySha256: string | null;
}

/**
 * Reads a JSON request body without trusting `Content-Length`: stops reading past the limit
 * (413 `payload_too_large`) and refuses text that is not JSON (400 `malformed_json`).
 * An empty body reads as `undefined`. With `seen`, records the size and the SHA-256 (`hash`) of
 * the text read, before parsing it (a malformed body is journaled too).
 */
export async function readJsonBody(
  request: ServerRequest,
  limit = MAX_BODY_BYTES,
  seen: BodySeen | null = null,
  hash: ((text: string) => string) | null = null,
): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > DRAIN_LIMIT_BYTES) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  await request.readBody((chunk) => {
    size += chunk.byteLength;
    if (size <= limit) chunks.push(chunk);
    return size <= DRAIN_LIMIT_BYTES;
  });
  if (size > limit) throw tooLarge(limit);
  if (size === 0) return undefined;
  const text = chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(concat(chunks, size));
  if (seen !== null && hash !== null) {
    seen.bodySize = size;
    seen.bodySha256 = hash(text);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem(
      'malformed_json',
      `The body is not valid JSON (${(error as Error).message}); send a JSON object with Content-Type: application/json.`,
    );
  }
}

const decoder = new TextDecoder();

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(limit: number): ApiProblem {
  return new ApiProblem('payload_too_large', `The body is larger than ${limit} bytes; send less.`);
}
