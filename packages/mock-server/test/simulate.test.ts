import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCacheControl } from '../src/simulate/cache-control';
import { runSimulateCli } from '../src/simulate/cli';
import type { CostModel } from '../src/simulate/cost-model';
import { runSimulation, type SimulationReport } from '../src/simulate/run-simulation';
import { parseSchedule, type DropScheduleInput } from '../src/simulate/schedule';
import { renderChart } from '../src/simulate/svg-chart';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../src/simulate/bin.ts', import.meta.url));

/** One short session: a one-minute ramp, the start, an offer a minute in, three minutes live. */
const SMALL: DropScheduleInput = {
  startsAt: '2026-11-27T18:00:00.000Z',
  sessions: [
    {
      title: 'Small drop',
      startMinute: 12,
      durationMinutes: 3,
      expectedViewers: 2000,
      offers: [{ title: 'Cap', publishMinute: 1, priceCents: 2500, quantity: 100 }],
    },
  ],
  arrival: { rampMinutes: 1, decaySeconds: 3 },
};

/** Prices chosen so each line of the formula is visible in the total. */
const MODEL: CostModel = {
  originPerMillionRequests: 3,
  originPerGb: 50,
  edgePerMillionRequests: 2,
  edgePerGb: 40,
  perVcpuSecond: 0.5,
};

/** Checks that every tag of `xml` is closed in order (no XML parser needed for our own output). */
function isWellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0 && xml.trimStart().startsWith('<svg');
}

function bufferIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { io: { stdout, stderr, cwd: ROOT }, out: () => out, err: () => err };
}

describe('livedrop simulate over real HTTP', () => {
  let report: SimulationReport;
  beforeAll(async () => {
    report = await runSimulation(parseSchedule(SMALL), {
      scale: 0.02,
      pops: 2,
      concurrency: 16,
      pollSeconds: 15,
      costModel: MODEL,
    });
  }, 60_000);

  const scenario = (name: string) => report.scenarios.find((s) => s.scenario === name)!;

  it('runs the three scenarios with the same viewer traffic, scaled back to the audience', () => {
    expect(report.scenarios.map((s) => s.scenario)).toEqual(['no-edge', 'edge', 'edge-warmup']);
    expect(report.audiences[0]).toMatchObject({ clients: 40, weight: 50 });
    const viewerRequests = report.scenarios.map((s) => s.totals.viewerRequests);
    // Every viewer reads once and opens its stream on arrival, and reads again at the offer's publish.
    expect(viewerRequests[0]).toBeGreaterThan(2 * 2000);
    expect(new Set(viewerRequests).size).toBe(1);
  });

  it('accounts every viewer request as an edge hit or an origin request', () => {
    for (const s of report.scenarios) {
      expect(s.totals.edgeHits + s.totals.viewerRequestsToOrigin).toBeCloseTo(s.totals.viewerRequests, 6);
      const { viewer, edge, platform } = s.totals.originRequestsByCause;
      expect(viewer + edge + platform).toBeCloseTo(s.totals.originRequests, 6);
      expect(viewer).toBeCloseTo(s.totals.viewerRequestsToOrigin, 6);
    }
    expect(scenario('no-edge').totals.edgeHits).toBe(0);
    expect(scenario('no-edge').totals.edgeRequests).toBe(0);
    expect(scenario('no-edge').edgeHitRatio).toBe(0);
  });

  it("cuts origin requests with an edge cache that obeys the origin's Cache-Control", () => {
    expect(scenario('edge').totals.originRequests).toBeLessThan(scenario('no-edge').totals.originRequests / 2);
    expect(scenario('edge').edgeHitRatio).toBeGreaterThan(0.3);
    expect(scenario('edge').totals.originBytes).toBeLessThan(scenario('no-edge').totals.originBytes);
  });

  it('warms up on livedrop.session.warmup_due and lowers the origin load at the start', () => {
    const warm = scenario('edge-warmup');
    const cold = scenario('edge');
    expect(warm.warmups).toBe(1);
    expect(cold.warmups).toBe(0);
    const start = report.audiences[0]!.startSecond;
    expect(warm.totals.originPerSecond.get(start) ?? 0).toBeLessThan(cold.totals.originPerSecond.get(start) ?? 0);
    expect(warm.totals.peakOriginPerSecond).toBeLessThan(cold.totals.peakOriginPerSecond);
    // Fan-out: one origin stream per POP instead of one per viewer.
    expect(warm.totals.originStreams).toBe(2);
    expect(cold.totals.originStreams).toBe(2000);
  });

  it('measures server CPU per origin request and prices the counts with the documented formula', () => {
    for (const s of report.scenarios) {
      const t = s.totals;
      expect(t.computeSeconds).toBeGreaterThan(0);
      const expected =
        (t.originRequests / 1e6) * MODEL.originPerMillionRequests +
        (t.originBytes / 1e9) * MODEL.originPerGb +
        (t.edgeRequests / 1e6) * MODEL.edgePerMillionRequests +
        (t.edgeBytes / 1e9) * MODEL.edgePerGb +
        t.computeSeconds * MODEL.perVcpuSecond;
      expect(s.cost.total).toBeCloseTo(expected, 10);
    }
  });

  it('draws a well-formed SVG with one series per scenario', () => {
    const svg = renderChart(report);
    expect(isWellFormed(svg)).toBe(true);
    expect(svg.match(/class="series"/g)).toHaveLength(3);
    for (const label of ['no edge', 'edge cache', 'edge cache + warm-up'])
      expect(svg).toContain(`data-scenario="${label}"`);
    expect(svg).toContain('origin requests / s');
  });
});

