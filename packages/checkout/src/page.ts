/**
 * The widget's demo page: one self-contained HTML document that loads the script-tag build and
 * shows `<livedrop-checkout>` for a session, with the strict Content-Security-Policy it runs under.
 * Servers (the demo's `--serve`, the creator-page example) send both.
 *
 * @module
 */

/** Input of {@link renderCheckoutPage}. */
export interface CheckoutPageOptions {
  /** The session to show (`ses_…`). */
  sessionId: string;
  /** A publishable key (`pk_…`). */
  publishableKey: string;
  /** The API's base URL as the browser reaches it (absolute; the CSP's `connect-src` allows its origin). */
  baseUrl: string;
  /** Where the page loads `livedrop-checkout.global.js` from (absolute or same-origin path). */
  scriptUrl: string;
  /**
   * The signed-in buyer's buyer session credential (`bs_…`), minted by the platform's backend with
   * its secret key. @default undefined (Reserve then asks the shopper to sign in)
   */
  buyerSession?: string | undefined;
  /** The document's title. @default 'LiveDrop checkout' */
  title?: string | undefined;
}

/** A page to serve: the HTML and the value of its `Content-Security-Policy` header. */
export interface CheckoutPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The origin of `url` for a CSP source list, or `'self'` for a same-origin path. */
function sourceOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "'self'";
  }
}

/**
 * Renders the demo page. No inline script or style: the page works under a policy without
 * `'unsafe-inline'` and `'unsafe-eval'`, which is the policy it returns.
 * @example
 * const { html, contentSecurityPolicy } = renderCheckoutPage({ sessionId, publishableKey, baseUrl, scriptUrl: '/livedrop-checkout.global.js' });
 * res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy }).end(html);
 */
export function renderCheckoutPage(options: CheckoutPageOptions): CheckoutPage {
  const attributes = [
    ['session', options.sessionId],
    ['publishable-key', options.publishableKey],
    ['base-url', options.baseUrl],
    ...(options.buyerSession ? [['buyer-session', options.buyerSession]] : []),
  ]
    .map(([name, value]) => `${name}="${escapeHtml(value!)}"`)
    .join(' ');
  const title = escapeHtml(options.title ?? 'LiveDrop checkout');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<script src="${escapeHtml(options.scriptUrl)}" defer></script>
</head>
<body>
<main>
<h1>${title}</h1>
<livedrop-checkout ${attributes}></livedrop-checkout>
</main>
</body>
</html>
`;
  const scripts = new Set(["'self'", sourceOf(options.scriptUrl)]);
  const connect = new Set(["'self'", sourceOf(options.baseUrl)]);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${[...scripts].join(' ')}`,
    `connect-src ${[...connect].join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
