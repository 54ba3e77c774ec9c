import type { LiveDropClient, Offer } from '@livedrop/node';

/** Options of {@link openLiveOffer}. */
export interface LiveOfferOptions {
  /** Units in stock. @default 3 */
  quantity?: number;
  /** How long a hold lasts, in seconds. @default 60 */
  reservationTtlSeconds?: number;
}

/**
 * Arranges what most QA cases start from, through the public API only: a seller, a creator
 * entitled to sell its products, a live session and a published offer.
 */
export async function openLiveOffer(ld: LiveDropClient, options: LiveOfferOptions = {}): Promise<Offer> {
  const seller = await ld.sellers.create({ name: 'Northwind Goods' });
  const creator = await ld.creators.create({ handle: 'qa.creator', displayName: 'QA Creator' });
  await ld.creators.entitlements.create(creator.id, {
    sellerId: seller.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  // Scheduled a year back, so it is due on any clock a test may have moved.
  const session = await ld.sessions.create({
    creatorId: creator.id,
    title: 'QA drop',
    scheduledStartAt: '2020-01-01T00:00:00.000Z',
  });
  await ld.sessions.start(session.id);
  const offer = await ld.offers.create(session.id, {
    sellerId: seller.id,
    sku: 'QA-SKU-1',
    title: 'QA Widget',
    price: { amount: 2500, currency: 'USD' },
    quantity: options.quantity ?? 3,
    reservationTtlSeconds: options.reservationTtlSeconds ?? 60,
  });
  return ld.offers.publish(offer.id);
}
