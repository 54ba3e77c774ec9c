import { LiveDropError } from '../errors/live-drop-error';
import type { ClientOptions } from './options';

function isAbsoluteUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && new URL(value).protocol.startsWith('http');
  } catch {
    return false;
  }
}

/**
 * The checks every client factory runs on its options before any request: a usable key and base
 * URL, and no secret key in a page.
 * @param factory the function's name for the messages, e.g. `createPublicClient`
 * @throws LiveDropError naming the option and the fix
 */
export function checkClientOptions(options: ClientOptions, factory: string): void {
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new LiveDropError(`${factory} needs an \`apiKey\` (sk_… on a server, pk_… in a browser).`);
  }
  if (!isAbsoluteUrl(options.baseUrl)) {
    throw new LiveDropError(
      `${factory}'s \`baseUrl\` must be an absolute URL such as "https://api.example.com", not ${JSON.stringify(options.baseUrl)}.`,
    );
  }
  // A DOM means a page, whose source anyone can read; edge runtimes and Node have none.
  // (Checked via globalThis, never `window`, so runtimes without it are not broken.)
  const hasDom = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (hasDom && options.apiKey.startsWith('sk_') && !options.dangerouslyAllowBrowser) {
    throw new LiveDropError(
      'A secret API key (sk_…) was used where a DOM exists, which exposes it to anyone who opens the page. Use a publishable key (pk_…) in the browser, or pass `dangerouslyAllowBrowser: true` if this is not a public page.',
    );
  }
}
