import { expect } from 'vitest';
import { createManualClock } from '../../src/clock';
import { startReferenceServer } from '../../src/node';
import type { ReferenceServerOptions } from '../../src/server';
import { apiAs, buyerBrowser, type Api } from './http';

/** The manual clock's start in the edge, warm-up and listing suites. */
export const START = Date.parse('2026-11-25T18:00:00Z');

/** US dollars in cents. */
export const usd = (amount: number) => ({ amount, currency: 'USD' });

/** Answers the body of a response with the expected status, failing with the body otherwise. */
export async function expectStatus<T = any>(promise: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await promise;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/**
 * A reference server on port 0 with a manual clock, and clients for each key: `api` (secret),
 * `browser` (publishable), `control`; `advance(ms)` moves the clock through the control API.
 */
export async function startDropWorld(options: ReferenceServerOptions = {}) {
  const ld = await startReferenceServer({ clock: createManualClock(START), ...options });
  const keys = ld.server.keys;
  const api = apiAs(ld.url, keys.secretKey);
  const browser = apiAs(ld.url, keys.publishableKey);
  const control = apiAs(ld.url, ld.server.controlKey);
  const seller = await expectStatus(
    api.post('/v1/sellers', { name: 'Northwind Outfitters', trust: { verified: true } }),
    201,
  );
  await expectStatus(
    api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: seller.id,
      commissionBps: 1500,
      contentRights: ['live_stream'],
    }),
    201,
  );
  return {
    ld,
    keys,
    api,
    browser,
    control,
    sellerId: seller.id as string,
    advance: (ms: number) => expectStatus(control.post('/__control/clock', { advanceMs: ms })),
    /** Schedules a session of the seeded creator. */
    session: (body: Record<string, unknown> = {}) =>
      expectStatus(
        api.post('/v1/sessions', {
          creatorId: keys.creatorId,
          title: 'Winter drop',
          scheduledStartAt: '2026-11-25T19:00:00.000Z',
          ...body,
        }),
        201,
      ),
    /** Schedules a session and starts it. */
    liveSession: async (body: Record<string, unknown> = {}) => {
      const session = await expectStatus(
        api.post('/v1/sessions', {
          creatorId: keys.creatorId,
          title: 'Winter drop',
          scheduledStartAt: '2026-11-25T19:00:00.000Z',
          ...body,
        }),
        201,
      );
      return expectStatus(api.post(`/v1/sessions/${session.id}/start`));
    },
    /** Creates and publishes an offer (its session must be live). */
    liveOffer: async (sessionId: string, body: Record<string, unknown> = {}) => {
      const offer = await expectStatus(
        api.post(`/v1/sessions/${sessionId}/offers`, {
          sellerId: seller.id,
          sku: 'NW-1',
          title: 'Storm Parka',
          price: usd(12_900),
          quantity: 10,
          ...body,
        }),
        201,
      );
      return expectStatus(api.post(`/v1/offers/${offer.id}/publish`));
    },
    /**
     * The browser of signed-in buyer `buyerId`: the platform mints a buyer session with the secret
     * key, and the page calls with the publishable key and `LiveDrop-Buyer-Session`.
     */
    buyer: (buyerId: string, ttlSeconds?: number) => buyerBrowser(ld.url, keys, buyerId, ttlSeconds),
    /** Issues a token for `buyerId` and reserves `quantity` with the publishable key. */
    reserve: async (offerId: string, buyerId: string, extra: Record<string, unknown> = {}) => {
      const issued = await expectStatus(api.post(`/v1/offers/${offerId}/tokens`, { buyerId }), 201);
      const reservation = await expectStatus(
        browser.post('/v1/reservations', { offerToken: issued.token, quantity: 1, ...extra }),
        201,
      );
      return { issued, reservation };
    },
    async [Symbol.asyncDispose]() {
      await ld[Symbol.asyncDispose]();
    },
  };
}

/** The world of {@link startDropWorld}. */
export type DropWorld = Awaited<ReturnType<typeof startDropWorld>>;
export type { Api };
