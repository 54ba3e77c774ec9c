import type { FaultsControl } from '@livedrop/core';
import type { ControlStateStore } from './storage/control-state';

/** mulberry32's increment: roll `n` of a seed is the output of state `seed + (n + 1) * GOLDEN`. */
const GOLDEN = 0x6d2b79f5;

/**
 * Roll `index` (0, 1, 2, …) of the seeded dice, in [0, 1): mulberry32 jumped straight to that roll,
 * so the dice need no state but a count, which several instances can share.
 */
export function diceAt(seed: number, index: number): number {
  let t = (seed + Math.imul(index + 1, GOLDEN)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** A small seeded PRNG (mulberry32) so fault runs can repeat: the rolls {@link diceAt} gives, in order. */
export function createRandom(seed: number): () => number {
  let index = 0;
  return () => diceAt(seed, index++);
}

/**
 * Decides, per request, which injected faults apply. Seeded dice count their rolls in the shared
 * control state, so servers sharing it roll one sequence between them.
 */
export class FaultInjector {
  readonly #control: ControlStateStore;

  constructor(control: ControlStateStore) {
    this.#control = control;
  }

  /** Whether `faults` target this path (default: every `/v1` path). */
  applies(faults: FaultsControl, pathname: string): boolean {
    const prefixes = faults.paths ?? ['/v1/'];
    return prefixes.some((prefix) => pathname.startsWith(prefix));
  }

  /** Rolls the dice for an error in `phase` (no roll is taken when the faults cannot fail in it). */
  async shouldFail(faults: FaultsControl, phase: 'before' | 'after'): Promise<boolean> {
    const rate = faults.errorRate ?? 0;
    if (rate <= 0) return false;
    const configured = faults.errorPhase ?? 'before';
    if (configured !== 'both' && configured !== phase) return false;
    const roll = faults.seed === undefined ? Math.random() : diceAt(faults.seed, await this.#control.rollDice());
    return roll < rate;
  }
}
