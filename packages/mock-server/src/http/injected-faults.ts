import type { Engine } from '../engine';
import type { FaultFailure } from '../faults';
import type { ApiProblem } from '../problem';

/** Thrown by the pipeline for a fault that breaks the connection instead of answering. */
export class BrokenConnection extends Error {
  readonly kind: 'reset' | 'hang';

  constructor(kind: 'reset' | 'hang') {
    super(`Injected fault: connection ${kind}.`);
    this.name = 'BrokenConnection';
    this.kind = kind;
  }
}

/** The error the pipeline throws for an injected failure: a problem answer, or a broken connection. */
export function injected(failure: FaultFailure): ApiProblem | BrokenConnection {
  return failure.kind === 'status' ? failure.problem : new BrokenConnection(failure.kind);
}

/**
 * The answer for a broken connection: a network error (`Response.error()`, which node:http
 * transports turn into a destroyed socket and fetch-style callers see as `type: "error"`). A hang
 * answers it only once the client gives up (its request's signal aborts).
 */
export async function brokenConnection(kind: 'reset' | 'hang', signal: AbortSignal): Promise<Response> {
  if (kind === 'hang' && !signal.aborted)
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  return Response.error();
}

/** How often a request delayed on the server's clock looks at the clock again, in real milliseconds. */
const CLOCK_POLL_MS = 5;

/**
 * Waits `ms` on the clock the faults name (`latencyClock`): real time, or the server's clock, which
 * on a manual clock moves only when the test moves it. Stops early if the client gives up.
 */
export async function waitOut(engine: Engine, ms: number, signal: AbortSignal): Promise<void> {
  const sleep = (wait: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  if (engine.faults.latencyClock !== 'server') return sleep(ms);
  const until = engine.clock.now() + ms;
  while (!signal.aborted) {
    // Another instance (or the control API) may move the shared clock: read it again.
    await engine.syncControl();
    const left = until - engine.clock.now();
    if (left <= 0) return;
    await sleep(Math.min(left, CLOCK_POLL_MS));
  }
}
