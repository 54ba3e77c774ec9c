import type { FaultRule, FaultsControl, LatencyDistribution } from '@livedrop/core';
import { ApiProblem } from './problem';
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

/** How a struck request fails: an answer with a status, or a broken connection. */
export type FaultFailure =
  | { readonly kind: 'status'; readonly problem: ApiProblem }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' };

/** What the faults in force do to one request: a delay, then perhaps a failure before or after the change. */
export interface FaultPlan {
  /** Milliseconds on the server's clock before the request is handled. */
  readonly latencyMs: number;
  readonly before: FaultFailure | null;
  readonly after: FaultFailure | null;
}

export const NO_FAULT: FaultPlan = { latencyMs: 0, before: null, after: null };

/** Whether `pathname` matches `pattern`: `*` is one segment, a trailing `**` the rest (at least one). */
export function pathMatches(pattern: string, pathname: string): boolean {
  const want = pattern.split('/');
  const got = pathname.split('/');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '**' && i === want.length - 1) return got.length > i;
    if (i >= got.length || (want[i] !== '*' && want[i] !== got[i])) return false;
  }
  return want.length === got.length;
}

/**
 * The flat fields of {@link FaultsControl} as rules: the latency on every request, and a 503 rolled
 * at `errorRate` in each phase `errorPhase` names (`both`: one roll before, one after).
 */
function flatRules(faults: FaultsControl): FaultRule[] {
  const { latencyMs, errorRate, errorPhase = 'before' } = faults;
  const rules: FaultRule[] = [];
  if (latencyMs) rules.push({ latency: { distribution: 'fixed', ms: latencyMs } });
  if (errorRate && errorPhase !== 'after') rules.push({ status: 503, rate: errorRate, phase: 'before' });
  if (errorRate && errorPhase !== 'before') rules.push({ status: 503, rate: errorRate, phase: 'after' });
  return rules;
}

function failureOf(rule: FaultRule, index: number | 'flat'): FaultFailure | null {
  if (rule.connection) return { kind: rule.connection };
  if (rule.status === undefined) return null;
  const which = index === 'flat' ? 'Injected fault' : `Injected fault (rule ${index})`;
  const after = rule.phase === 'after';
  const detail = after
    ? `${which} after the change committed: the response was lost; retry with the same Idempotency-Key.`
    : `${which} before the change: nothing was changed; retry.`;
  const code = (
    {
      429: 'rate_limited',
      500: 'internal_error',
      502: 'bad_gateway',
      503: 'service_unavailable',
      504: 'gateway_timeout',
    } as const
  )[rule.status];
  const retryAfter =
    rule.status === 429 || rule.status === 503 ? { 'retry-after': String(rule.retryAfterSeconds ?? 1) } : {};
  return { kind: 'status', problem: new ApiProblem(code, detail, { headers: retryAfter }) };
}

/**
 * Decides, per request, what the injected faults do. Every die is rolled on the seeded dice when
 * the faults have a `seed` (their count lives in the shared control state, so servers sharing it
 * roll one sequence between them), and `times` is counted there too.
 */
export class FaultInjector {
  readonly #control: ControlStateStore;

  constructor(control: ControlStateStore) {
    this.#control = control;
  }

  /** Whether the flat fields target this path (default: every `/v1` path); `dropStreams` reads it. */
  applies(faults: FaultsControl, pathname: string): boolean {
    const prefixes = faults.paths ?? ['/v1/'];
    return prefixes.some((prefix) => pathname.startsWith(prefix));
  }

  async #roll(faults: FaultsControl): Promise<number> {
    return faults.seed === undefined ? Math.random() : diceAt(faults.seed, await this.#control.rollDice());
  }

  async #latency(faults: FaultsControl, latency: LatencyDistribution): Promise<number> {
    switch (latency.distribution) {
      case 'fixed':
        return latency.ms;
      case 'uniform': {
        const [low, high] =
          latency.minMs <= latency.maxMs ? [latency.minMs, latency.maxMs] : [latency.maxMs, latency.minMs];
        return Math.round(low + (await this.#roll(faults)) * (high - low));
      }
      case 'normal': {
        // Box–Muller from two rolls; clamped at 0 and at the 30 s cap.
        const u = Math.max(await this.#roll(faults), Number.MIN_VALUE);
        const v = await this.#roll(faults);
        const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        return Math.min(30_000, Math.max(0, Math.round(latency.meanMs + z * latency.stdDevMs)));
      }
      case 'exponential':
        return Math.min(30_000, Math.round(-Math.log(1 - (await this.#roll(faults))) * latency.meanMs));
    }
  }

  /**
   * What the faults in force do to a `method` request on `pathname`. Every matching rule that
   * strikes applies: the delays add up; the first failure of each phase decides it.
   */
  async plan(faults: FaultsControl, method: string, pathname: string): Promise<FaultPlan> {
    // Most requests meet no faults: nothing is allocated for them.
    if (!faults.latencyMs && !faults.errorRate && !faults.rules?.length) return NO_FAULT;
    const flat = this.applies(faults, pathname) ? flatRules(faults) : [];
    const rules = faults.rules ?? [];
    let latencyMs = 0;
    let before: FaultFailure | null = null;
    let after: FaultFailure | null = null;
    const strike = async (rule: FaultRule, index: number | 'flat') => {
      if (rule.rate !== undefined && rule.rate < 1 && (await this.#roll(faults)) >= rule.rate) return;
      if (rule.times !== undefined && index !== 'flat' && !(await this.#control.useRule(index, rule.times))) return;
      if (rule.latency) latencyMs += await this.#latency(faults, rule.latency);
      const failure = failureOf(rule, index);
      if (rule.phase === 'after') after ??= failure;
      else before ??= failure;
    };
    for (const rule of flat) await strike(rule, 'flat');
    for (const [index, rule] of rules.entries()) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (!pathMatches(rule.path ?? '/v1/**', pathname)) continue;
      await strike(rule, index);
    }
    return { latencyMs: Math.min(latencyMs, 30_000), before, after };
  }
}
