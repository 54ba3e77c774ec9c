/**
 * The browser adapter in a real Chromium (Debian's, driven by playwright-core) under a strict CSP:
 * the page hydrates a session, follows its public stream through torn connections and an `online`
 * signal, reserves across a reload, and never trips the CSP.
 *
 * The page is served by a node:http server on port 0 that also forwards `/v1/*` to the reference
 * server, so the API is same-origin (the reference server sends no CORS headers).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type LiveDropClient, type Offer } from '@livedrop/core';
import { createManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build as tsup, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tsupConfig from '../tsup.config';

const CHROMIUM = '/usr/bin/chromium';
const START = Date.parse('2026-11-25T18:00:00.000Z');
const packages = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds `@livedrop/browser` as it is published (its tsup config, into a scratch `dist` beside a copy
 * of its package.json, so bundlers see the real `sideEffects`), for the page to import.
 */
async function buildBrowserPackage(into: string): Promise<string> {
  const options = { ...(tsupConfig as Options) };
  const entry = Object.fromEntries(
    Object.entries(options.entry as Record<string, string>).map(([name, path]) => [
      name,
      join(packages, 'browser', path),
    ]),
  );
  // From the repository root, tsup would read the root's tsconfig paths and package.json: name the package's own.
  const external = Object.keys((await import('../package.json', { with: { type: 'json' } })).default.dependencies);
  await tsup({
    ...options,
    entry,
    external,
    tsconfig: join(packages, 'browser/tsconfig.json'),
    outDir: join(into, 'dist'),
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
  });
  await copyFile(join(packages, 'browser/package.json'), join(into, 'package.json'));
  return join(into, 'dist/index.js');
}

/** Resolves `@livedrop/browser` to the build and `@livedrop/core` to core's sources (what the tests run). */
function workspace(browserEntry: string): Plugin {
  return {
    name: 'workspace',
    setup(b) {
      b.onResolve({ filter: /^@livedrop\/browser$/ }, () => ({ path: browserEntry }));
      b.onResolve({ filter: /^@livedrop\/core$/ }, () => ({ path: join(packages, 'core/src/index.ts') }));
    },
  };
}

