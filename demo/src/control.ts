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

  return {
    async moveClockTo(atMs) {
      // The server's clock also follows real time, so "now" may already be past a target; moving
      // by a non-negative amount from its own "now" keeps the request valid either way.
      const { now } = await call<ControlState>('GET', '/__control/state');
      return call<ClockState>('POST', '/__control/clock', { advanceMs: Math.max(0, Math.round(atMs - Date.parse(now))) });
    },
    state: () => call<ControlState>('GET', '/__control/state'),
  };
}
