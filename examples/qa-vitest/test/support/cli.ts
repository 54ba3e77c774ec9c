import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** What `livedrop-mock --json` prints on stdout. */
export interface CliKeys {
  LIVEDROP_URL: string;
  LIVEDROP_SECRET_KEY: string;
  LIVEDROP_PUBLISHABLE_KEY: string;
  LIVEDROP_CREATOR_KEY: string;
  LIVEDROP_MODERATOR_KEY: string;
  LIVEDROP_CONTROL_KEY: string;
}

/** A running `livedrop-mock`: its keys, and `stop()`, which resolves with its exit code. */
export interface RunningCli {
  readonly keys: CliKeys;
  stop(): Promise<number | null>;
}

/**
 * Spawns `livedrop-mock --port 0 --json` (from this repository's sources; outside it, run the
 * `livedrop-mock` binary) and resolves with its keys once it listens.
 */
export function startCli(args: string[] = []): Promise<RunningCli> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/mock-server/src/cli.ts', '--port', '0', '--json', ...args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve({ keys: JSON.parse(stdout) as CliKeys, stop });
      } catch {
        // Not the whole object yet.
      }
    });
    void exited.then((code) => reject(new Error(`livedrop-mock exited with ${code} before it listened:\n${stderr}`)));
  });
}