async function bundle(entry: string, browserEntry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    plugins: [workspace(browserEntry)],
    // The scratch build has no node_modules of its own: its `zod` is the package's.
    nodePaths: [join(packages, 'browser/node_modules')],
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** Records CSP violations from the very first script on, before any module code runs. */
const CSP_WATCH = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`;

const html = (script: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LiveDrop browser adapter</title>
<script src="/csp-watch.js"></script>
<script type="module" src="/${script}"></script>
<link rel="stylesheet" href="/page.css">
</head><body><h1 id="title">Loading…</h1><p>Stream: <strong id="status">loading</strong></p><ul id="offers"></ul></body></html>`;

const CSS =
  'body{font:16px system-ui,sans-serif;margin:2rem;color:#111}#status{color:#0a7d32}li{padding:.4rem 0;border-bottom:1px solid #ddd}';

/** The page's origin: static files under a strict CSP, and `/v1/*` forwarded to the reference server. */
interface PageServer {
  readonly url: string;
  /** While true, stream requests answer 503 (the API is "down"). */
  streamsDown: boolean;
  /** Destroys every open stream connection, as a network change would. */
  cutStreams(): void;
  close(): Promise<void>;
}

async function startPageServer(
  api: string,
  files: Record<string, { type: string; body: string }>,
): Promise<PageServer> {
  const streams = new Set<ServerResponse>();
  const state = { streamsDown: false };
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const isStream = /\/stream$/.test(new URL(req.url ?? '/', 'http://x').pathname);
    if (isStream && state.streamsDown) {
      res
        .writeHead(503, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 503, code: 'service_unavailable', detail: 'down for the test' }));
      return;
    }
    const target = new URL(req.url ?? '/', api);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // A stream torn upstream is torn for the page too (pipe alone would leave the page's side open).
        pipeline(answer, res, (error) => error && res.destroy());
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => {
      streams.delete(res);
      upstream.destroy();
    });
    if (isStream) streams.add(res);
    req.pipe(upstream);
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/v1/')) return forward(req, res);
    const file = path === '/' ? files['index.html'] : files[path.slice(1)];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': file.type,
      // Strict: scripts and everything else only from this origin; no eval, no inline script or style.
      'content-security-policy':
        "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'",
      'cache-control': 'no-store',
    });
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get streamsDown() {
      return state.streamsDown;
    },
    set streamsDown(value: boolean) {
      state.streamsDown = value;
    },
    cutStreams: () => {
      for (const res of streams) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('@livedrop/browser in Chromium under a strict CSP', () => {
  let ref: StartedReferenceServer;
  let ld: LiveDropClient;
  let site: PageServer;
  let browser: Browser;
  let scratch: string;

  const control = async (path: string, body: unknown) => {
    const response = await fetch(`${ref.url}/__control/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ref.server.controlKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  /** A live session of the house creator with one published offer. */
  async function liveSession(): Promise<{ sessionId: string; sellerId: string; first: Offer }> {
    const { creatorId } = ref.server.keys;
    const seller = await ld.sellers.create({ name: 'Northwind Outfitters', trust: { verified: true } });
    await ld.creators.entitlements.create(creatorId, {
      sellerId: seller.id,
      commissionBps: 1500,
      contentRights: ['live_stream'],
    });
    const session = await ld.sessions.create({
      creatorId,
      title: 'Winter drop',
      scheduledStartAt: new Date(START + 3_600_000).toISOString(),
    });
    await ld.sessions.start(session.id);
    const first = await ld.offers.publish((await offer(session.id, seller.id, 'Storm Parka', 12_900)).id);
    return { sessionId: session.id, sellerId: seller.id, first };
  }

  const offer = (sessionId: string, sellerId: string, title: string, amount: number, quantity = 10) =>
    ld.offers.create(sessionId, {
      sellerId,
      sku: title.toUpperCase().replace(/\W+/g, '-'),
      title,
      price: { amount, currency: 'USD' },
      quantity,
    });

  const publish = async (sessionId: string, sellerId: string, title: string, amount: number) =>
    ld.offers.publish((await offer(sessionId, sellerId, title, amount)).id);

  const pageState = (page: Page) => page.evaluate(() => window.livedropPage.state());
  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

  async function openPage(script = 'app.js'): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${site.url}/${script === 'app.js' ? '' : script.replace('.js', '.html')}`);
    return page;
  }

  beforeAll(async () => {
    // CI installs it (.ci/run); a missing browser fails the suite rather than skipping it.
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
    ref = await startReferenceServer({ clock: createManualClock(START), port: 0 });
    ld = createClient({ apiKey: ref.server.keys.secretKey, baseUrl: ref.url });
    scratch = await mkdtemp(join(tmpdir(), 'livedrop-browser-'));
    const browserEntry = await buildBrowserPackage(join(scratch, 'package'));
    const page = (name: string) => bundle(fileURLToPath(new URL(`./page/${name}.ts`, import.meta.url)), browserEntry);
    const [app, noJitless] = await Promise.all([page('app'), page('no-jitless')]);
    site = await startPageServer(ref.url, {
      'index.html': { type: 'text/html; charset=utf-8', body: html('app.js') },
      'no-jitless.html': { type: 'text/html; charset=utf-8', body: html('no-jitless.js') },
      'app.js': { type: 'text/javascript', body: app },
      'no-jitless.js': { type: 'text/javascript', body: noJitless },
      'csp-watch.js': { type: 'text/javascript', body: CSP_WATCH },
      'page.css': { type: 'text/css', body: CSS },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await ref?.close();
  });

  it('follows a session live: hydrate, offer.published, torn by dropStreams, back on `online`, each event once, no CSP violation', async () => {
    const { sessionId, sellerId, first } = await liveSession();
    const page = await openPage();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    await page.evaluate(
      ([key, id]) => window.livedropPage.start(key!, id!, 30_000),
      [ref.server.keys.publishableKey, sessionId],
    );
    await page.waitForFunction(() => window.livedropPage.state().connects === 1);
    await expect
      .poll(async () => (await pageState(page)).received.map((r) => r.name))
      .toEqual(['session.started', 'offer.published']);

    // Published on the Node side, received by the page.
    const second = await publish(sessionId, sellerId, 'Trail Boots', 8_900);
    await page.waitForFunction((id) => window.livedropPage.state().received.some((r) => r.offerId === id), second.id);
    await page.waitForSelector(`#offer-${second.id}`);

    // Torn by the reference server's fault: the page reconnects with Last-Event-ID.
    await control('faults', { dropStreams: true, paths: [`/v1/sessions/${sessionId}/stream`] });
    const third = await publish(sessionId, sellerId, 'Wool Beanie', 2_900);
    await control('faults', {});
    await page.waitForFunction(() => window.livedropPage.state().connects >= 2);
    const fourth = await publish(sessionId, sellerId, 'Down Vest', 15_900);
    await page.waitForFunction((id) => window.livedropPage.state().received.some((r) => r.offerId === id), fourth.id);

    // The network goes away (connections cut, the API unreachable); the stream backs off.
    site.streamsDown = true;
    site.cutStreams();
    // Waiting out attempt 2 or later: 1–2 s or more with the server's `retry: 1000` as the base.
    await page.waitForFunction(() => (window.livedropPage.state().reconnects.at(-1)?.attempt ?? 0) >= 2);
    site.streamsDown = false;
    const fifth = await publish(sessionId, sellerId, 'Rain Shell', 19_900);
    // The device is back online: the stream reconnects at once instead of finishing its backoff.
    const before = (await pageState(page)).connects;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction((n) => window.livedropPage.state().connects > n, before, { timeout: 600 });
    await page.waitForFunction((id) => window.livedropPage.state().received.some((r) => r.offerId === id), fifth.id);

    const state = await pageState(page);
    const published = state.received.filter((r) => r.name === 'offer.published').map((r) => r.offerId);
    expect(published).toEqual([first.id, second.id, third.id, fourth.id, fifth.id]);
    const seqs = state.received.map((r) => r.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(state.errors).toEqual([]);
    expect(state.reconnects.some((r) => r.error === 'InternalServerError')).toBe(true);
    // Event-to-render timings, one per published offer.
    await expect.poll(async () => (await pageState(page)).measures.length).toBe(5);
    const { measures } = await pageState(page);
    expect(measures.map((m) => m.offerId)).toEqual(published);
    for (const m of measures) expect(m.duration).toBeGreaterThanOrEqual(0);
    expect(await violations(page)).toEqual([]);

    const file = join(scratch, 'session.png');
    await page.screenshot({ path: file, fullPage: true });
    console.info(`screenshot: ${file}`);
    await page.evaluate(() => window.livedropPage.close());
    await page.close();
  });

  it('reserves once across a reload: the kept Idempotency-Key and body replay the first hold', async () => {
    const { sessionId, sellerId } = await liveSession();
    const target = await publish(sessionId, sellerId, 'Limited Print', 4_900);
    const page = await openPage();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const key = ref.server.keys.publishableKey;

    // The hold is made, then its response is lost (a 503 after the commit).
    await control('faults', { errorRate: 1, errorPhase: 'after', paths: ['/v1/reservations'] });
    const { token } = await ld.offers.issueToken(target.id, { buyerId: 'buyer_reload' });
    const lost = await page.evaluate(([k, id, t]) => window.livedropPage.reserve(k!, id!, t!), [key, target.id, token]);
    expect(lost).toMatchObject({ ok: false, status: 503 });
    await control('faults', {});
    expect((await ld.offers.retrieve(target.id)).stock.reserved).toBe(1);
    expect(await page.evaluate(() => window.livedropPage.pendingSlots())).toEqual([
      `livedrop:reservation:${target.id}`,
    ]);

    // The buyer reloads; the page gets a fresh token and reserves again.
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const fresh = await ld.offers.issueToken(target.id, { buyerId: 'buyer_reload' });
    const again = await page.evaluate(
      ([k, id, t]) => window.livedropPage.reserve(k!, id!, t!),
      [key, target.id, fresh.token],
    );
    expect(again).toMatchObject({ ok: true, status: 'held' });
    expect((await ld.offers.retrieve(target.id)).stock.reserved).toBe(1);
    expect(await page.evaluate(() => window.livedropPage.pendingSlots())).toEqual([]);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it('detects the CSP violation zod causes when nothing sets jitless (a control page without the browser entry)', async () => {
    const page = await openPage('no-jitless.js');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^script-src eval/)]);
    await page.close();
  });
});
