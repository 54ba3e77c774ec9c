import type {
  BuiltInFixture,
  ClockControl,
  ClockState,
  ControlState,
  FaultsControl,
  FixtureDefinition,
  FixtureIds,
  Problem,
  ResetControl,
  SeededState,
} from '@livedrop/core';
import { ApiProblem } from './problem';

/** Control calls made in-process never leave it; the origin only has to be a valid URL. */
const CONTROL_ORIGIN = 'http://control.livedrop.internal';

/**
 * The control API (`/__control/*`) as methods, for suites that run the reference server in-process.
 * Each call goes through the server's one entry point with its control key, exactly as an HTTP
 * client's would; a refusal throws the {@link ApiProblem} the server answered.
 *
 * @example
 * ```ts
 * const server = createReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
 * const { ids } = await server.control.seed('live-drop');
 * await server.control.clock({ advanceMs: 10 * 60_000 }); // holds lapse
 * ```
 */
export interface ReferenceServerControl {
  /**
   * Resets the server, then loads a built-in fixture by name or your own definition; answers the
   * state and the ids made, by your names.
   */
  seed(fixture: BuiltInFixture | FixtureDefinition): Promise<SeededState>;
  /**
   * Forgets every object; the default tenant keeps its keys. The clock keeps its time unless
   * `restoreClock` (then it reads the time the server started at again).
   */
  reset(options?: ResetControl): Promise<ControlState>;
  /** Moves the clock forward (`advanceMs`) or to a later time (`setTo`); due expiries fire. */
  clock(move: ClockControl): Promise<ClockState>;
  /** Sets the faults in force (latency, errors, dropped streams); `{}` clears them. */
  faults(faults: FaultsControl): Promise<ControlState>;
  /** What the server holds: counts, events, the stock invariant, the faults in force. */
  state(): Promise<ControlState>;
}

/** The control methods of a server whose entry point is `handle`. */
export function createControl(
  handle: (request: Request) => Promise<Response>,
  controlKey: string,
): ReferenceServerControl {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await handle(
      new Request(`${CONTROL_ORIGIN}${path}`, {
        method,
        headers: { authorization: `Bearer ${controlKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    const answer = await response.json();
    if (response.ok) return answer as T;
    const problem = answer as Problem;
    throw new ApiProblem(problem.code, problem.detail ?? problem.title, {
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
  }
  return {
    seed: (fixture) =>
      call('POST', '/__control/seed', typeof fixture === 'string' ? { fixture } : { definition: fixture }),
    reset: (options = {}) => call('POST', '/__control/reset', options),
    clock: (move) => call('POST', '/__control/clock', move),
    faults: (faults) => call('POST', '/__control/faults', faults),
    state: () => call('GET', '/__control/state'),
  };
}

/**
 * Resets `server` and loads a fixture into it: a built-in one by name or your own definition (the
 * same JSON `livedrop-mock --seed FILE` reads). Answers your names mapped to the ids made.
 *
 * @example
 * ```ts
 * const ids = await loadFixture(server, {
 *   sellers: { northwind: { name: 'Northwind Outfitters' } },
 *   entitlements: { e: { creator: 'house', seller: 'northwind', commissionBps: 1500, contentRights: ['live_stream'] } },
 *   sessions: { drop: { creator: 'house', title: 'Winter drop', live: true } },
 *   offers: { parka: { session: 'drop', seller: 'northwind', sku: 'P-1', title: 'Parka',
 *     price: { amount: 12900, currency: 'USD' }, quantity: 4, live: true } },
 *   reservations: { a: { offer: 'parka', buyerId: 'alice' } },
 * });
 * ids.offers.parka; // "off_…"
 * ```
 */
export async function loadFixture(
  server: { readonly control: ReferenceServerControl },
  fixture: BuiltInFixture | FixtureDefinition,
): Promise<FixtureIds> {
  return (await server.control.seed(fixture)).ids;
}
