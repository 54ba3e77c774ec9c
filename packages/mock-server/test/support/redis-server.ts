import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The command that installs the Redis server the Redis tests start. */
export const REDIS_INSTALL_COMMAND = 'apt-get install -y redis-server';

/** A `redis-server` of a test's own, listening on a unix socket in a temporary folder. */
export interface TestRedis extends AsyncDisposable {
  /** `unix:///tmp/…/redis.sock`: what `redisStore` and `--redis` take for a unix socket (nothing listens on TCP). */
  readonly url: string;
  /** The socket's path. */
  readonly socket: string;
  /** The folder holding the socket and the append-only file. */
  readonly dir: string;
  /** Kills the server at once (SIGKILL), as a crash would; the AOF stays. */
  kill(): Promise<void>;
  /** Starts the server again on the same folder: it loads its AOF. */
  restart(): Promise<void>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * Fails with the install command when Debian's `redis-server` is missing. The Redis tests never
 * skip: a machine without it fails them, saying how to fix it.
 */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `The Redis tests start their own redis-server, and none is installed here. Install it with \`${REDIS_INSTALL_COMMAND}\` (Debian; .ci/run does this) and run the tests again.`,
    );
}

/**
 * Starts `redis-server` on a unix socket in a new temporary folder, with the configuration
 * `docs/scale-out.md` recommends (`appendonly yes`, `appendfsync always`, `noeviction`), and waits
 * until it answers.
 * @example
 * await using redis = await startTestRedis();
 * const server = createReferenceServer({ storage: redisStore(redis.url) });
 */
export async function startTestRedis(): Promise<TestRedis> {
  requireRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'livedrop-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ];
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    for (let attempt = 0; attempt < 200; attempt++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode}):\n${output}`);
      if (/ready to accept connections/i.test(output)) return;
      await sleep(25);
    }
    started.kill('SIGKILL');
    throw new Error(`redis-server did not start within 5 s:\n${output}`);
  };

  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.once('exit', () => resolve()));

  const kill = async () => {
    if (!child) return;
    const running = child;
    child = undefined;
    running.kill('SIGKILL');
    await exited(running);
  };

  const stop = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };

  await start();
  return {
    url: `unix://${socket}`,
    socket,
    dir,
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
