/**
 * The widget page `pnpm demo --serve` prints: the page with its strict CSP, and the widget's
 * script-tag build (from `@livedrop/checkout`'s dist, built by the test command before tests run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWidgetPage, type WidgetPageServer } from '../src/widget-page';

describe('serveWidgetPage', () => {
  let page: WidgetPageServer;
  beforeAll(async () => {
    page = await serveWidgetPage({
      sessionId: 'ses_encore',
      publishableKey: 'pk_test_1',
      apiUrl: 'http://127.0.0.1:4010',
      buyerId: 'viewer_demo',
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
      '<livedrop-checkout session="ses_encore" publishable-key="pk_test_1" base-url="http://127.0.0.1:4010" buyer-id="viewer_demo">',
    );
    expect(html).toContain('<script src="/livedrop-checkout.global.js"');
  });

  it('serves the script-tag build that defines the element, and 404 elsewhere', async () => {
    const script = await fetch(new URL('/livedrop-checkout.global.js', page.url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('livedrop-checkout');
    expect((await fetch(new URL('/nope', page.url))).status).toBe(404);
  });
});
