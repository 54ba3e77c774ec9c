import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLightRequest } from '../http/light-request';
import { answerOf } from '../http/light-response';
import type { ReferenceServer } from '../server';
import { answerClientError } from './client-error';
import { toFetchRequest } from './fetch-request';
import { NodeServerRequest } from './node-request';
import { EncodedBodies, writeAnswer } from './write-answer';

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

/**
 * Serves a reference server over node:http.
 * @example
 * const server = createReferenceServer();
 * await using running = await serve(server, { port: 0 });
 * await fetch(`${running.url}/v1/sessions`, { headers: { authorization: `Bearer ${server.keys.secretKey}` } });
 */
export async function serve(server: ReferenceServer, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const controllers = new Set<AbortController>();
  const track = (controller: AbortController) => {
    controllers.add(controller);
    controller.signal.addEventListener('abort', () => controllers.delete(controller), { once: true });
  };
  const bodies = new EncodedBodies();
  const httpServer = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? host}`;
    const request = new NodeServerRequest(req, res, origin, track);
    // Through the server's one public handler, with a light request: the reference server reads it
    // without a WHATWG Request and answers a light response this writer takes apart without a
    // WHATWG Response. Anything that asks more of the request gets a real one, made then.
    server
      .handle(createLightRequest(request, () => toFetchRequest(req, origin, request.signal)))
      .then((response) => writeAnswer(answerOf(response), res, bodies))
      .catch((error: unknown) => {
        // Once a stream's headers are out, a failure must look like a torn connection, not a clean end.
        if (res.headersSent) res.destroy(error instanceof Error ? error : new Error(String(error)));
        else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
  });
  httpServer.keepAliveTimeout = 5_000;
  httpServer.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  // Between requests too: what another instance changed in the shared control state, then what is due.
  const sweep = async () => {
    await server.engine.syncControl();
    await server.engine.sweep();
    // Each workspace's holds expire and its webhooks retry on time too.
    for (const { server: workspace } of server.engine.workspaces.list()) {
      await workspace.engine.syncControl();
      await workspace.engine.sweep();
    }
  };
  const sweeper = setInterval(() => {
    sweep().catch((error: unknown) => console.error('[livedrop-mock] sweep failed', error));
  }, options.sweepIntervalMs ?? 250);
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
