import type {
  AuditVerification,
  CreatorDashboard,
  LiveDropClient,
  LiveDropEvent,
  Offer,
  Order,
  Transfer,
} from '@livedrop/node';
import { forEachConcurrently } from './pool';
import type { Progress } from './progress';

/** What the API says happened, read back through the SDK once the drop is over. */
export interface Readback {
  /** The whole event log, replayed from the start (`events.list`, page by page). */
  readonly events: readonly LiveDropEvent[];
  /** Every offer that exists, with its final stock. */
  readonly offers: readonly Offer[];
  /** Every order, as it is now (settled, refunded). */
  readonly orders: readonly Order[];
  /** Every transfer (`transfers.list`, page by page). */
  readonly transfers: readonly Transfer[];
  /** The creator's dashboard for the session. */
  readonly dashboard: CreatorDashboard;
  /** The hash chain, walked by the server. */
  readonly audit: AuditVerification;
}

/**
 * Reads the outcome back from the API: the log first (orders and offers are found in it, so
 * nothing is taken from the demo's own bookkeeping), then each offer and order, the transfers, the
 * creator's dashboard and the audit of the hash chain.
 */
export async function readBack(
  platform: LiveDropClient,
  creatorId: string,
  sessionId: string,
  concurrency: number,
  progress: Progress,
): Promise<Readback> {
  progress.phase('reading the event log back', null);
  const events: LiveDropEvent[] = [];
  for await (const event of platform.events.list({ limit: 1000 })) {
    events.push(event);
    if (events.length % 1000 === 0) progress.set(events.length, null);
  }
  progress.done(`${events.length.toLocaleString('en-US')} events`);

  const offerIds = [
    ...new Set(events.flatMap((event) => (event.type === 'livedrop.offer.created' ? [event.data.offer.id] : []))),
  ];
  const orderIds = events.flatMap((event) => (event.type === 'livedrop.order.created' ? [event.data.order.id] : []));
  progress.phase('reading offers, orders and transfers', offerIds.length + orderIds.length);
  const offers: Offer[] = [];
  for (const id of offerIds) {
    offers.push(await platform.offers.retrieve(id));
    progress.tick();
  }
  const orders: Order[] = new Array(orderIds.length);
  await forEachConcurrently(orderIds, concurrency, async (id, index) => {
    orders[index] = await platform.orders.retrieve(id);
    progress.tick();
  });
  const transfers: Transfer[] = [];
  for await (const transfer of platform.transfers.list({ limit: 100 })) transfers.push(transfer);
  const dashboard = await platform.creators.dashboard(creatorId, { sessionId });
  const audit = await platform.events.verifyAudit();
  progress.done(`${orders.length} orders, ${transfers.length} transfers`);
  return { events, offers, orders, transfers, dashboard, audit };
}
