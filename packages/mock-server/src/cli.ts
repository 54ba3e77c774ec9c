#!/usr/bin/env node
/**
 * `livedrop-mock`: runs the LiveDrop reference server on a port and prints its test keys as
 * `KEY=value` lines (or one JSON object with `--json`) on stdout, hints on stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BuiltInFixture, FixtureDefinition, SeedControl, type FixtureIds, type Problem } from '@livedrop/core';
import { toFieldErrors } from './http/validate';
import { redisConnectionOf, redisStore, startReferenceServer, type StartedReferenceServer } from './node';
import { createLogLines, routeConsoleTo, type LogFormat } from './node/log-lines';

const USAGE = `Usage: livedrop-mock [--port N] [--host H] [--seed NAME|FILE] [--no-rate-limits]
                     [--allow-private-webhooks] [--public-url URL] [--journal-size N | --no-journal]
                     [--redis URL]
                     [--json] [--log-format json|pretty] [--help]

Runs the LiveDrop reference server and prints its test keys.

Options:
  --port N          port to listen on; 0 picks a free one (default 4010)
  --host H          interface to bind (default 127.0.0.1)
  --seed NAME|FILE  load a fixture at start: a built-in one by name (empty, basic,
                    live-drop) or your own, a JSON file of sellers, creators, sessions,
                    offers, reservations... (docs/testing.md); prints LIVEDROP_FIXTURE_IDS
  --no-rate-limits  turn off rate limits and the velocity check (load tests)
  --allow-private-webhooks
                    let webhook endpoints point at private, loopback and link-local
                    addresses (a receiver on this machine); never on a shared server
  --public-url URL  the base URL /openapi.json names in servers (default /)
  --journal-size N  how many requests GET /__control/requests keeps (default 1000)
  --no-journal      keep no request journal
  --redis URL       keep the state in Redis (redis://host:6379, rediss://…, or
                    unix:///path/redis.sock; default $LIVEDROP_REDIS_URL): every
                    instance on the same Redis serves one platform with the same keys,
                    and a restart loses nothing (docs/scale-out.md)
  --json            print the keys as one JSON object instead of KEY=value lines
  --log-format F    log lines on stderr as json (one object a line) or pretty text
                    (default: pretty on a terminal, json otherwise)
  -h, --help        show this help

Stop it with Ctrl-C (SIGINT) or SIGTERM.`;

const DEFAULT_PORT = 4010;

/** A usage mistake: the message and the usage go to stderr, exit code 2. */
class UsageError extends Error {}

interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
  readonly rateLimits: boolean;
  readonly allowPrivateWebhooks: boolean;
  readonly publicUrl: string | undefined;
  /** The journal's size; false when `--no-journal`. */
  readonly journal: number | false;
  readonly logFormat: LogFormat;
  /** The Redis URL (`--redis` or `LIVEDROP_REDIS_URL`); undefined keeps the state in memory. */
  readonly redis: string | undefined;
}

function readFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-rate-limits': { type: 'boolean', default: false },
        'allow-private-webhooks': { type: 'boolean', default: false },
        'public-url': { type: 'string' },
        'journal-size': { type: 'string' },
        'no-journal': { type: 'boolean', default: false },
        redis: { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    // Unknown flags, missing values and stray arguments all land here.
    throw new UsageError((error as Error).message);
  }
}

function parseCli(argv: string[]): CliOptions {
  const values = readFlags(argv);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || values.port?.trim() === '') {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port ?? ''}".`);
  }
  if (values.host !== undefined && values.host.trim() === '')
    throw new UsageError('--host needs an interface, e.g. 127.0.0.1 or 0.0.0.0.');
  if (values['public-url'] !== undefined && !/^(?:https?:\/\/[^/\s]+)?\/?[^\s]*$/.test(values['public-url']))
    throw new UsageError(
      `--public-url must be an http(s) URL or a path, e.g. https://api.example.com, got "${values['public-url']}".`,
    );
  if (values['no-journal'] && values['journal-size'] !== undefined)
    throw new UsageError('--journal-size and --no-journal contradict each other; pass one.');
  const journalSize = values['journal-size'] === undefined ? 1000 : Number(values['journal-size']);
  if (!Number.isInteger(journalSize) || journalSize < 1 || journalSize > 1_000_000)
    throw new UsageError(`--journal-size must be an integer from 1 to 1000000, got "${values['journal-size']}".`);
  const logFormat = values['log-format'] ?? (process.stderr.isTTY ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty')
    throw new UsageError(`--log-format must be json or pretty, got "${logFormat}".`);
  return {
    logFormat,
    port,
    host: values.host ?? '127.0.0.1',
    seed: values.seed,
    json: values.json,
    help: values.help,
    rateLimits: !values['no-rate-limits'],
    allowPrivateWebhooks: values['allow-private-webhooks'],
    publicUrl: values['public-url'],
    journal: values['no-journal'] ? false : journalSize,
    redis: redisUrlOf(values.redis ?? process.env.LIVEDROP_REDIS_URL),
  };
}

