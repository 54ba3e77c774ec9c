/**
 * Starts what the suite runs against, as a QA pipeline would: `livedrop-mock --seed live-drop` as
 * its own process, and the platform's page (the checkout widget for the seeded session), whose
 * backend mints a buyer session with the secret key on every load. The URLs and the control key
 * reach the tests through the environment.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCheckoutPage } from '@livedrop/checkout/page';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The widget's script-tag file, as a CDN would serve it (`unpkg` in its package.json). */
const widgetScript = join(
  dirname(createRequire(import.meta.url).resolve('@livedrop/checkout/package.json')),
  'dist/livedrop-checkout.global.js',
);

interface CliOutput {
  LIVEDROP_URL: string;
  LIVEDROP_SECRET_KEY: string;
  LIVEDROP_PUBLISHABLE_KEY: string;
  LIVEDROP_CONTROL_KEY: string;
  LIVEDROP_FIXTURE_IDS: { sessions: Record<string, string>; offers: Record<string, string> };
}

/** `livedrop-mock --port 0 --json --seed live-drop`, from this repository's build (elsewhere: `npx livedrop-mock`). */
async function startCli() {
  const child = spawn(
    process.execPath,
    ['packages/mock-server/dist/cli.js', '--port', '0', '--json', '--seed', 'live-drop'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const keys = await new Promise<CliOutput>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.endsWith('\n')) resolve(JSON.parse(stdout) as CliOutput);
    });
    child.once('exit', (code) =>
      reject(new Error(`livedrop-mock exited with ${code} (run pnpm build first?):\n${stderr}`)),
    );
  });
  return { keys, stop: () => child.kill('SIGTERM') };
}

export default async function globalSetup() {
  const cli = await startCli();
  const { keys } = cli;
  const script = await readFile(widgetScript);
  const page = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    if (url.pathname === '/livedrop-checkout.global.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    if (url.pathname !== '/') return void res.writeHead(404).end();
    // The platform's backend knows its signed-in buyer and asserts them with the secret key.
    const minted = await fetch(`${keys.LIVEDROP_URL}/v1/buyer-sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.LIVEDROP_SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ buyerId: url.searchParams.get('buyer') ?? 'shopper' }),
    });
    const { credential } = (await minted.json()) as { credential: string };
    const { html, contentSecurityPolicy } = renderCheckoutPage({
      sessionId: keys.LIVEDROP_FIXTURE_IDS.sessions.winter!,
      publishableKey: keys.LIVEDROP_PUBLISHABLE_KEY,
      baseUrl: keys.LIVEDROP_URL,
      scriptUrl: '/livedrop-checkout.global.js',
      buyerSession: credential,
      title: 'Winter Gear Drop',
    });
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy })
      .end(html);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  process.env.PAGE_URL = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  process.env.LIVEDROP_URL = keys.LIVEDROP_URL;
  process.env.LIVEDROP_CONTROL_KEY = keys.LIVEDROP_CONTROL_KEY;
  process.env.PARKA_ID = keys.LIVEDROP_FIXTURE_IDS.offers.parka;
  return async () => {
    page.close();
    cli.stop();
  };
}
