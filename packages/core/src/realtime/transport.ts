import { errorFromResponse } from '../errors/error-from-response';
import { isLiveDropError } from '../errors/live-drop-error';
import { ResponseValidationError } from '../errors/response-validation-error';
import { AbortError, ConnectionError } from '../errors/transport-errors';

/** What a {@link StreamTransport} is asked to open. */
export interface StreamOpenOptions {
  /** Headers to send: `Authorization`, `Accept`, and `Last-Event-ID` when resuming. */
  readonly headers: Readonly<Record<string, string>>;
  /** The id to resume after (also in `headers`, for transports that set it another way). */
  readonly lastEventId: string | undefined;
  /** Aborted to close the connection: by `close()`, a stall, or a reconnection. */
  readonly signal: AbortSignal;
}

/**
 * How the SDK opens an SSE connection. `open` resolves once the server accepted the stream, with
 * its text as it arrives (in chunks split anywhere; the SDK parses them); it rejects with the typed
 * error for an error response (`AuthenticationError`, `NotFoundError`, …) or a `ConnectionError`.
 * The iterable ends when the server ends the stream and throws when the connection breaks.
 *
 * The default, {@link createFetchStreamTransport}, streams with `fetch`, which works in Node 18+,
 * browsers and edge runtimes. Replace it to go through a proxy, or in tests.
 */
export interface StreamTransport {
  open(url: string, options: StreamOpenOptions): Promise<AsyncIterable<string>>;
}

async function* decodeText(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // A stalled read does not notice an abort on every runtime: cancel the reader too.
  const cancel = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    if (signal.aborted) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text !== '') yield text;
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    signal.removeEventListener('abort', cancel);
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * The default {@link StreamTransport}: a `fetch` whose response body is read as it streams.
 * Unlike `EventSource`, it sends the `Authorization` header, so the API key never goes in a URL.
 * @param fetchImpl the fetch to call. @default globalThis.fetch (looked up on each connection)
 */
export function createFetchStreamTransport(fetchImpl?: typeof fetch): StreamTransport {
  return {
    async open(url, { headers, signal }) {
      let response: Response;
      try {
        response = await (fetchImpl ?? globalThis.fetch)(url, { method: 'GET', headers, signal });
      } catch (error) {
        if (signal.aborted) throw new AbortError(`GET ${new URL(url).pathname} was aborted.`, { cause: signal.reason });
        throw new ConnectionError(
          `GET ${new URL(url).pathname} could not connect: ${error instanceof Error ? error.message : String(error)}.`,
          { cause: error },
        );
      }
      if (!response.ok)
        throw errorFromResponse(
          response.status,
          response.headers,
          await response.text().catch(() => ''),
          response.statusText,
        );
      const type = response.headers.get('content-type') ?? '';
      if (!/^text\/event-stream\b/i.test(type) || !response.body) {
        void response.body?.cancel().catch(() => undefined);
        // As EventSource does, a 200 that is not an event stream fails for good (a proxy's page, a wrong baseUrl).
        throw new ResponseValidationError({
          operationId: 'stream',
          status: response.status,
          requestId: response.headers.get('request-id'),
          issues: [
            { path: '', message: `is ${type === '' ? 'untyped' : JSON.stringify(type)}, not text/event-stream` },
          ],
        });
      }
      return decodeText(response.body, signal);
    },
  };
}

/** Wraps a failure while reading a stream as a typed SDK error. */
export function streamReadError(error: unknown, path: string): unknown {
  if (isLiveDropError(error)) return error;
  return new ConnectionError(`The stream ${path} broke: ${error instanceof Error ? error.message : String(error)}.`, {
    cause: error,
  });
}
