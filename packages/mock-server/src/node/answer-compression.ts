import type { OperationId } from '@livedrop/core';
import type { BufferedAnswer } from '../http/server-answer';
import { CompressedBodies } from './compressed-bodies';
import { negotiateContentCoding } from './content-coding';

/** The operations whose bodies are compressed: the session hydrate and the listings, the large views. */
const COMPRESSED_OPERATIONS: ReadonlySet<OperationId> = new Set<OperationId>([
  'getSession',
  'listSessions',
  'getSessionListing',
  'listListings',
]);

/** Bodies shorter than this go as they are: compressing them saves less than it costs. */
const MIN_COMPRESSED_CHARS = 1024;

/** What to write for a buffered answer: the answer, and its body compressed when it is sent so. */
export interface EncodedAnswer extends BufferedAnswer {
  /** The compressed body, or `null` to write the answer's own `body`. */
  readonly bytes: Buffer | null;
}

/**
 * Content negotiation for the large views: the hydrate and listing answers are sent in `br` or
 * `gzip` as `Accept-Encoding` asks, compressed once per view version ({@link CompressedBodies}), and
 * every answer of those operations (304s too) says `Vary: Accept-Encoding`, so a shared cache keeps
 * one copy per coding.
 */
export class AnswerCompression {
  readonly #bodies = new CompressedBodies();

  /** `answer` as it should be written for a request with `acceptEncoding`, to `operationId` (null: unmatched). */
  async encode(
    answer: BufferedAnswer,
    operationId: OperationId | null,
    acceptEncoding: string | null,
  ): Promise<EncodedAnswer> {
    if (operationId === null || !COMPRESSED_OPERATIONS.has(operationId)) return { ...answer, bytes: null };
    const headers = answer.headers;
    headers['vary'] = headers['vary'] ? `${headers['vary']}, Accept-Encoding` : 'Accept-Encoding';
    const body = answer.body;
    if (answer.status !== 200 || body === null || body.length < MIN_COMPRESSED_CHARS) return { ...answer, bytes: null };
    const coding = negotiateContentCoding(acceptEncoding);
    if (coding === 'identity') return { ...answer, bytes: null };
    const bytes = await this.#bodies.encode(body, headers['etag'] ?? null, coding);
    headers['content-encoding'] = coding;
    return { ...answer, bytes };
  }
}
