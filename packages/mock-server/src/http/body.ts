import { ApiProblem } from '../problem';

/** The largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Bodies over the limit are still read (and discarded) up to this size, so the client receives
 * the 413 instead of a connection reset while it is still sending; beyond it the read is cut.
 */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/**
 * Reads a JSON request body without trusting `Content-Length`: stops reading past the limit
 * (413 `payload_too_large`) and refuses text that is not JSON (400 `malformed_json`).
 * An empty body reads as `undefined`.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > DRAIN_LIMIT_BYTES) throw tooLarge(limit);
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DRAIN_LIMIT_BYTES) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    if (size <= limit) chunks.push(value);
  }
  if (size > limit) throw tooLarge(limit);
  if (size === 0) return undefined;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem('malformed_json', `The body is not valid JSON (${(error as Error).message}); send a JSON object with Content-Type: application/json.`);
  }
}

function tooLarge(limit: number): ApiProblem {
  return new ApiProblem('payload_too_large', `The body is larger than ${limit} bytes; send less.`);
}
