import { expect } from 'vitest';
import type { PooledAnswer } from './pooled-call';

/** One call to the API as the platform (its secret key): method, path and JSON body. */
export type PlatformCall = (method: string, path: string, body?: unknown) => Promise<PooledAnswer>;

/** What {@link liveOffer} makes. */
export interface LiveOffer {
  readonly sellerId: string;
  readonly sessionId: string;
  readonly offerId: string;
}

/**
 * A seller entitled to `creatorId`'s live stream, a started session and a published offer, made
 * through `api` and each checked; the offer is a $199 runner unless `options.offer` says otherwise.
 * @example
 * const { offerId } = await liveOffer(api, keys.creatorId, { offer: { quantity: 100 } });
 */
export async function liveOffer(
  api: PlatformCall,
  creatorId: string,
  options: { title?: string; scheduledStartAt?: string; offer?: Record<string, unknown> } = {},
): Promise<LiveOffer> {
  const seller = await api('POST', '/v1/sellers', { name: 'Acme Sneakers' });
  expect(seller.status, JSON.stringify(seller.body)).toBe(201);
  const entitlement = await api('POST', `/v1/creators/${creatorId}/entitlements`, {
    sellerId: seller.body.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  expect(entitlement.status, JSON.stringify(entitlement.body)).toBe(201);
  const session = await api('POST', '/v1/sessions', {
    creatorId,
    title: options.title ?? 'Live drop',
    scheduledStartAt: options.scheduledStartAt ?? '2026-11-25T19:00:00.000Z',
  });
  expect((await api('POST', `/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const offer = await api('POST', `/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'HYPE-1',
    title: 'Limited runner',
    price: { amount: 19_900, currency: 'USD' },
    ...options.offer,
  });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  expect((await api('POST', `/v1/offers/${offer.body.id}/publish`)).status).toBe(200);
  return { sellerId: seller.body.id as string, sessionId: session.body.id as string, offerId: offer.body.id as string };
}
