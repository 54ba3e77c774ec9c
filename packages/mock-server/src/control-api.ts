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
  RequestCount,
  RequestJournalPage,
  RequestMatch,
  RequestVerification,
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
  /**
   * The requests the server answered (its journal), oldest first: `GET /__control/requests`.
   * @example
   * const { data } = await server.control.requests({ path: '/v1/reservations', status: '4xx' });
   */
  requests(filter?: RequestJournalFilter): Promise<RequestJournalPage>;
  /**
   * How many journaled requests match `match`, checked against `count` (default at least one):
   * `POST /__control/requests/verify`. Resolves with `ok: false`, a `message` and the near misses
   * when the count is wrong; it does not throw for that.
   * @example
   * const check = await server.control.verify({ method: 'POST', path: '/v1/reservations', status: 201 }, 1);
   * assert.ok(check.ok, check.message);
   */
  verify(match?: RequestMatch, count?: RequestCount): Promise<RequestVerification>;
}

/**
 * Filters of {@link ReferenceServerControl.requests}: `GET /__control/requests`'s query, typed.
 * `path` is exact or a pattern (`*` one segment, a trailing `**` the rest); `status` exact or a class
 * (`'4xx'`); `since` a journal `seq` or an RFC 3339 UTC time (server clock).
 */
export interface RequestJournalFilter {
  readonly method?: string;
  readonly path?: string;
  readonly operation?: string;
  readonly status?: number | string;
  readonly code?: string;
  readonly since?: number | string;
  /** @default 100 */
  readonly limit?: number;
}

/** The control methods of a server whose entry point is `handle`. */
export function createControl(
  handle: (request: Request) => Promise<Response>,
  controlKey: () => string,
): ReferenceServerControl {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await handle(
      new Request(`${CONTROL_ORIGIN}${path}`, {
        method,
        headers: { authorization: `Bearer ${controlKey()}`, 'content-type': 'application/json' },
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
    requests: (filter = {}) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
      const search = query.size > 0 ? `?${query}` : '';
      return call('GET', `/__control/requests${search}`);
    },
    verify: (match, count) =>
      call('POST', '/__control/requests/verify', {
        ...(match === undefined ? {} : { match }),
        ...(count === undefined ? {} : { count }),
      }),
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
