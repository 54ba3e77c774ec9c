import { readFile, writeFile } from 'node:fs/promises';
import { parseSimulateArgs, USAGE, UsageError } from './args';
import { createProgressLine } from './progress-line';
import { formatReport } from './report-table';
import { runSimulation, type SimulationReport } from './run-simulation';
import { DEFAULT_SCHEDULE, parseSchedule, ScheduleError, type DropSchedule } from './schedule';
import { renderChart } from './svg-chart';

/** Where the CLI reads and writes: the process's streams from the bin, buffers in tests. */
export interface SimulateIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Where relative paths resolve. */
  readonly cwd: string;
}

async function loadSchedule(path: string): Promise<DropSchedule> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `--schedule: no file at ${path}.`
        : `--schedule: cannot read ${path} (${(error as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--schedule: ${path} is not valid JSON (${(error as Error).message}).`);
  }
  try {
    return parseSchedule(json, `--schedule ${path}`);
  } catch (error) {
    if (error instanceof ScheduleError) throw new UsageError(error.message);
    throw error;
  }
}

/** The report as JSON: per-second series as `[second, requests]` pairs. */
function toJson(report: SimulationReport, svgPath: string | null): string {
  return JSON.stringify(
    {
      ...report,
      svgPath,
      scenarios: report.scenarios.map((s) => ({
        ...s,
        totals: { ...s.totals, originPerSecond: [...s.totals.originPerSecond].sort((a, b) => a[0] - b[0]) },
      })),
    },
    null,
    2,
  );
}

/**
 * `livedrop simulate`: parses the flags, runs the three scenarios, prints the table (or JSON) and
 * writes the chart.
 * @returns the exit code: 0 on success, 2 for bad flags or a bad schedule
 */
export async function runSimulateCli(argv: readonly string[], io: SimulateIo): Promise<number> {
  let options: ReturnType<typeof parseSimulateArgs>;
  let schedule: DropSchedule;
  try {
    options = parseSimulateArgs(argv, io.cwd);
    if (options === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    schedule = options.schedulePath === null ? DEFAULT_SCHEDULE : await loadSchedule(options.schedulePath);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`livedrop simulate: ${error.message}\n`);
    return 2;
  }
  const progress = options.progress ? createProgressLine(io.stderr) : null;
  let report: SimulationReport;
  try {
    report = await runSimulation(schedule, {
      ...options,
      onProgress: (scenario, done, total) => progress?.update(scenario, done, total),
    });
  } finally {
    progress?.close();
  }
  if (options.svgPath !== null) await writeFile(options.svgPath, renderChart(report), 'utf8');
  io.stdout.write(`${options.json ? toJson(report, options.svgPath) : formatReport(report, options.svgPath)}\n`);
  return 0;
}
