import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../src/node';
import { streamStats } from '../src/realtime/stream-hub';
import { apiAs } from './support/http';
import { waitUntil } from './support/sse';

const CONNECTIONS = 10_000;
/** Connections the crowd opens at a time (the listen backlog is 511). */
const BATCH = 250;
/**
 * Heap an idle stream may hold on the server: its socket, parser, IncomingMessage, ServerResponse and
 * subscriber. Measured at about 10 KiB; the bound leaves room for V8 and Node versions.
 */
const MAX_HEAP_BYTES_PER_CONNECTION = 16 * 1024;
/** Heap still held per connection once all are closed and their sockets gone (measured: about 0.25 KiB). */
const MAX_HEAP_BYTES_RETAINED_PER_CONNECTION = 1024;

/** `global.gc`, exposed at run time so the worker needs no `--expose-gc` flag. */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

type CrowdReply =
  | { type: 'ready' }
  | { type: 'opened'; open: number; failed: number }
  | { type: 'watching' }
  | { type: 'seen'; seen: number; open: number }
  | { type: 'closed' };

/** The child process holding the client sockets (test/support/sse-crowd.mjs). */
class Crowd {
  readonly #child: ChildProcess;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./support/sse-crowd.mjs', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  /** Sends `message` (if any) and resolves with the child's next reply of type `type`. */
  ask<T extends CrowdReply['type']>(
    type: T,
    message?: Record<string, unknown>,
  ): Promise<Extract<CrowdReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: CrowdReply) => {
        if (reply.type !== type) return;
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        resolve(reply as Extract<CrowdReply, { type: T }>);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`The SSE crowd exited (code ${code}) before answering "${type}".`));
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      if (message) this.#child.send(message);
    });
  }

  kill(): void {
    this.#child.kill();
  }
}

describe('resource limits', () => {
  it(`holds ${CONNECTIONS.toLocaleString('en')} idle SSE connections: stays responsive, reaches them all, bounded heap, releases every subscriber`, async () => {
    const gc = exposeGc();
    await using ld = await startReferenceServer();
    const { engine, keys } = ld.server;
    const control = apiAs(ld.url, ld.server.controlKey);
    const api = apiAs(ld.url, keys.secretKey);
    const browser = apiAs(ld.url, keys.publishableKey);
    expect((await control.post('/__control/seed', { fixture: 'live-drop' })).status).toBe(200);
    const sessionId = (await api.get('/v1/sessions?status=live')).body.data[0].id as string;

    const crowd = new Crowd();
    try {
      await crowd.ask('ready');
      const before = heapAfterGc(gc);
      const opened = await crowd.ask('opened', {
        type: 'open',
        port: ld.port,
        path: `/v1/sessions/${sessionId}/stream`,
        key: keys.publishableKey,
        count: CONNECTIONS,
        batch: BATCH,
      });
      expect(opened).toEqual({ type: 'opened', open: CONNECTIONS, failed: 0 });
      expect(streamStats(engine).open).toBe(CONNECTIONS);
      expect((await control.get('/__control/state')).body.counts.streams).toBe(CONNECTIONS);
      const perConnection = (heapAfterGc(gc) - before) / CONNECTIONS;
      console.log(
        `${CONNECTIONS} idle SSE connections: server heapUsed +${(perConnection / 1024).toFixed(1)} KiB per connection (bound ${MAX_HEAP_BYTES_PER_CONNECTION / 1024} KiB)`,
      );
      expect(perConnection).toBeLessThan(MAX_HEAP_BYTES_PER_CONNECTION);

      // Responsive while they are open: a hydrate and a reservation succeed.
      const hydrate = await browser.get(`/v1/sessions/${sessionId}`);
      expect(hydrate.status).toBe(200);
      const offer = hydrate.body.offers[0];
      const token = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_crowd' });
      expect(token.status).toBe(201);
      const reservation = await browser.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
      expect(reservation.status).toBe(201);
      expect(reservation.body.status).toBe('held');

      // An offer published now reaches every one of them.
      const created = await api.post(`/v1/sessions/${sessionId}/offers`, {
        sellerId: hydrate.body.sellers[0].id,
        sku: 'NW-CROWD-03',
        title: 'Crowd Mittens',
        price: { amount: 1_900, currency: 'USD' },
        quantity: 10,
      });
      expect(created.status).toBe(201);
      await crowd.ask('watching', { type: 'watch', marker: created.body.id });
      expect((await api.post(`/v1/offers/${created.body.id}/publish`)).status).toBe(200);
      let seen = 0;
      for (let poll = 0; poll < 300 && seen < CONNECTIONS; poll++) {
        seen = (await crowd.ask('seen', { type: 'seen' })).seen;
        if (seen < CONNECTIONS) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen).toBe(CONNECTIONS);

      // Closing them all releases every subscriber.
      await crowd.ask('closed', { type: 'close' });
      await waitUntil(() => streamStats(engine).open === 0, 'every subscriber to be released', 30_000);
      let sockets = -1;
      for (let poll = 0; poll < 300 && sockets !== 0; poll++) {
        sockets = await new Promise<number>((resolve, reject) =>
          ld.httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        );
        if (sockets !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(sockets).toBe(0);
      expect((await control.get('/__control/state')).body.counts.streams).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = heapAfterGc(gc);
      console.log(
        `after closing: server heapUsed ${((after - before) / 1024 / 1024).toFixed(1)} MiB above the start (bound ${((MAX_HEAP_BYTES_RETAINED_PER_CONNECTION * CONNECTIONS) / 1024 / 1024).toFixed(1)} MiB)`,
      );
      expect(after - before).toBeLessThan(MAX_HEAP_BYTES_RETAINED_PER_CONNECTION * CONNECTIONS);
    } finally {
      crowd.kill();
    }
  }, 60_000);
});
