import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiAs } from './support/http';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

interface CliKeys {
  readonly LIVEDROP_URL: string;
  readonly LIVEDROP_SECRET_KEY: string;
}

/** Starts `livedrop-mock --port 0 --json --seed live-drop …args` from source; resolves with its keys and a stop function. */
async function startCli(args: string[], seedFile: string): Promise<{ keys: CliKeys; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--port', '0', '--json', '--seed', seedFile, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), NODE_OPTIONS: '' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const keys = await new Promise<CliKeys>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as CliKeys);
    });
    void exited.then(() => reject(new Error(`livedrop-mock exited before printing its keys: ${stderr}`)));
  });
  return {
    keys,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Issues 11 tokens for one buyer on the seeded live offer; answers each status. */
async function elevenTokens(keys: CliKeys): Promise<number[]> {
  const api = apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY);
  const sessions = await api.get('/v1/sessions?status=live');
  const view = await api.get(`/v1/sessions/${sessions.body.data[0].id}`);
  const offerId = view.body.offers.find((offer: { status: string }) => offer.status === 'live').id as string;
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++)
    statuses.push((await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'buyer_cli' })).status);
  return statuses;
}

describe('livedrop-mock rate limits', () => {
  it('livedrop-mock limits buyers by default and --no-rate-limits turns the limits off', {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livedrop-rate-limits-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ fixture: 'live-drop' }));
    try {
      const limited = await startCli([], seedFile);
      try {
        expect(await elevenTokens(limited.keys)).toEqual([...Array<number>(10).fill(201), 429]);
      } finally {
        await limited.stop();
      }
      const open = await startCli(['--no-rate-limits'], seedFile);
      try {
        expect(await elevenTokens(open.keys)).toEqual(Array<number>(11).fill(201));
      } finally {
        await open.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
