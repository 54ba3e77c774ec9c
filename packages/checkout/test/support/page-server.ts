/**
 * The widget's page origin for the Chromium tests: the demo page (`renderCheckoutPage`) and the
 * script-tag bundle, served with the page's strict CSP header, and `/v1/*` forwarded to the
 * reference server so the API is same-origin (the reference server sends no CORS headers).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { renderCheckoutPage } from '../../src/page';

/** A running page server. */
export interface PageServer {
  readonly url: string;
  /** The CSP header every page was served with. */
  readonly policies: Set<string>;
  close(): Promise<void>;
}

/** The keys the page server uses: the publishable key goes in the page, the secret key never does. */
export interface PageServerKeys {
  readonly publishableKey: string;
  readonly secretKey: string;
}

/**
 * Serves `/s/<sessionId>?buyer=<id>` (the demo page) and `/livedrop-checkout.global.js`. Like a
 * platform's backend, it mints a buyer session for `<id>` with the secret key on every page load and
 * puts only its credential in the page (`buyer-session`).
 */
export async function startPageServer(api: string, keys: PageServerKeys, script: string): Promise<PageServer> {
  const { publishableKey } = keys;
  const buyerSessionFor = async (buyerId: string | null): Promise<string | undefined> => {
    if (buyerId === null) return undefined;
    const response = await fetch(new URL('/v1/buyer-sessions', api), {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ buyerId }),
    });
    if (response.status !== 201) throw new Error(`buyer session for ${buyerId}: ${await response.text()}`);
    return ((await response.json()) as { credential: string }).credential;
  };
  const policies = new Set<string>();
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', api);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        pipeline(answer, res, (error) => error && res.destroy());
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
  let origin = '';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/v1/')) return forward(req, res);
    if (url.pathname === '/livedrop-checkout.global.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(script);
    const session = /^\/s\/(ses_\w+)$/.exec(url.pathname)?.[1];
    if (!session) return void res.writeHead(404).end();
    const page = renderCheckoutPage({
      sessionId: session,
      publishableKey,
      baseUrl: origin,
      scriptUrl: '/livedrop-checkout.global.js',
      buyerSession: await buyerSessionFor(url.searchParams.get('buyer')),
      title: 'Winter drop',
    });
    policies.add(page.contentSecurityPolicy);
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.contentSecurityPolicy,
        'cache-control': 'no-store',
      })
      .end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    policies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
