import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_KEY_NAMES, killAllClis, runCli, startCli, waitForOutput } from './support/cli-process';
import { apiAs } from './support/http';

const LAST_UNIT = fileURLToPath(new URL('../../../examples/fixtures/last-unit.json', import.meta.url));

afterEach(killAllClis);

describe('livedrop-mock', () => {
  it('prints shell-ready KEY=value lines that work against the server, and exits 0 on SIGTERM', async () => {
    const { cli, keys } = await startCli(['--log-format', 'pretty']);
    expect(Object.keys(keys)).toEqual([...CLI_KEY_NAMES]);
    expect(keys.LIVEDROP_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(keys.LIVEDROP_URL).not.toMatch(/:0$/);
    expect(keys.LIVEDROP_SECRET_KEY).toMatch(/^sk_test_/);
    expect(keys.LIVEDROP_PUBLISHABLE_KEY).toMatch(/^pk_test_/);
    expect(keys.LIVEDROP_CREATOR_KEY).toMatch(/^ck_test_/);
    expect(keys.LIVEDROP_MODERATOR_KEY).toMatch(/^mk_test_/);
    expect(keys.LIVEDROP_CONTROL_KEY).toMatch(/^ctl_test_/);
    // The hint goes to stderr so stdout stays machine-readable.
    await waitForOutput(cli, () => cli.stderr.includes('curl'));
    expect(cli.stderr).toContain(keys.LIVEDROP_URL);

    const api = apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY);
    const seller = await api.post('/v1/sellers', { name: 'Acme' });
    expect(seller.status).toBe(201);
    expect((await api.get(`/v1/sellers/${seller.body.id}`)).body.name).toBe('Acme');
    const state = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_CONTROL_KEY).get('/__control/state');
    expect(state.status).toBe(200);
    expect(state.body.counts.sellers).toBe(1);
    expect(
      (await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_PUBLISHABLE_KEY).post('/v1/sellers', { name: 'x' })).status,
    ).toBe(403);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${keys.LIVEDROP_URL}/openapi.json`)).rejects.toThrow();
  });

  it('logs JSON lines on stderr when it is not a terminal: startup, drain and stop, never a key', async () => {
    const { cli, keys } = await startCli([]);
    await waitForOutput(cli, () => cli.stderr.includes('\n'));
    const started = JSON.parse(cli.stderr.split('\n')[0]!);
    expect(started).toMatchObject({ level: 'info', msg: 'reference server listening', url: keys.LIVEDROP_URL });
    expect(new Date(started.time).toISOString()).toBe(started.time);
    expect((await fetch(`${keys.LIVEDROP_URL}/healthz`)).status).toBe(200);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    const lines = cli.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['info', 'reference server listening'],
      ['info', 'draining: refusing new connections, finishing requests in flight'],
      ['info', 'stopped'],
    ]);
    expect(lines[1].signal).toBe('SIGTERM');
    for (const value of Object.values(keys).slice(1)) expect(cli.stderr).not.toContain(value);
  });

  it('--log-format must be json or pretty', async () => {
    const cli = runCli(['--log-format', 'xml']);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toContain('--log-format must be json or pretty, got "xml"');
  });

  it('exits 0 on SIGINT (Ctrl-C) too', async () => {
    const { cli } = await startCli([]);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('--json prints one JSON object with the same keys', async () => {
    const { cli, keys } = await startCli(['--json']);
    expect(cli.stdout.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(keys).sort()).toEqual([...CLI_KEY_NAMES].sort());
    const response = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY).get('/v1/events');
    expect(response.status).toBe(200);
  });

  it('refuses loopback webhook URLs unless --allow-private-webhooks, and names --public-url in /openapi.json', async () => {
    const hook = { url: 'http://127.0.0.1:9/hooks', eventTypes: ['*'] };
    const closed = await startCli([]);
    const refused = await apiAs(closed.keys.LIVEDROP_URL, closed.keys.LIVEDROP_SECRET_KEY).post(
      '/v1/webhook-endpoints',
      hook,
    );
    expect(refused.status).toBe(400);
    expect((await apiAs(closed.keys.LIVEDROP_URL, undefined).get('/openapi.json')).body.servers[0].url).toBe('/');

    const open = await startCli(['--allow-private-webhooks', '--public-url', 'https://api.example.com']);
    const created = await apiAs(open.keys.LIVEDROP_URL, open.keys.LIVEDROP_SECRET_KEY).post(
      '/v1/webhook-endpoints',
      hook,
    );
    expect(created.status).toBe(201);
    const doc = await apiAs(open.keys.LIVEDROP_URL, undefined).get('/openapi.json');
    expect(doc.body.servers[0].url).toBe('https://api.example.com');
  });

  describe('--seed', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    });
    const fixtureFile = async (content: string) => {
      dir ??= await mkdtemp(join(tmpdir(), 'livedrop-cli-'));
      const file = join(dir, 'seed.json');
      await writeFile(file, content);
      return file;
    };

    it('loads a built-in fixture by name, or the control body {"fixture"} from a file', async () => {
      for (const seed of ['live-drop', await fixtureFile('{ "fixture": "live-drop" }')]) {
        const { keys } = await startCli(['--seed', seed]);
        const sessions = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY).get('/v1/sessions?status=live');
        expect(sessions.body.data).toHaveLength(1);
        const state = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_CONTROL_KEY).get('/__control/state');
        expect(state.body.counts).toMatchObject({ sellers: 1, sessions: 1, offers: 2 });
      }
    });

    it('loads a fixture definition from a file and prints the ids it made as LIVEDROP_FIXTURE_IDS', async () => {
      const { keys } = await startCli(['--json', '--seed', LAST_UNIT]);
      const ids = (keys as unknown as { LIVEDROP_FIXTURE_IDS: { offers: Record<string, string> } })
        .LIVEDROP_FIXTURE_IDS;
      const offer = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY).get(`/v1/offers/${ids.offers.parka}`);
      expect(offer.body.stock).toMatchObject({ available: 1, reserved: 3, backordered: 2 });

      const lines = await startCli(['--seed', LAST_UNIT]);
      expect(JSON.parse(lines.cli.stdout.match(/^LIVEDROP_FIXTURE_IDS='(.+)'$/m)![1]!).offers.parka).toMatch(/^off_/);
    });

    it('exits 1 naming the field for a definition the schema or the API refuses', async () => {
      const badName = runCli(['--port', '0', '--seed', await fixtureFile('{ "sellers": { "a": { "name": "" } } }')]);
      expect((await badName.exited).code).toBe(1);
      expect(badName.stderr).toContain('is not a valid fixture');
      expect(badName.stderr).toContain('"sellers.a.name" must be at least 1 characters long');

      const file = join(dir!, 'missing-seller.json');
      await writeFile(file, JSON.stringify({ sessions: { s: { creator: 'nobody', title: 'Drop' } } }));
      const missing = runCli(['--port', '0', '--seed', file]);
      expect((await missing.exited).code).toBe(1);
      expect(missing.stderr).toContain(`--seed: loading ${file} failed`);
      expect(missing.stderr).toContain('definition.sessions.s.creator: names creators "nobody"');
      expect(missing.stdout).toBe('');
    });

    it('exits 1 with a clear message for a missing file, bad JSON or an unknown fixture', async () => {
      const cases: [string, string][] = [
        [
          join(tmpdir(), 'livedrop-no-such-seed.json'),
          'is neither a built-in fixture (empty, basic, live-drop) nor a file',
        ],
        [await fixtureFile('{ fixture: basic }'), 'not valid JSON'],
      ];
      const unknownFile = join(dir!, 'unknown.json');
      await writeFile(unknownFile, '{ "fixture": "everything" }');
      const clis = cases.map(([file]) => runCli(['--port', '0', '--seed', file]));
      const unknown = runCli(['--port', '0', '--seed', unknownFile]);
      for (const [index, cli] of clis.entries()) {
        expect(await cli.exited).toEqual({ code: 1, signal: null });
        expect(cli.stderr).toContain(cases[index]![1]);
        expect(cli.stdout).toBe('');
      }
      expect((await unknown.exited).code).toBe(1);
      expect(unknown.stderr).toContain('"fixture" must be one of "empty", "basic", "live-drop"');
    });
  });

  it('exits 2 with the usage for an unknown flag or a bad port', async () => {
    const runs = [['--bogus'], ['--port', 'eighty'], ['--port', '70000'], ['stray']].map((args) => ({
      args,
      cli: runCli(args),
    }));
    for (const { args, cli } of runs) {
      expect(await cli.exited, args.join(' ')).toEqual({ code: 2, signal: null });
      expect(cli.stderr).toContain('Usage: livedrop-mock');
      expect(cli.stdout).toBe('');
    }
  });

  it('--journal-size bounds the request journal; --no-journal turns it off', async () => {
    const { keys } = await startCli(['--journal-size', '2']);
    const api = apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_SECRET_KEY);
    for (let i = 0; i < 3; i++) await api.get('/v1/events');
    const page = await apiAs(keys.LIVEDROP_URL, keys.LIVEDROP_CONTROL_KEY).get('/__control/requests');
    expect(page.body).toMatchObject({ size: 2, evicted: 1 });
    expect(page.body.data.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);

    const off = await startCli(['--no-journal']);
    const refused = await apiAs(off.keys.LIVEDROP_URL, off.keys.LIVEDROP_CONTROL_KEY).get('/__control/requests');
    expect(refused.status).toBe(409);

    for (const args of [
      ['--journal-size', '0'],
      ['--journal-size', '5', '--no-journal'],
    ]) {
      const cli = runCli(args);
      expect(await cli.exited, args.join(' ')).toEqual({ code: 2, signal: null });
      expect(cli.stderr).toContain('--journal-size');
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stdout).toContain('Usage: livedrop-mock');
    expect(cli.stdout).toContain('--seed');
  });
});
