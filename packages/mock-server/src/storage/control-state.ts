import type { FaultsControl } from '@livedrop/core';

/**
 * What the control API changes, shared by every server instance over one store: read at the
 * start of each request, so a change made through one instance is seen by all of them (a shared
 * store may answer a copy it keeps current by following the changes, as the Redis one does).
 */
export interface ControlState {
  /** Milliseconds added to every instance's base clock (`/__control/clock` moves it). */
  readonly clockOffsetMs: number;
  /** The faults in force (`/__control/faults`); `{}` when none. */
  readonly faults: FaultsControl;
  /**
   * How many dice were rolled under the faults in force. With `faults.seed`, roll `n` is a pure
   * function of the seed and `n`, so instances that share this count decide as one server would.
   */
  readonly diceRolls: number;
  /** How many requests each fault rule with `times` has struck (by rule index), since the faults were set. */
  readonly ruleUses: readonly number[];
  /** Bumped by every `/__control/reset`; an instance that sees it change forgets its own state. */
  readonly resetEpoch: number;
  /** Bumped by every change but dice rolls; tells a reader whether anything changed. */
  readonly version: number;
}

/** The control state before any change: no offset, no faults, epoch 0. */
export const INITIAL_CONTROL_STATE: ControlState = Object.freeze({
  clockOffsetMs: 0,
  faults: Object.freeze({}),
  diceRolls: 0,
  ruleUses: Object.freeze([]),
  resetEpoch: 0,
  version: 0,
});

/**
 * Where the shared control state lives. Every change is one atomic operation that answers the
 * state after it, so concurrent control calls through different instances never lose one another.
 */
export interface ControlStateStore {
  /** The state now (one cheap read per request). */
  read(): Promise<ControlState>;
  /** Moves the shared clock by `ms` (forward; the caller checks). */
  advanceClock(ms: number): Promise<ControlState>;
  /** Puts `faults` in force (`{}` clears them), restarts the dice at roll 0 and the rules' counts. */
  setFaults(faults: FaultsControl): Promise<ControlState>;
  /**
   * Bumps the reset epoch and clears the faults. The clock stays where it is, unless
   * `restoreClock`: then the offset goes back to zero (the time the clock was started at).
   */
  reset(restoreClock?: boolean): Promise<ControlState>;
  /** Takes the next dice roll under the faults in force: answers its index (0, 1, 2, …). */
  rollDice(): Promise<number>;
  /**
   * Takes one strike of fault rule `index`, which may strike `times` requests: answers false once
   * they are spent. Atomic, so instances sharing the state strike `times` requests between them.
   */
  useRule(index: number, times: number): Promise<boolean>;
}
