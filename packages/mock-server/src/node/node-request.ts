import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderReader, ServerRequest } from '../http/server-request';
import { ApiProblem } from '../problem';

/** Headers read straight from `IncomingMessage` (already lower-cased by node:http), joined like `Headers.get`. */
class IncomingHeaders implements HeaderReader {
  readonly #headers: IncomingHttpHeaders;

  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers;
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }
}

/**
 * The pipeline's request for one node:http exchange, without a WHATWG `Request`: headers are read
 * from `req` on demand, the body is read once from `req` itself, and the abort signal is only made
 * for the few handlers that ask for it (streams). `onSignal` sees every signal made, so the transport
 * can end open streams when it closes.
 */
export class NodeServerRequest implements ServerRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #onSignal: (controller: AbortController) => void;
  #controller: AbortController | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    origin: string,
    onSignal: (controller: AbortController) => void,
  ) {
    this.#req = req;
    this.#res = res;
    this.#onSignal = onSignal;
    this.method = req.method ?? 'GET';
    this.url = `${origin}${req.url ?? '/'}`;
    this.headers = new IncomingHeaders(req.headers);
  }

  /** Aborts when the response closes: the client went away, or the exchange is over. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#res.closed) controller.abort();
      else this.#res.once('close', () => controller.abort());
      this.#onSignal(controller);
    }
    return this.#controller.signal;
  }

  readBody(onChunk: (chunk: Uint8Array) => boolean): Promise<void> {
    const req = this.#req;
    if (req.readableEnded) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        req.off('data', data);
        req.off('end', end);
        req.off('error', gone);
        req.off('close', closed);
        if (error) reject(error);
        else resolve();
      };
      const data = (chunk: Buffer) => {
        if (onChunk(chunk)) return;
        // Past the limit: stop listening, so the refusal is answered now. node:http discards the rest
        // of the body after the answer (nothing is kept), bounded by the server's requestTimeout;
        // cutting the connection instead would reset it before the client could read the 413.
        finish();
      };
      const end = () => finish();
      // A client that hangs up mid-body ('aborted', then 'close') is not a server failure: a quiet 400 nobody reads.
      const gone = () =>
        finish(new ApiProblem('malformed_request', 'The client closed the connection before its request body ended.'));
      const closed = () => (req.readableEnded ? finish() : gone());
      req.on('data', data);
      req.on('end', end);
      req.on('error', gone);
      req.on('close', closed);
    });
  }
}
