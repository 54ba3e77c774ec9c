import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts Debian's redis-server on a unix socket in a temporary folder, with the configuration
 * docs/scale-out.md recommends; fails naming the install command when it is missing.
 */
export async function startRedis() {
  if (spawnSync('redis-server', ['--version']).status !== 0)
    throw new Error('The Redis bench needs redis-server: apt-get install -y redis-server');
  const dir = await mkdtemp(join(tmpdir(), 'livedrop-bench-redis-'));
  const socket = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
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
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  for (let attempt = 0; !/ready to accept connections/i.test(output); attempt++) {
    if (attempt > 200 || child.exitCode !== null) throw new Error(`redis-server did not start:\n${output}`);
    await sleep(25);
  }
  return {
    url: `unix://${socket}`,
    socket,
    stop: async () => {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
