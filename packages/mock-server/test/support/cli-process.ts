import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** The variables `livedrop-mock` prints, in the order it prints them. */
export const CLI_KEY_NAMES = [
  'LIVEDROP_URL',
  'LIVEDROP_SECRET_KEY',
  'LIVEDROP_PUBLISHABLE_KEY',
  'LIVEDROP_CREATOR_KEY',
  'LIVEDROP_MODERATOR_KEY',
  'LIVEDROP_CONTROL_KEY',
] as const;

/** The keys a `livedrop-mock` process printed, by variable name. */
export type CliKeys = Record<(typeof CLI_KEY_NAMES)[number], string>;

/** A running `livedrop-mock` process and everything it printed so far. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  /** Resolves when the process exits, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<CliProcess>();

/**
 * Runs the CLI from source (`node --import tsx src/cli.ts …`); the root tsconfig maps `@livedrop/*`
 * to the sources. Every process started here is tracked until it exits, so {@link killAllClis}
 * can end what a test left running.
 * @example
 * const cli = runCli(['--help']);
 * expect(await cli.exited).toEqual({ code: 0, signal: null });
 */
export function runCli(args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), NODE_OPTIONS: '' },
  });
  const cli: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (cli.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (cli.stderr += chunk));
  running.add(cli);
  void cli.exited.then(() => running.delete(cli));
  return cli;
}

/** Resolves once `done(stdout)` holds, or fails with what the CLI printed if it exits first. */
export async function waitForOutput(cli: CliProcess, done: (stdout: string) => boolean): Promise<void> {
  while (!done(cli.stdout)) {
    const exited = await Promise.race([
      cli.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 25)),
    ]);
    if (exited && !done(cli.stdout))
      throw new Error(
        `the CLI exited (${JSON.stringify(exited)}) before printing its keys:\n${cli.stdout}\n${cli.stderr}`,
      );
  }
}

/** Reads the `KEY=value` lines the CLI prints; fails naming the first line that is not one. */
export function parseKeyLines(stdout: string): CliKeys {
  const keys: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const match = /^([A-Z_]+)=(\S+)$/.exec(line);
    if (!match) throw new Error(`not a KEY=value line: ${line}`);
    keys[match[1]!] = match[2]!;
  }
  return keys as CliKeys;
}

/**
 * Starts the CLI on a free port (`--port 0` before `args`) and waits until it has printed its keys
 * (as `KEY=value` lines, or one JSON object with `--json`).
 * @example
 * const { cli, keys } = await startCli(['--redis', redis.url]);
 * await fetch(`${keys.LIVEDROP_URL}/healthz`);
 */
export async function startCli(args: readonly string[]): Promise<{ cli: CliProcess; keys: CliKeys }> {
  const cli = runCli(['--port', '0', ...args]);
  await waitForOutput(cli, (stdout) =>
    args.includes('--json')
      ? stdout.endsWith('}\n')
      : stdout.includes('LIVEDROP_CONTROL_KEY=') && stdout.endsWith('\n'),
  );
  const keys = args.includes('--json') ? (JSON.parse(cli.stdout) as CliKeys) : parseKeyLines(cli.stdout);
  return { cli, keys };
}

/** SIGKILLs every CLI process still running and waits until each has exited (an `afterEach`). */
export async function killAllClis(): Promise<void> {
  for (const cli of running) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
}
