import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_COST_MODEL, type CostModel } from './cost-model';

/** What one `livedrop simulate` run does. */
export interface SimulateOptions {
  /** A schedule file, or null for the built-in evening. */
  readonly schedulePath: string | null;
  readonly scale: number;
  readonly pops: number;
  readonly concurrency: number;
  readonly pollSeconds: number;
  readonly costModel: CostModel;
  /** Where the SVG chart goes; null writes none. */
  readonly svgPath: string | null;
  readonly json: boolean;
  readonly progress: boolean;
}

/** Defaults of the run (the cost model's are {@link DEFAULT_COST_MODEL}). */
export const DEFAULTS = { scale: 0.005, pops: 4, concurrency: 64, pollSeconds: 15, svg: 'simulate.svg' } as const;

/** The help text. */
export const USAGE = `Usage: livedrop simulate [options]

Plays a drop day against the reference server at a scaled-down rate, through a caching edge you
can switch on, and reports origin load and cost for three scenarios: no edge, edge cache, and edge
cache with warm-up and stream fan-out. Prints a table and writes an SVG chart.

Schedule and scale:
  --schedule <file>            drop schedule as JSON (see docs/simulate.md)   (default: built-in evening, 20k/80k/200k viewers)
  --scale <0..1>               real clients per viewer                        (default ${DEFAULTS.scale}: 1 in ${1 / DEFAULTS.scale})
  --pops <n>                   edge points of presence                        (default ${DEFAULTS.pops})
  --concurrency <n>            viewer requests in flight at once              (default ${DEFAULTS.concurrency})
  --poll-seconds <n>           how often the edge scheduler reads warm-ups    (default ${DEFAULTS.pollSeconds})

Cost model (US dollars):
  --origin-request-cost <$>    per million origin requests                   (default ${DEFAULT_COST_MODEL.originPerMillionRequests})
  --origin-egress-cost <$>     per GB sent by the origin                      (default ${DEFAULT_COST_MODEL.originPerGb})
  --edge-request-cost <$>      per million edge requests                      (default ${DEFAULT_COST_MODEL.edgePerMillionRequests})
  --edge-egress-cost <$>       per GB sent by the edge                        (default ${DEFAULT_COST_MODEL.edgePerGb})
  --vcpu-second-cost <$>       per vCPU-second of measured origin CPU         (default ${DEFAULT_COST_MODEL.perVcpuSecond})

Output:
  --svg <path>, --out <path>   where the chart goes                           (default ./${DEFAULTS.svg})
  --no-svg                     write no chart
  --json                       print the report as JSON on stdout
  --quiet                      no progress on stderr
  -h, --help                   show this help
`;

/** A command line that cannot run; the message names the flag and the fix. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function numberFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  expected: string,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value))
    throw new UsageError(`--${name} must be ${expected}, not ${JSON.stringify(raw)}.`);
  return value;
}

const whole = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
const price = (n: number) => n >= 0;

/**
 * Parses the arguments after `simulate`. `cwd` resolves relative paths.
 * @returns the options, or `'help'`
 * @throws UsageError naming the flag to fix
 */
export function parseSimulateArgs(argv: readonly string[], cwd: string): SimulateOptions | 'help' {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by parseArgs's inference from its options, assigned inside try
  let values;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        schedule: { type: 'string' },
        scale: { type: 'string' },
        pops: { type: 'string' },
        concurrency: { type: 'string' },
        'poll-seconds': { type: 'string' },
        'origin-request-cost': { type: 'string' },
        'origin-egress-cost': { type: 'string' },
        'edge-request-cost': { type: 'string' },
        'edge-egress-cost': { type: 'string' },
        'vcpu-second-cost': { type: 'string' },
        svg: { type: 'string' },
        out: { type: 'string' },
        'no-svg': { type: 'boolean' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  if (values.svg !== undefined && values.out !== undefined)
    throw new UsageError('--svg and --out name the same file; pass one.');
  const svg = values.svg ?? values.out;
  if (values['no-svg'] && svg !== undefined) throw new UsageError('--no-svg contradicts --svg/--out; pass one.');
  if (values.schedule !== undefined && values.schedule.trim() === '')
    throw new UsageError('--schedule needs a path to a JSON file.');
  const m = DEFAULT_COST_MODEL;
  return {
    schedulePath: values.schedule === undefined ? null : resolve(cwd, values.schedule),
    scale: numberFlag(
      'scale',
      values.scale,
      DEFAULTS.scale,
      (n) => n > 0 && n <= 1,
      'a number above 0 and at most 1 (e.g. 0.005: one real client per 200 viewers)',
    ),
    pops: numberFlag('pops', values.pops, DEFAULTS.pops, whole(1, 64), 'a whole number from 1 to 64'),
    concurrency: numberFlag(
      'concurrency',
      values.concurrency,
      DEFAULTS.concurrency,
      whole(1, 1000),
      'a whole number from 1 to 1000',
    ),
    pollSeconds: numberFlag(
      'poll-seconds',
      values['poll-seconds'],
      DEFAULTS.pollSeconds,
      whole(1, 600),
      'a whole number of seconds from 1 to 600',
    ),
    costModel: {
      originPerMillionRequests: numberFlag(
        'origin-request-cost',
        values['origin-request-cost'],
        m.originPerMillionRequests,
        price,
        'a non-negative number of dollars',
      ),
      originPerGb: numberFlag(
        'origin-egress-cost',
        values['origin-egress-cost'],
        m.originPerGb,
        price,
        'a non-negative number of dollars',
      ),
      edgePerMillionRequests: numberFlag(
        'edge-request-cost',
        values['edge-request-cost'],
        m.edgePerMillionRequests,
        price,
        'a non-negative number of dollars',
      ),
      edgePerGb: numberFlag(
        'edge-egress-cost',
        values['edge-egress-cost'],
        m.edgePerGb,
        price,
        'a non-negative number of dollars',
      ),
      perVcpuSecond: numberFlag(
        'vcpu-second-cost',
        values['vcpu-second-cost'],
        m.perVcpuSecond,
        price,
        'a non-negative number of dollars',
      ),
    },
    svgPath: values['no-svg'] ? null : resolve(cwd, svg ?? DEFAULTS.svg),
    json: values.json ?? false,
    progress: !(values.quiet ?? false),
  };
}
