import type { FaultsControl } from '@livedrop/core';

/** A small seeded PRNG (mulberry32) so fault runs can repeat. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Decides, per request, which injected faults apply. */
export class FaultInjector {
  #random: () => number = Math.random;

  /** Reseeds the dice when the control API sets a seed. */
  configure(faults: FaultsControl): void {
    this.#random = faults.seed === undefined ? Math.random : createRandom(faults.seed);
  }

  /** Whether `faults` target this path (default: every `/v1` path). */
  applies(faults: FaultsControl, pathname: string): boolean {
    const prefixes = faults.paths ?? ['/v1/'];
    return prefixes.some((prefix) => pathname.startsWith(prefix));
  }

  /** Rolls the dice for an error in `phase`. */
  shouldFail(faults: FaultsControl, phase: 'before' | 'after'): boolean {
    const rate = faults.errorRate ?? 0;
    if (rate <= 0) return false;
    const configured = faults.errorPhase ?? 'before';
    if (configured !== 'both' && configured !== phase) return false;
    return this.#random() < rate;
  }
}
