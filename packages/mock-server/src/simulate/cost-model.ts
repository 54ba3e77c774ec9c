import type { TrafficTotals } from './traffic-meter';

/**
 * Prices of the simple cost model, in US dollars. Every one is a flag of `livedrop simulate`.
 * GB are decimal (10⁹ bytes).
 */
export interface CostModel {
  /** $ per million requests the origin answers (load balancer / API gateway). `--origin-request-cost` */
  readonly originPerMillionRequests: number;
  /** $ per GB the origin sends (to the edge, or to viewers without one). `--origin-egress-cost` */
  readonly originPerGb: number;
  /** $ per million requests the edge answers. `--edge-request-cost` */
  readonly edgePerMillionRequests: number;
  /** $ per GB the edge sends to viewers. `--edge-egress-cost` */
  readonly edgePerGb: number;
  /** $ per vCPU-second of origin compute (measured CPU time per request × requests). `--vcpu-second-cost` */
  readonly perVcpuSecond: number;
}

/** Defaults of {@link CostModel}: list prices of a typical cloud and CDN, rounded. */
export const DEFAULT_COST_MODEL: CostModel = {
  originPerMillionRequests: 1,
  originPerGb: 0.09,
  edgePerMillionRequests: 1,
  edgePerGb: 0.085,
  perVcpuSecond: 0.0000113,
};

/** One scenario's cost, by line. */
export interface CostBreakdown {
  readonly originRequests: number;
  readonly originEgress: number;
  readonly edgeRequests: number;
  readonly edgeEgress: number;
  readonly compute: number;
  readonly total: number;
}

const GB = 1e9;
const MILLION = 1e6;

/**
 * The documented formula, applied to measured (scaled-up) totals:
 * `originRequests/10⁶ × originPerMillionRequests + originBytes/10⁹ × originPerGb
 *  + edgeRequests/10⁶ × edgePerMillionRequests + edgeBytes/10⁹ × edgePerGb + computeSeconds × perVcpuSecond`.
 */
export function costOf(totals: TrafficTotals, model: CostModel): CostBreakdown {
  const lines = {
    originRequests: (totals.originRequests / MILLION) * model.originPerMillionRequests,
    originEgress: (totals.originBytes / GB) * model.originPerGb,
    edgeRequests: (totals.edgeRequests / MILLION) * model.edgePerMillionRequests,
    edgeEgress: (totals.edgeBytes / GB) * model.edgePerGb,
    compute: totals.computeSeconds * model.perVcpuSecond,
  };
  return {
    ...lines,
    total: lines.originRequests + lines.originEgress + lines.edgeRequests + lines.edgeEgress + lines.compute,
  };
}
