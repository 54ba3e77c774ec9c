import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookMiddleware, type EventType } from '@livedrop/node';

/**
 * The events the platform's backend subscribes to: the ones it acts on (fulfil an order, tell a
 * buyer their card was declined or their hold lapsed, book refunds and payouts, tell followers an
 * offer sold out). The full log is the realtime subscriber's job.
 */
export const SUBSCRIBED_EVENT_TYPES = [
  'livedrop.session.started',
  'livedrop.session.ended',
  'livedrop.offer.sold_out',
  'livedrop.reservation.expired',
  'livedrop.payment.declined',
  'livedrop.order.created',
  'livedrop.refund.created',
  'livedrop.transfer.paid',
  'livedrop.transfer.reversed',
] as const satisfies readonly EventType[];

/** What the receiver has seen so far. */
export interface WebhookTally {
  /** Requests that arrived. */
  readonly received: number;
  /** Deliveries whose Standard Webhooks signature verified and whose event matched the contract. */
  readonly verified: number;
  /** Deliveries the middleware refused (bad signature, stale timestamp, not an event): received − verified. */
  readonly rejected: number;
  /** Verified deliveries of an event already delivered (a retry after a lost answer; 0 on a healthy run). */
  readonly duplicates: number;
  /** Distinct events delivered. */
  readonly events: number;
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

/**
 * Starts the platform's webhook endpoint on `127.0.0.1`, port 0: a plain node:http server whose
 * handler is the SDK's `webhookMiddleware`, which verifies every delivery on its raw body
 * (signature, timestamp tolerance, contract) and answers 400 to anything that fails — the server
 * then retries it, and the report shows it. Verified events are counted by id.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let giveSecret!: (secret: string) => void;
  const secret = new Promise<string>((resolve) => (giveSecret = resolve));
  const seen = new Set<string>();
  let received = 0;
  let verified = 0;
  let duplicates = 0;
  // The endpoint's URL is needed to create it, and its secret comes back from that call: the
  // middleware is made once the secret is known, and early deliveries wait for it.
  const middleware = secret.then((value) =>
    webhookMiddleware({
      secret: value,
      onEvent(event) {
        verified++;
        if (seen.has(event.id)) duplicates++;
        seen.add(event.id);
      },
    }),
  );

  const server = createServer((req, res) => {
    received++;
    void middleware.then((handle) => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/livedrop/webhooks`,
    useSecret: (value) => giveSecret(value),
    tally: () => ({ received, verified, rejected: received - verified, duplicates, events: seen.size }),
    deliveredIds: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
