import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderCheckoutPage } from '@livedrop/checkout/page';

/** What the widget page shows. */
export interface WidgetPageOptions {
  /** The live session the widget sells from (`ses_…`). */
  readonly sessionId: string;
  /** A publishable key of the reference server. */
  readonly publishableKey: string;
  /** The reference server's URL, as the browser reaches it (it answers CORS). */
  readonly apiUrl: string;
  /** The buyer the widget issues test-mode tokens for. */
  readonly buyerId: string;
}

/** The running page server. */
export interface WidgetPageServer {
  /** Open this in a browser. */
  readonly url: string;
  close(): Promise<void>;
}

const SCRIPT_PATH = '/livedrop-checkout.global.js';

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
  const script = await readWidgetScript();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === SCRIPT_PATH) {
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': script.length })
        .end(script);
      return;
    }
    if (path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the widget page is at /\n');
      return;
    }
    const page = renderCheckoutPage({
      ...options,
      baseUrl: options.apiUrl,
      scriptUrl: SCRIPT_PATH,
      title: 'LiveDrop encore',
    });
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.contentSecurityPolicy,
      })
      .end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
