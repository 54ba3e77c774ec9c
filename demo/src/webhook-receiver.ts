import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type LiveDropEvent } from '@livedrop/node';

/** What the receiver has seen so far. */
export interface WebhookTally {
  /** Requests that arrived. */
  readonly received: number;
  /** Deliveries whose Standard Webhooks signature verified and whose event matched the contract. */
  readonly verified: number;
  /** Deliveries refused (bad signature, stale timestamp, not an event), by error code. */
  readonly rejected: Readonly<Record<string, number>>;
  /** Verified deliveries of an event already delivered (a retry after a lost answer; 0 on a healthy run). */
  readonly duplicates: number;
  /** Distinct events delivered. */
  readonly events: number;
  /** The highest `seq` delivered. */
  readonly lastSeq: number;
}

/** A webhook receiver: the platform's endpoint, on a port of its own. */
export interface WebhookReceiver {
  /** The URL to register, e.g. `http://127.0.0.1:50123/livedrop/webhooks`. */
  readonly url: string;
  /** Hands over the endpoint's `whsec_` secret (deliveries that arrive earlier wait for it). */
  useSecret(secret: string): void;
  tally(): WebhookTally;
  /** Event ids delivered and verified. */
  deliveredIds(): ReadonlySet<string>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts a receiver on `127.0.0.1`, port 0, that verifies every delivery against the raw body with
 * the SDK's `verifyWebhook` (signature, timestamp tolerance, contract) before counting it: 204 when
 * it verifies, 400 otherwise (which makes the server retry and, in the end, shows in the report).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let giveSecret!: (secret: string) => void;
  const secret = new Promise<string>((resolve) => (giveSecret = resolve));
  const seen = new Set<string>();
  const rejected: Record<string, number> = {};
  let received = 0;
  let verified = 0;
  let duplicates = 0;
  let lastSeq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    received++;
    const body = await readBody(req);
    let event: LiveDropEvent;
    try {
      event = await verifyWebhook(body, req.headers, await secret);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unexpected';
      rejected[code] = (rejected[code] ?? 0) + 1;
      res.writeHead(400, { 'content-type': 'text/plain' }).end(code);
      return;
    }
    verified++;
    if (seen.has(event.id)) duplicates++;
    seen.add(event.id);
    lastSeq = Math.max(lastSeq, event.seq);
    res.writeHead(204).end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/livedrop/webhooks`,
    useSecret: (value) => giveSecret(value),
    tally: () => ({ received, verified, rejected: { ...rejected }, duplicates, events: seen.size, lastSeq }),
    deliveredIds: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