describe('livedrop simulate CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livedrop-simulate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the table and writes the chart for a schedule file', async () => {
    const schedulePath = join(dir, 'schedule.json');
    await writeFile(schedulePath, JSON.stringify(SMALL));
    const svgPath = join(dir, 'chart.svg');
    const { io, out } = bufferIo();
    const code = await runSimulateCli(['--schedule', schedulePath, '--scale', '0.01', '--svg', svgPath, '--quiet'], io);
    expect(code).toBe(0);
    expect(out()).toMatch(
      /scenario\s+peak origin req\/s\s+origin requests\s+edge hit ratio\s+origin egress GB\s+edge egress GB/,
    );
    expect(out()).toMatch(/^edge cache \+ warm-up\s+[\d,]+/m);
    expect(out()).toContain(`Chart: ${svgPath}`);
    expect(isWellFormed(await readFile(svgPath, 'utf8'))).toBe(true);
  }, 60_000);

  it('answers bad flags and bad schedules with exit code 2 and the fix', async () => {
    const cases: [string[], RegExp][] = [
      [['--scale', '2'], /--scale must be a number above 0 and at most 1/],
      [['--pops', 'many'], /--pops must be a whole number from 1 to 64/],
      [['--edge-egress-cost=-1'], /--edge-egress-cost must be a non-negative number of dollars/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--schedule', join(dir, 'missing.json')], /--schedule: no file at/],
    ];
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        sessions: [{ title: 'x', startMinute: 5, durationMinutes: 2, expectedViewers: 0, offers: [] }],
      }),
    );
    cases.push([['--schedule', bad], /sessions\.0\.expectedViewers: .*\nSee docs\/simulate\.md/]);
    const late = join(dir, 'late.json');
    await writeFile(
      late,
      JSON.stringify({
        sessions: [
          {
            title: 'x',
            startMinute: 5,
            durationMinutes: 2,
            expectedViewers: 10,
            offers: [{ title: 'o', publishMinute: 3, priceCents: 1, quantity: 1 }],
          },
        ],
      }),
    );
    cases.push([['--schedule', late], /sessions\.0\.offers\.0\.publishMinute \(3\) must fall inside the session/]);
    for (const [args, message] of cases) {
      const { io, err, out } = bufferIo();
      expect(await runSimulateCli(args, io)).toBe(2);
      expect(err()).toMatch(message);
      expect(out()).toBe('');
    }
  });

  it('is the simulate subcommand of the livedrop bin', () => {
    const env = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), NODE_OPTIONS: '' };
    const help = spawnSync(process.execPath, ['--import', 'tsx', BIN, 'simulate', '--help'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: livedrop simulate [options]');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', BIN, 'simulate', '--scale', '0'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--scale must be');
  }, 30_000);
});

describe('parseCacheControl', () => {
  it('reads what a shared cache may do', () => {
    expect(parseCacheControl('public, max-age=2, stale-while-revalidate=10')).toEqual({
      storable: true,
      maxAgeMs: 2000,
      staleWhileRevalidateMs: 10_000,
    });
    expect(parseCacheControl('public, max-age=60, s-maxage=5')).toMatchObject({ maxAgeMs: 5000 });
    expect(parseCacheControl('no-cache')).toEqual({ storable: true, maxAgeMs: 0, staleWhileRevalidateMs: 0 });
    expect(parseCacheControl('private, no-store').storable).toBe(false);
    expect(parseCacheControl(null).storable).toBe(false);
  });
});
