import type { LiveDropClient } from '@livedrop/core';
import type { DropSchedule } from './schedule';

/** The ids the API gave the schedule's sessions and offers, in schedule order. */
export interface StagedDrop {
  readonly sessionIds: readonly string[];
  /** Offer ids per session, in schedule order. */
  readonly offerIds: readonly (readonly string[])[];
}

/**
 * Creates what the schedule needs through the public API, as a deal platform would: a seller, a
 * verified creator entitled to sell its products, each session with its `expectedViewers`, and
 * each offer as a draft (published later, at its minute).
 */
export async function stageDrop(platform: LiveDropClient, schedule: DropSchedule): Promise<StagedDrop> {
  const seller = await platform.sellers.create({ name: 'Evening Goods', trust: { verified: true } });
  const creator = await platform.creators.create({ handle: 'drop.night', displayName: 'Drop Night', verified: true });
  await platform.creators.entitlements.create(creator.id, {
    sellerId: seller.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  const startsAtMs = Date.parse(schedule.startsAt);
  const sessionIds: string[] = [];
  const offerIds: string[][] = [];
  for (const planned of schedule.sessions) {
    const session = await platform.sessions.create({
      creatorId: creator.id,
      title: planned.title,
      scheduledStartAt: new Date(startsAtMs + planned.startMinute * 60_000).toISOString(),
      expectedViewers: planned.expectedViewers,
    });
    sessionIds.push(session.id);
    const ids: string[] = [];
    for (const [index, offer] of planned.offers.entries()) {
      const created = await platform.offers.create(session.id, {
        sellerId: seller.id,
        sku: `SIM-${sessionIds.length}-${index + 1}`,
        title: offer.title,
        price: { amount: offer.priceCents, currency: 'USD' },
        quantity: offer.quantity,
      });
      ids.push(created.id);
    }
    offerIds.push(ids);
  }
  return { sessionIds, offerIds };
}