/** Checks the Redis URL before anything starts; an empty one means none. */
function redisUrlOf(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  try {
    redisConnectionOf(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`);
  }
  return url;
}

/** Reads and checks `--seed` before the server starts, so a bad fixture fails fast and clearly. */
async function readSeed(nameOrFile: string): Promise<SeedControl> {
  const builtIn = BuiltInFixture.safeParse(nameOrFile);
  if (builtIn.success) return { fixture: builtIn.data };
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `--seed: "${nameOrFile}" is neither a built-in fixture (${BuiltInFixture.options.join(', ')}) nor a file.`
        : `--seed: cannot read ${nameOrFile} (${(error as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--seed: ${nameOrFile} is not valid JSON (${(error as Error).message}).`);
  }
  // A file holds a fixture definition, or the control API's body ({"fixture": "basic"}).
  const isControlBody = typeof json === 'object' && json !== null && ('fixture' in json || 'definition' in json);
  const parsed = isControlBody ? SeedControl.safeParse(json) : FixtureDefinition.safeParse(json);
  if (!parsed.success) {
    const issues = toFieldErrors(parsed.error.issues).map((issue) => `  ${issue.message}`);
    throw new Error([`--seed: ${nameOrFile} is not a valid fixture:`, ...issues].join('\n'));
  }
  return isControlBody ? (parsed.data as SeedControl) : { definition: parsed.data as FixtureDefinition };
}

/** Loads the fixture through the control API, like any QA client would, and answers the ids it made. */
async function applySeed(ld: StartedReferenceServer, seed: SeedControl, source: string): Promise<FixtureIds> {
  const response = await ld.server.handle(
    new Request(`${ld.url}/__control/seed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ld.server.controlKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(seed),
    }),
  );
  const body = await response.json();
  if (response.ok) return body.ids as FixtureIds;
  const problem = body as Problem;
  const fields = (problem.errors ?? []).map((error) => `  ${error.path}: ${error.message}`);
  throw new Error([`--seed: loading ${source} failed: ${problem.detail}`, ...fields].join('\n'));
}

function keyLines(ld: StartedReferenceServer): Record<string, string> {
  const keys = ld.server.keys;
  return {
    LIVEDROP_URL: ld.url,
    LIVEDROP_SECRET_KEY: keys.secretKey,
    LIVEDROP_PUBLISHABLE_KEY: keys.publishableKey,
    LIVEDROP_CREATOR_KEY: keys.creatorKey,
    LIVEDROP_MODERATOR_KEY: keys.moderatorKey,
    LIVEDROP_CONTROL_KEY: ld.server.controlKey,
  };
}

async function main(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`livedrop-mock: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seed = options.seed === undefined ? undefined : await readSeed(options.seed);
  const ld = await startReferenceServer({
    port: options.port,
    host: options.host,
    ...(options.rateLimits ? {} : { rateLimits: false }),
    ...(options.allowPrivateWebhooks ? { webhooks: { allowPrivateNetworks: true } } : {}),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    journal: options.journal === false ? false : { size: options.journal },
    ...(options.redis ? { storage: redisStore(options.redis) } : {}),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(
        `port ${options.port} on ${options.host} is already in use; stop the other server or pass --port 0 for a free port.`,
      );
    throw error;
  });
  const log = createLogLines(options.logFormat, process.stderr);
  if (log.format === 'json') routeConsoleTo(log);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.write('info', 'draining: refusing new connections, finishing requests in flight', { signal });
    void ld.close().then(() => {
      log.write('info', 'stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const ids = seed && options.seed ? await applySeed(ld, seed, options.seed) : undefined;
  const lines: Record<string, string> = {
    ...keyLines(ld),
    // Single-quoted, so the line stays shell-ready (names and ids never hold a quote).
    ...(ids ? { LIVEDROP_FIXTURE_IDS: `'${JSON.stringify(ids)}'` } : {}),
  };
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ ...lines, ...(ids ? { LIVEDROP_FIXTURE_IDS: ids } : {}) })}\n`
      : Object.entries(lines)
          .map(([name, value]) => `${name}=${value}\n`)
          .join(''),
  );
  if (log.format === 'json') {
    // Where it listens and what it serves; the keys are on stdout only, never in the logs.
    log.write('info', 'reference server listening', {
      url: ld.url,
      ...(options.seed ? { fixture: options.seed } : {}),
      openapi: `${ld.url}/openapi.json`,
      health: `${ld.url}/healthz`,
      readiness: `${ld.url}/readyz`,
    });
    return;
  }
  process.stderr.write(
    [
      `livedrop-mock: reference server listening on ${ld.url}${options.seed ? ` (fixture ${options.seed} loaded)` : ''}; Ctrl-C stops it.`,
      `  try:   curl -s ${ld.url}/v1/events -H "Authorization: Bearer ${lines.LIVEDROP_SECRET_KEY}"`,
      `  state: curl -s ${ld.url}/__control/state -H "Authorization: Bearer ${lines.LIVEDROP_CONTROL_KEY}"`,
      `  docs:  ${ld.url}/openapi.json`,
      `  ops:   ${ld.url}/healthz, ${ld.url}/readyz, ${ld.url}/metrics (control key)`,
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`livedrop-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
