import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What one run of the demo does; every field has a default (see {@link DEFAULT_OPTIONS}). */
export interface DemoOptions {
  /** Seed of every business decision (who pays, who declines, who walks away). Same seed, same outcome. */
  seed: number;
  /** Simulated buyers in the stampede. */
  buyers: number;
  /** Offers the creator adds to the session, the refused one included (at least 4: the scripted cases). */
  offers: number;
  /** Viewers watching the session's public stream (they measure publish → event received). */
  viewers: number;
  /** Buyer requests in flight at once. */
  concurrency: number;
  /** Print the summary as JSON on stdout instead of the table. */
  json: boolean;
  /** Keep the reference server running after the drop and print its URL and keys. */
  serve: boolean;
  /** Where the HTML report goes; null writes none. */
  out: string | null;
  /** Show progress on stderr. */
  progress: boolean;
  /** Run the reference server on this Redis (`--redis`) instead of in memory; null keeps it in memory. */
  redis: string | null;
}

/** The fewest offers that hold the scripted cases: a plain one, a backorder one, an escalated one, a refused one. */
export const MIN_OFFERS = 4;

/** Defaults of {@link DemoOptions}. */
export const DEFAULT_OPTIONS: DemoOptions = {
  seed: 42,
  buyers: 2000,
  offers: MIN_OFFERS,
  viewers: 200,
  concurrency: 64,
  json: false,
  serve: false,
  out: 'livedrop-report.html',
  progress: true,
  redis: null,
};

/** The CLI's help text. */
export const USAGE = `Usage: pnpm demo [options]

Runs a live drop end to end against the in-process reference server, through the public SDK only,
prints a summary and writes a self-contained HTML report.

Options:
  --seed <n>         seed of every business decision; same seed, same outcome   (default ${DEFAULT_OPTIONS.seed})
  --buyers <n>       simulated buyers in the stampede                          (default ${DEFAULT_OPTIONS.buyers})
  --offers <n>       offers in the session, at least ${MIN_OFFERS} (the scripted cases)      (default ${DEFAULT_OPTIONS.offers})
  --viewers <n>      viewers on the session's public stream                    (default ${DEFAULT_OPTIONS.viewers})
  --concurrency <n>  buyer requests in flight at once                          (default ${DEFAULT_OPTIONS.concurrency})
  --out <path>       where to write the HTML report                            (default ./${DEFAULT_OPTIONS.out})
  --no-report        write no HTML report
  --json             print the summary as JSON on stdout (progress stays on stderr)
  --quiet            no progress on stderr
  --serve            keep the server running afterwards and print its URL and keys
  --redis <url>      keep the server's state in Redis (redis://127.0.0.1:6379 or
                     unix:///path/redis.sock) instead of in memory (docs/scale-out.md)
  -h, --help         show this help
`;

/** A command line the demo cannot run with; the message says what to change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}.`);
  }
  return value;
}

/**
 * Parses the command line (without `node` and the script). `cwd` resolves a relative `--out`: pnpm
 * runs scripts in the package's folder, so the CLI passes the folder pnpm was started from.
 * @returns the options, or `'help'` when help was asked for
 * @throws UsageError naming the option to fix
 */
export function parseDemoArgs(argv: readonly string[], cwd: string): DemoOptions | 'help' {
  // `pnpm demo -- --seed 7` hands the script a leading `--`; it separates nothing here.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values } = parseFlags(args);
  if (values.help) return 'help';
  if (values['no-report'] && values.out !== undefined)
    throw new UsageError('--out and --no-report contradict each other; pass one.');
  const out = values['no-report'] ? null : resolve(cwd, values.out ?? DEFAULT_OPTIONS.out!);
  return {
    seed: integer('seed', values.seed, DEFAULT_OPTIONS.seed, 0, 2 ** 32 - 1),
    buyers: integer('buyers', values.buyers, DEFAULT_OPTIONS.buyers, 50, 100_000),
    offers: integer('offers', values.offers, DEFAULT_OPTIONS.offers, MIN_OFFERS, 12),
    viewers: integer('viewers', values.viewers, DEFAULT_OPTIONS.viewers, 1, 5_000),
    concurrency: integer('concurrency', values.concurrency, DEFAULT_OPTIONS.concurrency, 1, 1_000),
    json: values.json ?? false,
    serve: values.serve ?? false,
    out,
    progress: !(values.quiet ?? false),
    redis: redisUrl(values.redis),
  };
}

/** The `--redis` URL, checked before anything starts. */
function redisUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!/^(rediss?|unix):\/\/./.test(raw))
    throw new UsageError(
      `--redis takes redis://host:6379, rediss://host:6380 or unix:///path/redis.sock, not ${JSON.stringify(raw)}.`,
    );
  return raw;
}

/** node:util's parseArgs over the demo's flags; a bad flag is a UsageError with the usage text. */
function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        buyers: { type: 'string' },
        offers: { type: 'string' },
        viewers: { type: 'string' },
        concurrency: { type: 'string' },
        out: { type: 'string' },
        'no-report': { type: 'boolean' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        serve: { type: 'boolean' },
        redis: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}
