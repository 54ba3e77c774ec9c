import { createClient } from '@livedrop/node';

/** What the page needs to join: the session and the keys a browser may hold. */
export interface LiveSession {
  readonly sessionId: string;
  readonly offerId: string;
}

/**
 * What the creator's platform does before the show: a seller, an entitlement, a session with one
 * offer, live. (On a real platform this is the deal platform's backend, with its secret key.)
 */
export async function openLiveSession(apiUrl: string, secretKey: string, creatorId: string): Promise<LiveSession> {
  const ld = createClient({ apiKey: secretKey, baseUrl: apiUrl });
  const seller = await ld.sellers.create({
    name: 'Harbor Ceramics',
    trust: { verified: true, completedOrders: 312, disputeRate: 0.01 },
  });
  await ld.creators.entitlements.create(creatorId, {
    sellerId: seller.id,
    commissionBps: 1200,
    contentRights: ['live_stream'],
  });
  const session = await ld.sessions.create({
    creatorId,
    title: "Mara's Friday drop",
    scheduledStartAt: new Date(Date.now() + 60_000).toISOString(),
  });
  await ld.sessions.start(session.id);
  const offer = await ld.offers.create(session.id, {
    sellerId: seller.id,
    sku: 'MUG-SPECKLE',
    title: 'Speckled mug',
    price: { amount: 3_200, currency: 'USD' },
    compareAtPrice: { amount: 4_000, currency: 'USD' },
    quantity: 25,
  });
  await ld.offers.publish(offer.id);
  return { sessionId: session.id, offerId: offer.id };
}
