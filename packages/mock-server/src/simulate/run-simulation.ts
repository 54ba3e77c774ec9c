import { planArrivals } from './arrival-plan';
import { costOf, type CostBreakdown, type CostModel } from './cost-model';
import { runScenario, SCENARIOS, type ScenarioName, type ScenarioOptions, type ScenarioResult } from './run-scenario';
import type { DropSchedule } from './schedule';

/** Options of {@link runSimulation}. */
export interface SimulationOptions extends Omit<ScenarioOptions, 'onTick'> {
  readonly costModel: CostModel;
  /** Which scenarios to run. @default all of {@link SCENARIOS} */
  readonly scenarios?: readonly ScenarioName[];
  /** Told when a scenario starts and after each simulated second with work in it. */
  readonly onProgress?: (scenario: ScenarioName, done: number, total: number) => void;
}

/** One scenario's measurements and cost. */
export interface ScenarioReport extends ScenarioResult {
  readonly cost: CostBreakdown;
  /** Edge hits over viewer requests (0 without an edge). */
  readonly edgeHitRatio: number;
  /** Measured server CPU milliseconds per origin request (compute seconds over origin requests). */
  readonly cpuMsPerOriginRequest: number;
}

/** What `livedrop simulate` reports. */
export interface SimulationReport {
  readonly schedule: DropSchedule;
  readonly scale: number;
  readonly pops: number;
  readonly costModel: CostModel;
  /** Real clients per session, and the viewers each stands for. */
  readonly audiences: readonly {
    readonly title: string;
    readonly expectedViewers: number;
    readonly clients: number;
    readonly weight: number;
    readonly startSecond: number;
    readonly endSecond: number;
  }[];
  readonly scenarios: readonly ScenarioReport[];
  readonly wallMs: number;
}

/**
 * Runs each scenario against its own fresh reference server (same schedule, same plan) and prices
 * what it measured with the cost model.
 */
export async function runSimulation(schedule: DropSchedule, options: SimulationOptions): Promise<SimulationReport> {
  const began = performance.now();
  const plan = planArrivals(schedule, options.scale);
  const scenarios: ScenarioReport[] = [];
  for (const scenario of options.scenarios ?? SCENARIOS) {
    options.onProgress?.(scenario, 0, plan.ticks.length);
    const result = await runScenario(
      scenario,
      schedule,
      { ...options, onTick: (done, total) => options.onProgress?.(scenario, done, total) },
      plan,
    );
    const { totals } = result;
    scenarios.push({
      ...result,
      cost: costOf(totals, options.costModel),
      edgeHitRatio: totals.viewerRequests === 0 ? 0 : totals.edgeHits / totals.viewerRequests,
      cpuMsPerOriginRequest: totals.originRequests === 0 ? 0 : (totals.computeSeconds * 1000) / totals.originRequests,
    });
  }
  return {
    schedule,
    scale: options.scale,
    pops: options.pops,
    costModel: options.costModel,
    audiences: plan.audiences.map((audience, index) => ({
      title: schedule.sessions[index]!.title,
      expectedViewers: schedule.sessions[index]!.expectedViewers,
      ...audience,
    })),
    scenarios,
    wallMs: performance.now() - began,
  };
}
