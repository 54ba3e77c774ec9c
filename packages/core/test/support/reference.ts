import { createManualClock, type ManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import {
  createClient,
  type ClientOptions,
  type LiveDropClient,
  type Offer,
  type OfferCreate,
  type Session,
} from './sdk';

/** A reference server on port 0 with a manual clock, and clients for each of its keys. */
export interface ReferenceHarness {
  readonly running: StartedReferenceServer;
  readonly clock: ManualClock;
  /** Platform (secret key) client. */
  readonly ld: LiveDropClient;
  readonly client: (key: string, options?: Partial<ClientOptions>) => LiveDropClient;
  /** Calls the control API (control key). */
  readonly control: (path: string, body?: unknown) => Promise<unknown>;
  close(): Promise<void>;
}

export const START = Date.parse('2026-11-25T18:00:00.000Z');

export async function startHarness(): Promise<ReferenceHarness> {
  const clock = createManualClock(START);
  // Webhook receivers in these suites run on this machine: loopback delivery needs the allowance.
  const running = await startReferenceServer({ clock, port: 0, webhooks: { allowPrivateNetworks: true } });
  const client = (key: string, options: Partial<ClientOptions> = {}) =>
    createClient({ apiKey: key, baseUrl: running.url, ...options });
  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${running.url}/__control/${path}`, {
      method: body === undefined && path === 'state' ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${running.server.controlKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`control ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  return { running, clock, ld: client(running.server.keys.secretKey), client, control, close: () => running.close() };
}

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** A seller entitled to the house creator, a session, and one offer (published unless told otherwise). */
export async function liveOffer(
  h: ReferenceHarness,
  offer: Partial<OfferCreate> = {},
  { publish = true } = {},
): Promise<{ session: Session; offer: Offer; sellerId: string }> {
  const { ld } = h;
  const { creatorId } = h.running.server.keys;
  const seller = await ld.sellers.create({ name: 'Northwind Outfitters', trust: { verified: true } });
  await ld.creators.entitlements.create(creatorId, {
    sellerId: seller.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  const session = await ld.sessions.create({
    creatorId,
    title: 'Winter drop',
    scheduledStartAt: new Date(START + 3_600_000).toISOString(),
  });
  let created = await ld.offers.create(session.id, {
    sellerId: seller.id,
    sku: 'PARKA-1',
    title: 'Storm Parka',
    price: usd(12_900),
    quantity: 10,
    ...offer,
  });
  if (!publish) return { session, offer: created, sellerId: seller.id };
  const live = await ld.sessions.start(session.id);
  created = await ld.offers.publish(created.id);
  return { session: live, offer: created, sellerId: seller.id };
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
