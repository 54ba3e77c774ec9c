import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sseSubscriberOf } from '../realtime/sse-subscriber';
import type { ReferenceServer } from '../server';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Run due expiries and settlements every this many ms even without traffic. @default 250 */
  sweepIntervalMs?: number;
}

/** A reference server listening on a socket. Dispose it (`await using`) or call `close()`. */
export interface RunningServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:53127`. */
  readonly url: string;
  readonly port: number;
  /** The node:http server, for tests that need the socket level. */
  readonly httpServer: Server;
  /** Stops accepting, ends open streams and resolves once closed. */
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, base: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method ?? 'GET',
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

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

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  // An SSE stream writes to the socket itself: a broadcast is then one write loop, not a promise per subscriber.
  const subscriber = sseSubscriberOf(response.body);
  if (subscriber) {
    subscriber.attach(res);
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

/**
 * Serves a reference server over node:http.
 * @example
 * await using running = await serve(createReferenceServer(), { port: 0 });
 * await fetch(`${running.url}/.well-known/jwks.json`);
 */
export async function serve(server: ReferenceServer, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const controllers = new Set<AbortController>();
  const httpServer = createServer((req, res) => {
    const controller = new AbortController();
    controllers.add(controller);
    res.on('close', () => {
      controller.abort();
      controllers.delete(controller);
    });
    const base = `http://${req.headers.host ?? host}`;
    server
      .handle(toRequest(req, base, controller.signal))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        // Once a stream's headers are out, a failure must look like a torn connection, not a clean end.
        if (res.headersSent) res.destroy(error instanceof Error ? error : new Error(String(error)));
        else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
  });
  httpServer.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  const sweeper = setInterval(() => server.engine.sweep(), options.sweepIntervalMs ?? 250);
  sweeper.unref();
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(sweeper);
      for (const controller of controllers) controller.abort();
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
    return closing;
  };
  return { url, port, httpServer, close, [Symbol.asyncDispose]: close };
}
