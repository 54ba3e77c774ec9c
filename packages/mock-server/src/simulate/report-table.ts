import type { SimulationReport } from './run-simulation';
import type { ScenarioName } from './run-scenario';

/** How each scenario is titled in the table and the chart. */
export const SCENARIO_LABELS: Readonly<Record<ScenarioName, string>> = {
  'no-edge': 'no edge',
  edge: 'edge cache',
  'edge-warmup': 'edge cache + warm-up',
};

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)}`;
const dollars = (amount: number) => `$${amount.toFixed(amount < 10 ? 4 : 2)}`;

/** `rows` as columns padded to their widest cell; the first column left-aligned, the rest right. */
function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The report as the CLI prints it: the audience, then one row per scenario, aligned, with units. */
export function formatReport(report: SimulationReport, svgPath: string | null): string {
  const header = [
    'scenario',
    'peak origin req/s',
    'origin requests',
    'edge hit ratio',
    'origin egress GB',
    'edge egress GB',
    'origin streams',
    'CPU ms/req',
    'cost USD',
  ];
  const rows = report.scenarios.map((s) => [
    SCENARIO_LABELS[s.scenario],
    count.format(s.totals.peakOriginPerSecond),
    count.format(s.totals.originRequests),
    `${(s.edgeHitRatio * 100).toFixed(1)} %`,
    gb(s.totals.originBytes),
    gb(s.totals.edgeBytes),
    count.format(s.totals.originStreams),
    s.cpuMsPerOriginRequest.toFixed(3),
    dollars(s.cost.total),
  ]);
  const audience = report.audiences
    .map(
      (a) =>
        `  ${a.title}: ${count.format(a.expectedViewers)} viewers, ${count.format(a.clients)} real clients (1 per ${a.weight.toFixed(1)})`,
    )
    .join('\n');
  const m = report.costModel;
  return [
    `Peak cost simulation: ${report.audiences.length} sessions, scale ${report.scale}, ${report.pops} edge POPs, ${(report.wallMs / 1000).toFixed(1)} s`,
    audience,
    '',
    columns([header, ...rows]),
    '',
    `Cost model: $${m.originPerMillionRequests}/M origin requests, $${m.originPerGb}/GB origin egress, $${m.edgePerMillionRequests}/M edge requests, $${m.edgePerGb}/GB edge egress, $${m.perVcpuSecond}/vCPU-s (CPU measured per request).`,
    ...(svgPath ? [`Chart: ${svgPath}`] : []),
  ].join('\n');
}
