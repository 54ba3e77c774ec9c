/**
 * The widget page `pnpm demo --serve` prints: the page with its strict CSP, and the widget's
 * script-tag build (from `@livedrop/checkout`'s dist, built by the test command before tests run).
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@livedrop/node';
import { runDemo, type DemoResult } from '../src/run';
import { serveWidgetPage, type WidgetPageServer } from '../src/widget-page';

const CHROMIUM = '/usr/bin/chromium';

describe('serveWidgetPage', () => {
  let page: WidgetPageServer;
  let pageLoads = 0;
  beforeAll(async () => {
    page = await serveWidgetPage({
      sessionId: 'ses_encore',
      publishableKey: 'pk_test_1',
      apiUrl: 'http://127.0.0.1:4010',
      buyerSession: async () => `bs_test_page_${++pageLoads}`,
    });
  });
  afterAll(() => page.close());

  it('serves the page with the element for the session and a CSP without unsafe-inline or unsafe-eval', async () => {
    const res = await fetch(page.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('http://127.0.0.1:4010');
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    const html = await res.text();
    expect(html).toContain(
      '<livedrop-checkout session="ses_encore" publishable-key="pk_test_1" base-url="http://127.0.0.1:4010" buyer-session="bs_test_page_1">',
    );
    // Every load is a page the platform's backend renders for its signed-in buyer: a fresh buyer session.
    expect(await (await fetch(page.url)).text()).toContain('buyer-session="bs_test_page_2"');
    expect(html).not.toContain('sk_test_');
    expect(html).toContain('<script src="/livedrop-checkout.global.js"');
  });

  it('serves the script-tag build that defines the element, and 404 elsewhere', async () => {
    const script = await fetch(new URL('/livedrop-checkout.global.js', page.url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('livedrop-checkout');
    expect((await fetch(new URL('/nope', page.url))).status).toBe(404);
  });

  it('serves the script compressed per Accept-Encoding, cacheable, revalidated by ETag', async () => {
    const url = new URL('/livedrop-checkout.global.js', page.url);
    // undici's fetch decompresses on its own; node:http's request shows the bytes on the wire.
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
        (resolve, reject) => {
          request(url, { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          })
            .on('error', reject)
            .end();
        },
      );
    const plain = await get({});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('livedrop-checkout');

    const br = await get({ 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await get({ 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(gzip.headers.etag).not.toBe(br.headers.etag);

    const again = await get({ 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('links an icon and answers /favicon.ico, so no request 404s', async () => {
    const html = await (await fetch(page.url)).text();
    const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const icon = await fetch(new URL(href!, page.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    expect((await fetch(new URL('/favicon.ico', page.url))).status).toBe(200);
  });
});

describe('the widget page in Chromium, as `pnpm demo --serve` shows it', () => {
  let demo: DemoResult;
  let page: WidgetPageServer;
  let browser: Browser;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([
      runDemo({ seed: 5, buyers: 200, viewers: 2, out: null, serve: true }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] }),
    ]);
    page = await serveWidgetPage({
      sessionId: demo.encore!.session.id,
      publishableKey: demo.server!.server.keys.publishableKey,
      apiUrl: demo.server!.url,
      buyerSession: async () =>
        (
          await createClient({
            apiKey: demo.server!.server.keys.secretKey,
            baseUrl: demo.server!.url,
          }).buyerSessions.create({
            buyerId: 'viewer_demo',
          })
        ).credential,
    });
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await demo?.server?.close();
  });

  it('loads with a clean console: no errors, no failed requests, the script arrives compressed', async () => {
    const tab = await browser.newPage();
    const problems: string[] = [];
    const encodings = new Map<string, string | undefined>();
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // No request fails, not even one the widget cancels: it mounts once, with every attribute set.
    tab.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`));
    tab.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()}: ${res.url()}`);
      encodings.set(new URL(res.url()).pathname, res.headers()['content-encoding']);
    });
    try {
      await tab.goto(page.url, { waitUntil: 'load' });
      // The widget has drawn the encore's offer from the reference server.
      await tab.locator('livedrop-checkout li[data-offer-id]').first().waitFor({ timeout: 10_000 });
      // Chromium asks for the icon after load; give it the moment it takes.
      await expect.poll(() => encodings.has('/favicon.svg') || encodings.has('/favicon.ico')).toBe(true);
      expect(problems).toEqual([]);
      expect(encodings.get('/livedrop-checkout.global.js')).toMatch(/^(br|gzip)$/);
    } finally {
      await tab.close();
    }
  });
});
