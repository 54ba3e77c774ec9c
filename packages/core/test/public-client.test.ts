import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOffer, rejectionOf, startHarness, type ReferenceHarness } from './support/reference';
import {
  AuthenticationError,
  ConflictError,
  LiveDropError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  createPublicClient,
  type AttemptInfo,
  type ClientOptions,
  type LiveDropPublicClient,
  type PublicStreamEventName,
} from './support/sdk';

let h: ReferenceHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A browser's client: the publishable key, over real HTTP to the reference server. */
const viewer = (options: Partial<ClientOptions> = {}): LiveDropPublicClient =>
  createPublicClient({ apiKey: h.running.server.keys.publishableKey, baseUrl: h.running.url, ...options });

/** The browser of signed-in buyer `buyerId`: a buyer session the platform minted, beside the publishable key. */
async function buyerView(buyerId: string, options: Partial<ClientOptions> = {}): Promise<LiveDropPublicClient> {
  const { credential } = await h.ld.buyerSessions.create({ buyerId });
  return viewer({ buyerSession: credential, ...options });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('createPublicClient', () => {
  it('exposes only the publishable subset', () => {
    const ld = viewer();
    expect(Object.keys(ld).sort()).toEqual(['offers', 'realtime', 'reservations', 'sessions']);
    expect('create' in ld.sessions).toBe(false);
    expect('publish' in ld.offers).toBe(false);
    expect('capture' in ld.reservations).toBe(false);
    expect('events' in ld.realtime).toBe(false);
  });

  it('hydrates a session, then answers from its kept view on a 304', async () => {
    const { session, offer } = await liveOffer(h);
    const statuses: (number | null)[] = [];
    const ld = viewer({ onAttempt: (a: AttemptInfo) => statuses.push(a.status) });
    const first = await ld.sessions.hydrate(session.id);
    expect(first).toMatchObject({
      object: 'session_view',
      session: { id: session.id, status: 'live' },
      offers: [{ id: offer.id, stock: { available: 10 } }],
    });
    const again = await ld.sessions.hydrate(session.id);
    expect(again).toEqual(first);
    expect(statuses).toEqual([200, 304]);

    await h.ld.offers.pause(offer.id);
    const changed = await ld.sessions.hydrate(session.id);
    expect(changed.offers[0]!.status).toBe('paused');
    expect(statuses).toEqual([200, 304, 200]);
  });

  it('issues a token with a publishable key, reserves, reads with the client secret, confirms into an order', async () => {
    const { offer } = await liveOffer(h);
    const ld = await buyerView('buyer_pub');
    const issued = await ld.offers.issueToken(offer.id);
    expect(issued).toMatchObject({ token: expect.any(String), jti: expect.any(String) });

    const hold = await ld.reservations.create({ offerToken: issued.token, quantity: 2 });
    expect(hold).toMatchObject({
      object: 'reservation',
      status: 'held',
      quantity: 2,
      offerId: offer.id,
      clientSecret: expect.any(String),
    });
    expect(await ld.reservations.retrieve(hold.id, { clientSecret: hold.clientSecret! })).toMatchObject({
      id: hold.id,
      status: 'held',
    });
    expect(await rejectionOf(ld.reservations.retrieve(hold.id))).toBeInstanceOf(NotFoundError);

    const declined = await rejectionOf(
      ld.reservations.confirm(hold.id, { clientSecret: hold.clientSecret!, paymentMethod: 'pm_test_declined' }),
    );
    expect(declined).toBeInstanceOf(PaymentRequiredError);
    const order = await ld.reservations.confirm(hold.id, {
      clientSecret: hold.clientSecret!,
      paymentMethod: 'pm_test_ok',
    });
    expect(order).toMatchObject({ object: 'order', gross: { amount: 25_800, currency: 'USD' } });
    expect((await h.ld.offers.retrieve(offer.id)).stock).toMatchObject({ available: 8, reserved: 0, sold: 2 });
  });

  it('acts for the buyer its buyer session asserts, and cannot act without one', async () => {
    const { offer } = await liveOffer(h);
    const session = await h.ld.buyerSessions.create({ buyerId: 'buyer_ses', ttlSeconds: 600 });
    expect(session).toEqual({
      object: 'buyer_session',
      credential: expect.stringMatching(/^bs_test_/),
      buyerId: 'buyer_ses',
      expiresAt: expect.any(String),
    });
    const ld = viewer({ buyerSession: session.credential });
    const hold = await ld.reservations.create({
      offerToken: (await ld.offers.issueToken(offer.id)).token,
      quantity: 1,
    });
    expect(hold.buyerId).toBe('buyer_ses');

    const anonymous = await rejectionOf(viewer().offers.issueToken(offer.id));
    expect(anonymous).toBeInstanceOf(AuthenticationError);
    expect(anonymous).toMatchObject({ status: 401, code: 'buyer_session_required' });
    const naming = await rejectionOf(ld.offers.issueToken(offer.id, { buyerId: 'someone_else' }));
    expect(naming).toBeInstanceOf(PermissionDeniedError);
    expect(naming).toMatchObject({ status: 403, code: 'buyer_id_not_allowed' });
  });

  it('releases a hold exactly once', async () => {
    const { offer } = await liveOffer(h);
    const ld = await buyerView('buyer_rel');
    const { token } = await ld.offers.issueToken(offer.id);
    const hold = await ld.reservations.create({ offerToken: token, quantity: 3 });
    expect(await ld.reservations.release(hold.id, { clientSecret: hold.clientSecret! })).toMatchObject({
      id: hold.id,
      status: 'released',
    });
    const twice = await rejectionOf(ld.reservations.release(hold.id, { clientSecret: hold.clientSecret! }));
    expect(twice).toBeInstanceOf(ConflictError);
    expect((twice as ConflictError).code).toBe('reservation_not_held');
    expect((await h.ld.offers.retrieve(offer.id)).stock).toMatchObject({ available: 10, reserved: 0 });
  });

  it("streams a session's public messages", async () => {
    const { session, offer } = await liveOffer(h, {}, { publish: false });
    const ld = await buyerView('buyer_stream');
    const live = ld.realtime.session(session.id);
    const received: PublicStreamEventName[] = [];
    for (const name of ['offer.published', 'stock', 'session.started', 'session.ended'] as const)
      live.on(name, () => received.push(name));
    try {
      await waitUntil(() => live.state === 'open', 'the connection');
      await h.ld.sessions.start(session.id);
      await h.ld.offers.publish(offer.id);
      const { token } = await ld.offers.issueToken(offer.id);
      await ld.reservations.create({ offerToken: token, quantity: 1 });
      await waitUntil(() => received.includes('stock'), 'the stock message');
      await h.ld.sessions.end(session.id);
      await waitUntil(() => received.includes('session.ended'), 'session.ended');
      expect(received).toEqual(['session.started', 'offer.published', 'stock', 'session.ended']);
    } finally {
      live.close();
    }
  });

  it('refuses a secret key where a DOM exists unless allowed', () => {
    const g = globalThis as { document?: unknown };
    const secret = { apiKey: 'sk_test_abc', baseUrl: h.running.url };
    g.document = {};
    try {
      expect(() => createPublicClient(secret)).toThrow(LiveDropError);
      expect(() => createPublicClient(secret)).toThrow(/publishable key/);
      expect(() => createPublicClient({ ...secret, dangerouslyAllowBrowser: true })).not.toThrow();
      expect(() => viewer()).not.toThrow();
    } finally {
      delete g.document;
    }
    expect(() => createPublicClient(secret)).not.toThrow();
  });

  it('refuses unusable options, naming the factory', () => {
    expect(() => createPublicClient({ apiKey: '', baseUrl: h.running.url })).toThrow(
      /createPublicClient needs an `apiKey`/,
    );
    expect(() => createPublicClient({ apiKey: 'pk_test_abc', baseUrl: 'localhost:4010' })).toThrow(
      /createPublicClient's `baseUrl`/,
    );
  });
});
