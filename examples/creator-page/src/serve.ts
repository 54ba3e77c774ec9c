import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The running static site. */
export interface CreatorSite {
  readonly url: string;
  close(): Promise<void>;
}

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Where a host gets the script tag's file: the published `@livedrop/checkout` package's dist (or a CDN). */
function widgetScriptPath(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('@livedrop/checkout/package.json')),
    'dist',
    'livedrop-checkout.global.js',
  );
}

/**
 * Serves `public/` and the widget's script-tag build, as any static host would, with a strict
 * Content-Security-Policy: no inline script or style, no eval, and the API's origin as the only
 * other place the page may talk to.
 */
export async function serveCreatorSite(apiUrl: string, port = 0): Promise<CreatorSite> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src 'self' ${new URL(apiUrl).origin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file =
      path === '/livedrop-checkout.global.js'
        ? widgetScriptPath()
        : path === '/'
          ? join(PUBLIC, 'index.html')
          : /^\/[\w-]+\.(js|css|html)$/.test(path)
            ? join(PUBLIC, path)
            : null;
    if (file === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'content-security-policy': csp,
          })
          .end(body),
      () => res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
