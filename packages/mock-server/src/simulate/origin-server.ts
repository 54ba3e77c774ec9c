import { createManualClock } from '../clock';
import { nodeSha256Hex, serve, type RunningServer } from '../node';
import { createReferenceServer, type ReferenceServer } from '../server';

/** A reference server that reports its CPU time per request, on a clock only the simulation moves. */
export interface SimulatedOrigin extends AsyncDisposable {
  readonly url: string;
  readonly server: ReferenceServer;
  /** Moves the server's clock to `epochMs` through the control API. */
  setClock(epochMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a fresh reference server on port 0 whose clock starts at `startMs` and moves only when
 * {@link SimulatedOrigin.setClock} says so. Every answer carries `Server-Timing: cpu;dur=<ms>`:
 * the process CPU time (`process.cpuUsage()`) between the request entering the server's handler and
 * its response being ready, which is what one origin request costs in compute.
 */
export async function startSimulatedOrigin(startMs: number): Promise<SimulatedOrigin> {
  const server = createReferenceServer({ hash: nodeSha256Hex, clock: createManualClock(startMs) });
  const timed: ReferenceServer = {
    async handle(request) {
      const before = process.cpuUsage();
      const response = await server.handle(request);
      const used = process.cpuUsage(before);
      response.headers.set('server-timing', `cpu;dur=${((used.user + used.system) / 1000).toFixed(3)}`);
      return response;
    },
    engine: server.engine,
    get keys() {
      return server.keys;
    },
    controlKey: server.controlKey,
    control: server.control,
    workspaces: server.workspaces,
  };
  const running: RunningServer = await serve(timed, { port: 0 });
  const setClock = async (epochMs: number) => {
    const response = await fetch(new URL('/__control/clock', running.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${server.controlKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ setTo: new Date(epochMs).toISOString() }),
    });
    if (!response.ok)
      throw new Error(`Moving the server's clock answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  return {
    url: running.url,
    server,
    setClock,
    close: () => running.close(),
    [Symbol.asyncDispose]: () => running.close(),
  };
}
