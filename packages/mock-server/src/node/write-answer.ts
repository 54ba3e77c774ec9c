import type { ServerResponse } from 'node:http';
import type { ServerAnswer } from '../http/server-answer';
import { sseSubscriberOf, type SseSubscriber } from '../realtime/sse-subscriber';
import type { EncodedAnswer } from './answer-compression';

/** Resolves once `res` can take more data or is gone, leaving no listener behind either way. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeStreamed(
  response: Response,
  res: ServerResponse,
  onStream: ((subscriber: SseSubscriber) => void) | undefined,
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  // An SSE stream writes to the socket itself: a broadcast is then one write loop, not a promise per subscriber.
  const subscriber = sseSubscriberOf(response.body);
  if (subscriber) {
    subscriber.attach(res);
    onStream?.(subscriber);
    return;
  }
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Respect backpressure: a slow reader pauses the stream instead of growing buffers.
    if (!res.write(value)) await drainedOrClosed(res);
    if (res.destroyed) break;
  }
  res.end();
}

/** Bodies at least this long are worth encoding once: cached views (a hydrate is ≈ 150 KiB). */
const LARGE_BODY_CHARS = 32 * 1024;
/** Encoded large bodies kept, most recently used last. */
const ENCODED_BODIES = 8;

/**
 * The bytes of the large bodies one running server answered last. A large body answered again
 * and again (a cached view is the same string each time) is encoded once and its bytes reused,
 * instead of allocating a fresh copy per answer.
 */
export class EncodedBodies {
  readonly #bytes = new Map<string, Buffer>();

  /** The bytes of `body` (a short body as is: node encodes it while writing). */
  bytesOf(body: string): string | Buffer {
    if (body.length < LARGE_BODY_CHARS) return body;
    const encoded = this.#bytes;
    let bytes = encoded.get(body);
    if (bytes) encoded.delete(body);
    else bytes = Buffer.from(body, 'utf8');
    encoded.set(body, bytes);
    if (encoded.size > ENCODED_BODIES) encoded.delete(encoded.keys().next().value!);
    return bytes;
  }
}

/**
 * Writes the pipeline's answer to node:http: a buffered answer in one `writeHead` + `end` (so
 * node sets `Content-Length`), with its compressed bytes when it has some; a streaming `Response`
 * chunk by chunk with backpressure; an SSE stream by attaching its subscriber to the socket (then
 * `onStream` is told of it).
 */
export function writeAnswer(
  answer: ServerAnswer | EncodedAnswer,
  res: ServerResponse,
  bodies: EncodedBodies,
  onStream?: (subscriber: SseSubscriber) => void,
): Promise<void> | void {
  // A network error (an injected connection fault): the socket goes without an answer, as a reset.
  if (answer instanceof Response && answer.type === 'error') return void res.socket?.resetAndDestroy();
  if (answer instanceof Response) return writeStreamed(answer, res, onStream);
  res.writeHead(answer.status, answer.headers);
  if ('bytes' in answer && answer.bytes !== null) res.end(answer.bytes);
  else if (answer.body === null) res.end();
  else res.end(bodies.bytesOf(answer.body));
}
