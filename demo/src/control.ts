import type { ClockState, ControlState } from '@livedrop/node';

/**
 * The reference server's control API over HTTP — its public QA surface, the same one a test suite
 * uses. The demo only moves the clock (so a 40-minute show and a two-day settlement play out in
 * seconds) and reads the state summary; everything else goes through the SDK.
 */
export interface ServerControl {
  /** Moves the server's clock forward to `atMs` (epoch ms); a time already past leaves it where it is. */
  moveClockTo(atMs: number): Promise<ClockState>;
  /** The server's state summary (counts, invariant, clock). */
  state(): Promise<ControlState>;
  /** The server's clock as last seen (epoch ms): the time its tokens and holds are stamped with. */
  now(): number;
}

/** A control client for the server at `baseUrl`, guarded by `controlKey`. */
export function createServerControl(baseUrl: string, controlKey: string): ServerControl {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${controlKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  // The server's clock runs with real time from wherever it was last moved to.
  let offsetMs = 0;
  const seen = <T extends { now: string }>(answer: T): T => {
    offsetMs = Date.parse(answer.now) - Date.now();
    return answer;
  };
  return {
    async moveClockTo(atMs) {
      // "Now" may already be past a target; moving by a non-negative amount from the server's own
      // "now" keeps the request valid either way.
      const { now } = seen(await call<ControlState>('GET', '/__control/state'));
      return seen(
        await call<ClockState>('POST', '/__control/clock', {
          advanceMs: Math.max(0, Math.round(atMs - Date.parse(now))),
        }),
      );
    },
    state: async () => seen(await call<ControlState>('GET', '/__control/state')),
    now: () => Date.now() + offsetMs,
  };
}
