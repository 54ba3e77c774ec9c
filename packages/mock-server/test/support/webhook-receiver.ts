import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, exactly as it arrived. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  readonly body: string;
  /** The status the receiver answered. */
  readonly answered: number;
}

/** A real node:http webhook receiver on port 0 that records every request. */
export interface WebhookReceiver extends AsyncDisposable {
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Waits (briefly, in real time) until `count` requests have arrived (sends are asynchronous); returns a snapshot of all so far. */
  waitFor(count: number): Promise<readonly ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * Starts a receiver that answers each request with `respond(n)` (n counts from 1).
 * @example
 * await using receiver = await startWebhookReceiver((n) => (n <= 2 ? 500 : 200));
 */
export async function startWebhookReceiver(respond: (n: number) => number = () => 204): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answered = respond(received.length + 1);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    async waitFor(count) {
      const deadline = Date.now() + 5_000;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`The receiver got ${received.length} webhook(s), expected ${count}.`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.slice();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
