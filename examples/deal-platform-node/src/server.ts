/**
 * A deal platform's backend, as small as it can be: one node:http server that sells a live offer
 * through `@livedrop/node` and receives LiveDrop's webhooks.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  createClient,
  webhookMiddleware,
  type EventType,
  type LiveDropEvent,
  type Offer,
  type Order,
  type Session,
  type WebhookMiddleware,
} from '@livedrop/node';

/** Options of {@link startDealPlatform}. */
export interface DealPlatformOptions {
  /** Where the LiveDrop API is, e.g. the reference server's `url`. */
  livedropUrl: string;
  /** The platform's secret key (`sk_…`). It never leaves this server. */
  secretKey: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Interface to bind. LiveDrop must be able to reach it to deliver webhooks. @default '127.0.0.1' */
  host?: string | undefined;
}

/** A running deal platform. Dispose it (`await using`) or call `close()`. */
export interface DealPlatform extends AsyncDisposable {
  /** Where the platform listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The live session the platform opened on start. */
  readonly session: Session;
  /** The offer it sells at `POST /buy`, as published. */
  readonly offer: Offer;
  /** Webhook events that arrived and verified, in arrival order. */
  webhookEvents(): readonly LiveDropEvent[];
  /** Stops listening; the LiveDrop objects it made stay. */
  close(): Promise<void>;
}

/** The events the platform acts on: fulfil orders, and tell buyers when a hold lapses. */
const SUBSCRIBED: EventType[] = ['livedrop.order.created', 'livedrop.reservation.expired'];

/** The offer's price in cents. The split comes from the offer (platform fee) and the entitlement (creator commission). */
const PRICE = { amount: 4900, currency: 'USD' } as const;

/**
 * Starts the platform: it listens first (LiveDrop needs its URL for the webhook endpoint), then
 * registers `POST /webhooks` with LiveDrop and opens a live drop: a seller, a creator entitled to
 * sell its products, a live session and a published offer.
 *
 * Routes:
 * - `POST /buy {"buyerId"}`: issues an offer token for the signed-in buyer, reserves one unit,
 *   takes payment (faked here) and captures the hold. Answers 201 with the order.
 * - `POST /webhooks`: LiveDrop's deliveries, verified on the raw body by `webhookMiddleware`.
 *
 * @example
 * await using platform = await startDealPlatform({ livedropUrl: ld.url, secretKey: ld.server.keys.secretKey });
 * await fetch(`${platform.url}/buy`, { method: 'POST', body: JSON.stringify({ buyerId: 'buyer_1' }) });
 */
export async function startDealPlatform(options: DealPlatformOptions): Promise<DealPlatform> {
  const livedrop = createClient({ apiKey: options.secretKey, baseUrl: options.livedropUrl });
  const events: LiveDropEvent[] = [];
  // Set once the endpoint exists and its secret is known; until then deliveries get 503 and LiveDrop retries them.
  let verifyWebhook: WebhookMiddleware | undefined;
  // Set once the offer is live; until then /buy answers 503.
  let offer: Offer | undefined;

  const http = createServer((req, res) => {
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://platform').pathname}`;
    if (route === 'POST /webhooks') {
      if (verifyWebhook) verifyWebhook(req, res);
      else sendJson(res, 503, { error: 'not_ready' });
    } else if (route === 'POST /buy') {
      if (offer) void buy(offer, req, res);
      else sendJson(res, 503, { error: 'not_ready' });
    } else {
      sendJson(res, 404, { error: 'not_found' });
    }
  });

  async function buy(live: Offer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // A real platform takes the buyer from its own sign-in; here the body stands in for it.
      const buyerId = buyerIdOf(await readJson(req));
      if (buyerId === undefined)
        return sendJson(res, 400, {
          error: 'buyer_id_required',
          message: 'Send {"buyerId": "<your signed-in buyer>"}.',
        });
      const { token } = await livedrop.offers.issueToken(live.id, { buyerId, quantityMax: 1 });
      const reservation = await livedrop.reservations.create({ offerToken: token, quantity: 1 });
      // The platform charges the buyer with its own processor, then tells LiveDrop. Keying the
      // capture by reservation makes a retried /buy unable to capture twice.
      const paymentReference = `pay_fake_${randomUUID()}`;
      const order: Order = await livedrop.reservations.capture(
        reservation.id,
        { paymentReference },
        { idempotencyKey: `capture-${reservation.id}` },
      );
      sendJson(res, 201, order);
    } catch (error) {
      // LiveDrop's refusals (sold out, per-buyer limit...) are the buyer's answer; anything else is ours.
      if (error instanceof ApiError)
        sendJson(res, error.status, { error: error.code, message: error.message, requestId: error.requestId });
      else sendJson(res, 500, { error: 'internal' });
    }
  }

  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });

  try {
    const endpoint = await livedrop.webhookEndpoints.create({ url: `${url}/webhooks`, eventTypes: SUBSCRIBED });
    verifyWebhook = webhookMiddleware({ secret: endpoint.secret!, onEvent: (event) => void events.push(event) });

    const seller = await livedrop.sellers.create({ name: 'Northwind Goods', trust: { verified: true } });
    const creator = await livedrop.creators.create({ handle: 'maya.makes', displayName: 'Maya Makes', verified: true });
    await livedrop.creators.entitlements.create(creator.id, {
      sellerId: seller.id,
      commissionBps: 1500,
      contentRights: ['live_stream', 'replay'],
    });
    const scheduled = await livedrop.sessions.create({
      creatorId: creator.id,
      title: 'Friday Night Drop',
      scheduledStartAt: new Date().toISOString(),
    });
    const session = await livedrop.sessions.start(scheduled.id);
    const draft = await livedrop.offers.create(session.id, {
      sellerId: seller.id,
      sku: 'NW-ANC-01',
      title: 'Aurora ANC Earbuds',
      price: PRICE,
      quantity: 50,
      perBuyerLimit: 1,
      split: { platformFeeBps: 1000 },
    });
    offer = await livedrop.offers.publish(draft.id);

    return { url, session, offer, webhookEvents: () => events, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function buyerIdOf(body: unknown): string | undefined {
  const buyerId = (body as { buyerId?: unknown } | null)?.buyerId;
  return typeof buyerId === 'string' && buyerId !== '' ? buyerId : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
