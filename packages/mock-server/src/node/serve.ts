import { createServer, type Server, type ServerResponse } from 'node:http';
import type { OperationId } from '@livedrop/core';
import type { AddressInfo } from 'node:net';
import { sameSecret } from '../domain/client-secret';
import { createLightRequest } from '../http/light-request';
import { answerOf } from '../http/light-response';
import type { ServerAnswer } from '../http/server-answer';
import type { ReferenceServer } from '../server';
import { AnswerCompression } from './answer-compression';
import { answerClientError } from './client-error';
import { toFetchRequest } from './fetch-request';
import { GracefulDrain } from './graceful-drain';
import { NodeServerRequest } from './node-request';
import { answerOperability, OPERABILITY_PATHS, type OperabilityContext } from './operability-routes';
import { OperationLabels, UNMATCHED_ROUTE } from './operation-labels';
import { streamLagOf } from './readiness';
import { reservationOutcomeOf } from './reservation-outcome';
import { ServerMetrics } from './server-metrics';
import { EncodedBodies, writeAnswer } from './write-answer';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Run due expiries and settlements every this many ms even without traffic. @default 250 */
  sweepIntervalMs?: number;
  /**
   * How long `close()` lets requests in flight finish before it cuts their connections.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
  /**
   * The `retry:` (ms) that `close()` sends every open SSE stream before ending it: how soon its
   * EventSource reconnects (to another instance behind the balancer).
   * @default 500
   */
  drainRetryMs?: number;
}

/** A reference server listening on a socket. Dispose it (`await using`) or call `close()`. */
export interface RunningServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:53127`. */
  readonly url: string;
  readonly port: number;
  /** The node:http server, for tests that need the socket level. */
  readonly httpServer: Server;
  /**
   * Shuts down gracefully: stops accepting connections, answers `/readyz` 503 (draining), ends every
   * SSE stream with a `retry:` hint, lets requests in flight finish (up to
   * {@link ServeOptions.shutdownTimeoutMs}), then closes every connection. Resolves once closed.
   */
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
  const compression = new AnswerCompression();
  const labels = new OperationLabels();
  const drain = new GracefulDrain();
  const { engine } = server;
  const metrics = new ServerMetrics({
    sseSubscribers: () => drain.streams,
    streamLag: () => streamLagOf(engine.storage),
    invariantHolds: () => engine.invariantHolds(),
  });
  const controlKeyDigest = engine.hash(server.controlKey);
  const operability: OperabilityContext = {
    storage: engine.storage,
    draining: () => drain.draining,
    isControlKey: (given) => given !== undefined && sameSecret(engine.hash(given), controlKeyDigest),
    metrics,
  };

  /** Writes `answer` to `res`: counted, and compressed where it is a large view. */
  async function write(
    answer: ServerAnswer,
    res: ServerResponse,
    operationId: OperationId | null,
    acceptEncoding: string | null,
    started: number,
  ): Promise<void> {
    const torn = answer instanceof Response && answer.type === 'error';
    metrics.observeRequest(
      operationId ?? UNMATCHED_ROUTE,
      torn ? 0 : answer.status,
      (performance.now() - started) / 1000,
    );
    if (answer instanceof Response)
      return writeAnswer(answer, res, bodies, (subscriber) => drain.stream(res, subscriber));
    if (operationId === 'createReservation') {
      const outcome = reservationOutcomeOf(answer);
      if (outcome) metrics.countReservation(outcome);
    }
    return writeAnswer(await compression.encode(answer, operationId, acceptEncoding), res, bodies);
  }

  const httpServer = createServer((req, res) => {
    const started = performance.now();
    drain.begin(res);
    // A request that arrives on an open connection while draining is answered, and its connection closed.
    if (drain.draining) res.setHeader('connection', 'close');
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const pathname = query === -1 ? target : target.slice(0, query);
    const fail = (error: unknown) => {
      // Once a stream's headers are out, a failure must look like a torn connection, not a clean end.
      if (res.headersSent) res.destroy(error instanceof Error ? error : new Error(String(error)));
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    };
    // Probes and metrics are the transport's own: answered before the API (never rate limited, faulted or journaled).
    if (method === 'GET' && OPERABILITY_PATHS.has(pathname)) {
      answerOperability(pathname, req.headers.authorization, operability)
        .then((answer) => writeAnswer(answer, res, bodies))
        .catch(fail);
      return;
    }
    const operationId = labels.operationOf(method, pathname);
    const origin = `http://${req.headers.host ?? host}`;
    const request = new NodeServerRequest(req, res, origin, track);
    // Through the server's one public handler, with a light request: the reference server reads it
    // without a WHATWG Request and answers a light response this writer takes apart without a
    // WHATWG Response. Anything that asks more of the request gets a real one, made then.
    server
      .handle(createLightRequest(request, () => toFetchRequest(req, origin, request.signal)))
      .then((response) => write(answerOf(response), res, operationId, request.headers.get('accept-encoding'), started))
      .catch(fail);
  });
  httpServer.keepAliveTimeout = 5_000;
  httpServer.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  // Between requests too: what another instance changed in the shared control state, what
  // instances sharing a store leave to each other (endpoints another made, attempts it let lapse),
  // then what is due. Each workspace's holds expire and its webhooks retry on time too.
  const sweep = async () => {
    for (const each of [engine, ...engine.workspaces.list().map(({ server: workspace }) => workspace.engine)]) {
      await each.syncControl();
      each.webhooks.resume();
      await each.sweep();
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
    closing ??= (async () => {
      clearInterval(sweeper);
      // No new connections from here on; idle keep-alive ones close now, busy ones after their answer.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await drain.drain({
        retryMs: options.drainRetryMs ?? 500,
        timeoutMs: options.shutdownTimeoutMs ?? 10_000,
      });
      // What is left past the timeout is cut: its waits end and its sockets close.
      for (const controller of controllers) controller.abort();
      httpServer.closeAllConnections();
      await closed;
    })();
    return closing;
  };
  return { url, port, httpServer, close, [Symbol.asyncDispose]: close };
}
