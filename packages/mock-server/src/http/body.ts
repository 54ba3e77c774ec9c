import { ApiProblem } from '../problem';
import { unsafeJsonErrors } from './json-hygiene';
import type { ServerRequest } from './server-request';

/** The largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The largest body a publishable key may send: 16 KiB. Its routes take a token, a quantity, a
 * client secret — a few hundred bytes — and the key is public, so anything larger is refused
 * before it is decoded or parsed (and never reaches an idempotency record).
 */
export const PUBLISHABLE_MAX_BODY_BYTES = 16 * 1024;

/** `application/json`, or any `+json` type, with parameters (`; charset=utf-8`) allowed. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Where the request journal is told what body was read: its size and digest. */
export interface BodySeen {
  bodySize: number;
  bodySha256: string | null;
}

/**
 * Reads a JSON request body without trusting `Content-Length`: stops reading past the limit
 * (413 `payload_too_large`), refuses a body not sent as JSON (415 `unsupported_media_type`), text
 * that is not JSON (400 `malformed_json`), and JSON no field may hold: prototype keys and lone
 * surrogates (400 `validation_failed` naming the field). An empty body reads as `undefined`. With
 * `seen`, records the size and the SHA-256 (`hash`) of the text read, before parsing it (a
 * malformed body is journaled too).
 */
export async function readJsonBody(
  request: ServerRequest,
  limit = MAX_BODY_BYTES,
  seen: BodySeen | null = null,
  hash: ((text: string) => string) | null = null,
): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  // Refused unread: the transport discards the rest of an announced body after the answer.
  if (declared > limit) throw tooLarge(limit);
  const contentType = request.headers.get('content-type');
  // Checked before a byte is read when the body is announced; a body with no length announced is checked once read.
  if (declared > 0 && !isJson(contentType)) throw unsupported(contentType);
  const chunks: Uint8Array[] = [];
  let size = 0;
  await request.readBody((chunk) => {
    size += chunk.byteLength;
    if (size > limit) return false;
    chunks.push(chunk);
    return true;
  });
  if (size > limit) throw tooLarge(limit);
  if (size === 0) return undefined;
  if (!isJson(contentType)) throw unsupported(contentType);
  const text = chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(concat(chunks, size));
  if (seen !== null && hash !== null) {
    seen.bodySize = size;
    seen.bodySha256 = hash(text);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem(
      'malformed_json',
      `The body is not valid JSON (${(error as Error).message}); send a JSON object with Content-Type: application/json.`,
    );
  }
  const errors = unsafeJsonErrors(parsed);
  if (errors.length > 0)
    throw new ApiProblem('validation_failed', `The request body is invalid: ${errors[0]!.message}`, { errors });
  return parsed;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && JSON_MEDIA_TYPE.test(contentType);
}

function unsupported(contentType: string | null): ApiProblem {
  return new ApiProblem(
    'unsupported_media_type',
    `The body is sent as ${contentType === null ? 'no media type' : `"${contentType}"`}; send JSON with Content-Type: application/json.`,
  );
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
