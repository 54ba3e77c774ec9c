/**
 * The reference server's notion of now. Every TTL, expiry, settlement delay and retention window
 * reads it, so tests and the control API can move time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A clock that only moves when told to: `advance(ms)` or `set(epochMs)`. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Creates a clock that starts at `startMs` and moves only when told to.
 * @example
 * const clock = createManualClock(Date.parse('2026-11-25T18:00:00Z'));
 * clock.advance(60_000);
 */
export function createManualClock(startMs: number = Date.now()): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(epochMs) {
      now = epochMs;
    },
  };
}

/**
 * A clock that follows `base` (the wall clock unless you pass another) plus an offset that
 * `advance` and `set` move, which is what the control API needs when the server runs for real.
 * @param base the clock to follow. @default {@link systemClock}
 */
export function createOffsetClock(base: Clock = systemClock): ManualClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      offset += ms;
    },
    set(epochMs) {
      offset = epochMs - base.now();
    },
  };
}

/**
 * The engine's clock: `base` plus the offset the control API sets in the shared control state
 * (read through `offsetMs`, synchronously, from the engine's copy of that state). `advance` and
 * `set` move `base` alone, as they did before the offset was shared: tests that hold a manual
 * base clock keep moving it themselves.
 */
export function createSharedOffsetClock(base: ManualClock, offsetMs: () => number): ManualClock {
  return {
    now: () => base.now() + offsetMs(),
    advance(ms) {
      base.advance(ms);
    },
    set(epochMs) {
      base.set(epochMs - offsetMs());
    },
  };
}

let lastEpochMs = Number.NaN;
let lastIso = '';

/**
 * Formats epoch milliseconds as the contract's RFC 3339 UTC timestamp. A request stamps the same
 * moment several times (its object, its event, their `updatedAt`), so the last answer is kept.
 */
export function isoTime(epochMs: number): string {
  if (epochMs !== lastEpochMs) {
    lastIso = new Date(epochMs).toISOString();
    lastEpochMs = epochMs;
  }
  return lastIso;
}
