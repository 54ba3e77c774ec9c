/** Reads request headers by name, as `Headers.get` does: `null` when absent. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * What a handler may read of a request: method, absolute URL, headers and the abort signal.
 * A WHATWG `Request` is one, so in-process and msw callers pass theirs as is; the node:http
 * transport builds a lighter one straight from `IncomingMessage`.
 */
export interface RequestHead {
  readonly method: string;
  /** The absolute URL, e.g. `http://127.0.0.1:4010/v1/sessions?status=live`. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** Aborts when the client goes away (streams end with it). */
  readonly signal: AbortSignal;
}

/**
 * The request the pipeline answers: a {@link RequestHead} and its body, read once. Transports
 * produce it: {@link fromFetchRequest} for a WHATWG `Request`, the node transport for `IncomingMessage`.
 */
export interface ServerRequest extends RequestHead {
  /**
   * Reads the body to its end, handing each chunk to `onChunk` in order; `onChunk` answers `false`
   * to stop reading (the rest is discarded and the transport may cut the connection). Resolves at the
   * end of the body, at once when there is none.
   */
  readBody(onChunk: (chunk: Uint8Array) => boolean): Promise<void>;
}

/** The pipeline's view of a WHATWG `Request` (headers, URL and signal are the request's own). */
export function fromFetchRequest(request: Request): ServerRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    signal: request.signal,
    async readBody(onChunk) {
      if (!request.body) return;
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (!onChunk(value)) {
          await reader.cancel();
          return;
        }
      }
    },
  };
}
