import type { FaultsControl } from '@livedrop/core';
import { INITIAL_CONTROL_STATE, type ControlState, type ControlStateStore } from '../control-state';

class MemoryControlState implements ControlStateStore {
  #state: ControlState = INITIAL_CONTROL_STATE;

  async read(): Promise<ControlState> {
    return this.#state;
  }

  async advanceClock(ms: number): Promise<ControlState> {
    return this.#change({ clockOffsetMs: this.#state.clockOffsetMs + ms });
  }

  async setFaults(faults: FaultsControl): Promise<ControlState> {
    return this.#change({ faults: Object.freeze({ ...faults }), diceRolls: 0, ruleUses: Object.freeze([]) });
  }

  async reset(restoreClock = false): Promise<ControlState> {
    return this.#change({
      faults: INITIAL_CONTROL_STATE.faults,
      diceRolls: 0,
      ruleUses: INITIAL_CONTROL_STATE.ruleUses,
      resetEpoch: this.#state.resetEpoch + 1,
      ...(restoreClock ? { clockOffsetMs: 0 } : {}),
    });
  }

  async rollDice(): Promise<number> {
    const roll = this.#state.diceRolls;
    this.#state = Object.freeze({ ...this.#state, diceRolls: roll + 1 });
    return roll;
  }

  async useRule(index: number, times: number): Promise<boolean> {
    const used = this.#state.ruleUses[index] ?? 0;
    if (used >= times) return false;
    const ruleUses = [...this.#state.ruleUses];
    ruleUses[index] = used + 1;
    this.#state = Object.freeze({ ...this.#state, ruleUses: Object.freeze(ruleUses) });
    return true;
  }

  #change(change: Partial<ControlState>): ControlState {
    this.#state = Object.freeze({ ...this.#state, ...change, version: this.#state.version + 1 });
    return this.#state;
  }
}

/**
 * Control state in this process's memory: the default of a single server; pass the same store to
 * several servers in one process and a clock move, a fault or a reset made through one is seen by all.
 * @example
 * const control = createMemoryControlState();
 * const server = createReferenceServer({ storage: (context) => new MemoryStorage({ ...context, control }) });
 */
export function createMemoryControlState(): ControlStateStore {
  return new MemoryControlState();
}
