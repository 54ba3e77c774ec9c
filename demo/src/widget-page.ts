import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderCheckoutPage } from '@livedrop/checkout/page';
import { createStaticAsset } from './static-asset';

/** What the widget page shows. */
export interface WidgetPageOptions {
  /** The live session the widget sells from (`ses_…`). */
  readonly sessionId: string;
  /** A publishable key of the reference server. */
  readonly publishableKey: string;
  /** The reference server's URL, as the browser reaches it (it answers CORS). */
  readonly apiUrl: string;
  /**
   * Mints the buyer session the page hands to the widget (`buyer-session`), as a platform's backend
   * does for its signed-in buyer with its secret key; called on every page load, so each page gets a
   * fresh credential and the secret key never reaches the browser.
   */
  readonly buyerSession: () => Promise<string>;
}

/** The running page server. */
export interface WidgetPageServer {
  /** Open this in a browser. */
  readonly url: string;
  close(): Promise<void>;
}

const SCRIPT_PATH = '/livedrop-checkout.global.js';
const ICON_PATH = '/favicon.svg';
/** The tab's icon: a play mark on the report's accent blue. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3b4fc4"/><path d="M12 9.5v13l11-6.5z" fill="#fff"/></svg>`;
/**
 * The script's URL carries no version, so copies are kept a few minutes and then revalidated
 * by ETag (a rebuilt widget reaches the page on the next reload after that).
 */
const SCRIPT_CACHE_CONTROL = 'public, max-age=300';

/** The script-tag build of `@livedrop/checkout`, as published. */
async function readWidgetScript(): Promise<Buffer> {
  const packageJson = createRequire(import.meta.url).resolve('@livedrop/checkout/package.json');
  return readFile(join(dirname(packageJson), 'dist', 'livedrop-checkout.global.js'));
}

/**
 * Serves the checkout widget's demo page on 127.0.0.1 (port 0): the page with its strict
 * Content-Security-Policy header, and the widget's script-tag build. The widget talks to the
 * reference server directly.
 */
export async function serveWidgetPage(options: WidgetPageOptions): Promise<WidgetPageServer> {
  // Compressed once here, not per request.
  const script = createStaticAsset({
    body: await readWidgetScript(),
    contentType: 'text/javascript; charset=utf-8',
    cacheControl: SCRIPT_CACHE_CONTROL,
  });
  const icon = createStaticAsset({
    body: Buffer.from(ICON),
    contentType: 'image/svg+xml',
    cacheControl: 'public, max-age=86400',
  });
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === SCRIPT_PATH) {
      script.respond(req, res);
      return;
    }
    // The page links its icon; /favicon.ico answers too, for whatever asks by the old name.
    if (path === ICON_PATH || path === '/favicon.ico') {
      icon.respond(req, res);
      return;
    }
    if (path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the widget page is at /\n');
      return;
    }
    let buyerSession: string;
    try {
      buyerSession = await options.buyerSession();
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`No buyer session: ${String(error)}\n`);
      return;
    }
    const page = renderCheckoutPage({
      sessionId: options.sessionId,
      publishableKey: options.publishableKey,
      buyerSession,
      baseUrl: options.apiUrl,
      scriptUrl: SCRIPT_PATH,
      title: 'LiveDrop encore',
    });
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.contentSecurityPolicy,
      })
      // The page from @livedrop/checkout has no icon; the CSP's img-src 'self' admits this one.
      .end(page.html.replace('</head>', `<link rel="icon" href="${ICON_PATH}" type="image/svg+xml">\n</head>`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
