import type { Offer, Order, Transfer } from '@livedrop/node';
import type { Readback } from './collect';
import { count, money } from './format';
import { replayLedger, type OfferReplay, type StockPoint } from './ledger-replay';
import { histogramOf, median, statsOf, type LatencyStats } from './metrics';
import type { OfferWindow } from './offer-window';
import type {
  BuyerFates,
  BusinessOutcome,
  Check,
  DropRecord,
  OfferSummary,
  PayoutSummary,
  Summary,
  TimelinePoint,
} from './summary';

function minutesSince(startMs: number, atMs: number): number {
  return Math.round(((atMs - startMs) / 60_000) * 100) / 100;
}

/**
 * Keeps a stock timeline small: the first point, then the last point of each `bucketMs` of show
 * time, in minutes since `startMs`.
 */
function thin(points: readonly StockPoint[], bucketMs: number, startMs: number): TimelinePoint[] {
  const kept: StockPoint[] = [];
  for (let index = 0; index < points.length; index++) {
    const point = points[index]!;
    const next = points[index + 1];
    if (index === 0 || !next || Math.floor(next.atMs / bucketMs) !== Math.floor(point.atMs / bucketMs))
      kept.push(point);
  }
  return kept.map(({ atMs, available, reserved, sold, backordered }) => ({
    atMin: (atMs - startMs) / 60_000,
    available,
    reserved,
    sold,
    backordered,
  }));
}

/** The final state of every reservation (by id), from the log: the last reservation event, or its order. */
function finalStatuses(readback: Readback): Map<string, { offerId: string; status: string }> {
  const statuses = new Map<string, { offerId: string; status: string }>();
  for (const event of readback.events) {
    if (event.type.startsWith('livedrop.reservation.')) {
      const { reservation } = (event as Extract<typeof event, { type: 'livedrop.reservation.held' }>).data;
      statuses.set(reservation.id, { offerId: reservation.offerId, status: reservation.status });
    } else if (event.type === 'livedrop.order.created') {
      statuses.set(event.data.order.reservationId, { offerId: event.data.order.offerId, status: 'captured' });
    }
  }
  return statuses;
}

function payoutsOf(transfers: readonly Transfer[], labels: ReadonlyMap<string, string>): PayoutSummary[] {
  const byDestination = new Map<string, Transfer[]>();
  for (const transfer of transfers)
    byDestination.set(transfer.destination, [...(byDestination.get(transfer.destination) ?? []), transfer]);
  const order = { platform: 0, creator: 1, seller: 2 } as const;
  return [...byDestination]
    .map(([destination, list]): PayoutSummary => {
      const gross = list.reduce((sum, transfer) => sum + transfer.amount.amount, 0);
      const reversed = list.reduce((sum, transfer) => sum + transfer.amountReversed.amount, 0);
      return {
        party: list[0]!.party,
        destination,
        label: labels.get(destination) ?? destination,
        transfers: list.length,
        gross,
        reversed,
        net: gross - reversed,
        paid: list.filter((transfer) => transfer.status === 'paid').length,
        pending: list.filter((transfer) => transfer.status === 'pending').length,
        firstTransferId: list[0]?.id ?? null,
        lastTransferId: list[list.length - 1]?.id ?? null,
      };
    })
    .sort((a, b) => order[a.party] - order[b.party] || a.label.localeCompare(b.label));
}

function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}

/** Each seller's figures from its last `livedrop.seller.trust_updated` in the log. */
function sellerTrustOf(events: Readback['events']): Summary['sellerTrust'] {
  const last = new Map<string, Summary['sellerTrust'][number]>();
  for (const event of events) {
    if (event.type !== 'livedrop.seller.trust_updated') continue;
    const { name, trust } = event.data.seller;
    last.set(event.subject, {
      name,
      completedOrders: trust.completedOrders,
      disputeRateBps: trust.disputeRateBps,
      window: trust.basis.window,
    });
  }
  return [...last.values()];
}

/**
 * Computes the summary from what happened: the run's own record of the API's answers, and the
 * outcome read back through the API (the event log, offers, orders, transfers, dashboard, audit).
 * Nothing in it is typed in; every number is counted or summed from those.
 */
export function buildSummary(record: DropRecord, readback: Readback): Summary {
  const { cast, session, options } = record;
  const showStartMs = Date.parse(session.startedAt ?? session.createdAt);
  const offersById = new Map<string, Offer>(readback.offers.map((offer) => [offer.id, offer]));
  const replays = new Map<string, OfferReplay>(
    replayLedger(readback.events, readback.offers).map((replay) => [replay.offerId, replay]),
  );
  const statuses = finalStatuses(readback);
  const declinesByOffer = new Map<string, number>();
  for (const event of readback.events) {
    if (event.type === 'livedrop.payment.declined')
      declinesByOffer.set(
        event.data.attribution.offerId,
        (declinesByOffer.get(event.data.attribution.offerId) ?? 0) + 1,
      );
  }
  const everHeld = new Set<string>();
  const declined = new Set<string>();
  for (const event of readback.events) {
    if (event.type === 'livedrop.reservation.held' || event.type === 'livedrop.reservation.promoted')
      everHeld.add(event.data.reservation.id);
    if (event.type === 'livedrop.payment.declined') declined.add(event.data.reservationId);
  }
  const fatesOf = (window: OfferWindow | undefined): BuyerFates => {
    const fates = {
      bought: 0,
      boughtAfterDecline: 0,
      lapsedAfterDecline: 0,
      lapsed: 0,
      released: 0,
      waitlisted: 0,
      turnedAway: 0,
      open: 0,
    };
    if (!window) return fates;
    const latest = new Map(window.rush.map((outcome) => [outcome.buyerId, outcome]));
    for (const outcome of window.lastCall) latest.set(outcome.buyerId, outcome);
    for (const outcome of latest.values()) {
      if (outcome.kind === 'refused') {
        fates.turnedAway++;
        continue;
      }
      const { id } = outcome.reservation;
      const status = statuses.get(id)?.status;
      if (status === 'captured') fates[declined.has(id) ? 'boughtAfterDecline' : 'bought']++;
      else if (status === 'expired') fates[declined.has(id) ? 'lapsedAfterDecline' : 'lapsed']++;
      else if (status === 'released') fates[everHeld.has(id) ? 'released' : 'waitlisted']++;
      else fates.open++;
    }
    return fates;
  };
  const ordersByOffer = new Map<string, Order[]>();
  for (const order of readback.orders)
    ordersByOffer.set(order.offerId, [...(ordersByOffer.get(order.offerId) ?? []), order]);
  const sellerNames = new Map(Object.values(cast.sellers).map((seller) => [seller.id, seller.name]));

  const offers: OfferSummary[] = record.staged.map(({ planned, created, refusal, review }) => {
    const window = created ? record.windows.get(created.id) : undefined;
    const final = created ? offersById.get(created.id) : undefined;
    const replay = created ? replays.get(created.id) : undefined;
    const rushOf = (outcomes: OfferWindow['rush'] = []) => ({
      held: outcomes.filter((o) => o.kind === 'held').length,
      backordered: outcomes.filter((o) => o.kind === 'backordered').length,
      soldOut: outcomes.filter((o) => o.kind === 'refused' && o.code === 'sold_out').length,
      otherRefusals: outcomes.filter((o) => o.kind === 'refused' && o.code !== 'sold_out').length,
    });
    const reservations = { captured: 0, expired: 0, released: 0, held: 0, backordered: 0 };
    for (const { offerId, status } of statuses.values()) {
      if (offerId === created?.id && status in reservations) reservations[status as keyof typeof reservations]++;
    }
    const orders = created ? (ordersByOffer.get(created.id) ?? []) : [];
    const unitsSold = final?.stock.sold ?? 0;
    const last = rushOf(window?.lastCall);
    return {
      slot: planned.slot,
      role: planned.role,
      title: planned.title,
      sku: planned.sku,
      seller: cast.sellers[planned.seller].name,
      offerId: created?.id ?? null,
      price: planned.price,
      compareAtPrice: planned.compareAtPrice,
      priceFloor: planned.priceFloor,
      stock: planned.quantity,
      status: final?.status ?? 'refused',
      split: final ? final.split : null,
      refusal,
      moderation: review
        ? { escalationNote: review.escalationNote, approvalNote: review.approval.moderation.note }
        : null,
      publishedAtMin: window ? minutesSince(showStartMs, window.publishedAtMs) : null,
      endedAtMin: window ? minutesSince(showStartMs, window.endedAtMs) : null,
      viewersReached: window?.viewersReached ?? 0,
      demand: planned.buyerIds.length,
      rush: rushOf(window?.rush),
      rushRate: window && window.rushSeconds > 0 ? Math.round(window.rush.length / window.rushSeconds) : 0,
      promoted: window?.promotedPerRound.reduce((sum, n) => sum + n, 0) ?? 0,
      lastCall: { returned: window?.lastCall.length ?? 0, held: last.held, soldOut: last.soldOut },
      reservations,
      declines: created ? (declinesByOffer.get(created.id) ?? 0) : 0,
      fates: fatesOf(window),
      orders: orders.length,
      unitsSold,
      sellThrough: planned.quantity === 0 || !final ? 0 : unitsSold / planned.quantity,
      gmv: orders.reduce((sum, order) => sum + order.gross.amount, 0),
      timeline:
        replay && window
          ? thin(
              replay.points.filter(
                (point) => point.atMs >= window.publishedAtMs - 60_000 && point.atMs <= window.endedAtMs,
              ),
              1000,
              showStartMs,
            )
          : [],
      marks: window
        ? window.marks.map((mark) => ({ label: mark.label, atMin: minutesSince(showStartMs, mark.atMs) }))
        : [],
    } satisfies OfferSummary;
  });

  const live = offers.filter((offer) => offer.offerId !== null);
  const sum = (pick: (offer: OfferSummary) => number) => live.reduce((total, offer) => total + pick(offer), 0);
  const tokensIssued = readback.events.filter((event) => event.type === 'livedrop.token.issued').length;
  const gmv = readback.orders.reduce((total, order) => total + order.gross.amount, 0);
  const refunded = readback.orders.reduce((total, order) => total + order.amountRefunded.amount, 0);
  const buyersWhoBought = new Set(readback.orders.map((order) => order.buyerId)).size;

  const labels = new Map<string, string>([
    ['platform', 'Platform fee'],
    [cast.creator.id, `@${cast.creator.handle}`],
    ...sellerNames,
  ]);
  const payouts = payoutsOf(readback.transfers, labels);
  const transferParty = new Map(readback.transfers.map((transfer) => [transfer.id, transfer.party]));
  const { refund } = record.refund;
  const refundedOrder = readback.orders.find((order) => order.id === record.refund.orderId)!;

  const settleTimes = readback.orders.flatMap((order) =>
    order.timeToSettlementMs === null ? [] : [order.timeToSettlementMs],
  );
  const settleStats: LatencyStats | null = settleTimes.length ? statsOf(settleTimes) : null;

  // Integrity: every check compares two independent accounts of the same fact.
  const replayList = [...replays.values()];
  const oversold = replayList.reduce((total, replay) => total + replay.oversold, 0);
  const paidByDemo = [...record.windows.values()].reduce(
    (total, window) => total + window.checkouts.filter((checkout) => checkout.order).length,
    0,
  );
  const creatorPaid = payouts
    .filter((payout) => payout.party === 'creator')
    .reduce((total, payout) => total + payout.net, 0);
  const dashboardGmv = readback.dashboard.gmv.find((money) => money.currency === 'USD')?.amount ?? 0;
  const dashboardPaid = readback.dashboard.earnings.paid.find((money) => money.currency === 'USD')?.amount ?? 0;
  const transferTotal = payouts.reduce((total, payout) => total + payout.gross, 0);
  const reversedTotal = payouts.reduce((total, payout) => total + payout.reversed, 0);
  const unresolved = [...statuses.values()].filter(
    (status) => status.status === 'held' || status.status === 'backordered',
  ).length;
  const { webhooks, feed } = record;
  const checks: Check[] = [
    check(
      'No oversell',
      oversold === 0 && replayList.every((replay) => replay.peakCommitted <= replay.total),
      `${count(oversold)} units sold beyond stock; peak committed ≤ stock on all ${replayList.length} offers`,
    ),
    check(
      'Ledger identity after every event',
      replayList.every((replay) => replay.invariantBreaks === 0),
      `available + reserved + sold = stock after each of ${count(replayList.reduce((t, r) => t + r.points.length, 0))} stock moves`,
    ),
    check(
      'Event log replays to the ledger',
      replayList.every((replay) => replay.matchesLedger && replay.snapshotMismatches === 0),
      'stock rebuilt from the log equals the API’s stock, and every offer event’s snapshot',
    ),
    check(
      'Units sold = orders',
      replayList.every((replay) => replay.ledger.sold === replay.soldByOrders) && paidByDemo === readback.orders.length,
      `${count(sum((o) => o.unitsSold))} units sold; ${count(readback.orders.length)} orders in the log; ${count(paidByDemo)} confirmed by buyers`,
    ),
    check(
      'Every hold resolved',
      unresolved === 0,
      `${count(unresolved)} reservations still held or queued after the show`,
    ),
    check(
      'Audit chain intact',
      readback.audit.valid && readback.audit.eventsChecked === readback.events.length,
      `${count(readback.audit.eventsChecked)} events, SHA-256 chain up to seq ${readback.audit.headSeq}`,
    ),
    check(
      'Payouts add up to GMV',
      transferTotal === gmv && reversedTotal === refunded,
      `transfers ${money(transferTotal)} = GMV ${money(gmv)}; reversals ${money(reversedTotal)} = refunds ${money(refunded)}`,
    ),
    check(
      'Every webhook verified',
      webhooks.rejected === 0 && webhooks.missing === 0 && webhooks.unexpected === 0 && webhooks.duplicates === 0,
      `${count(webhooks.verified)} deliveries verified (Standard Webhooks signature) for the ${count(webhooks.expected)} subscribed events in the log; ${webhooks.missing} missing, ${webhooks.duplicates} duplicated, ${webhooks.rejected} rejected`,
    ),
    check(
      'Realtime feed complete',
      feed.lastSeq >= readback.events.length && feed.gaps === 0 && feed.repeats === 0,
      `${count(feed.received)} events over SSE, ${feed.gaps} gaps, ${feed.repeats} repeats, ${feed.reconnects} reconnects`,
    ),
    check(
      'Creator dashboard agrees',
      readback.dashboard.captures === readback.orders.length &&
        dashboardGmv === gmv &&
        readback.dashboard.tokensIssued === tokensIssued &&
        dashboardPaid === creatorPaid,
      `captures ${count(readback.dashboard.captures)}, GMV ${money(dashboardGmv)}, tokens ${count(readback.dashboard.tokensIssued)}, creator paid ${money(dashboardPaid)}`,
    ),
  ];

  const outcome: BusinessOutcome = {
    offers: offers.map((offer) => ({
      sku: offer.sku,
      outcome: offer.refusal ? 'refused' : 'sold',
      refusalCode: offer.refusal?.code ?? null,
      stock: offer.stock,
      demand: offer.demand,
      held: offer.rush.held,
      backordered: offer.rush.backordered,
      soldOut: offer.rush.soldOut,
      promoted: offer.promoted,
      lastCallReturned: offer.lastCall.returned,
      lastCallHeld: offer.lastCall.held,
      captured: offer.reservations.captured,
      expired: offer.reservations.expired,
      released: offer.reservations.released,
      declines: offer.declines,
      fates: offer.fates,
      unitsSold: offer.unitsSold,
      gmv: offer.gmv,
    })),
    totals: {
      orders: readback.orders.length,
      unitsSold: sum((o) => o.unitsSold),
      gmv,
      refunded,
      declines: sum((o) => o.declines),
      expired: sum((o) => o.reservations.expired),
      released: sum((o) => o.reservations.released),
    },
    payouts: payouts.map(({ party, label, gross, reversed, net, transfers }) => ({
      party,
      label,
      gross,
      reversed,
      net,
      transfers,
    })),
    refund: {
      amount: refund.amount.amount,
      reversals: Object.fromEntries(
        refund.reversals.map((reversal) => [transferParty.get(reversal.transferId) ?? '?', reversal.amount.amount]),
      ),
    },
  };

  const lastEnd = Math.max(...live.map((offer) => offer.endedAtMin ?? 0));
  return {
    run: {
      seed: options.seed,
      buyers: options.buyers,
      offers: options.offers,
      viewers: options.viewers,
      concurrency: options.concurrency,
      startedAt: record.startedAt.toISOString(),
      durationMs: Math.round(record.durationMs),
      serverUrl: record.serverUrl,
      node: process.version,
    },
    drop: {
      sessionId: session.id,
      title: session.title,
      creator: { id: cast.creator.id, handle: cast.creator.handle, displayName: cast.creator.displayName },
      sellers: cast.entitlements.map((entitlement) => ({
        id: entitlement.sellerId,
        name: sellerNames.get(entitlement.sellerId) ?? entitlement.sellerId,
        commissionBps: entitlement.commissionBps,
      })),
      showMinutes: Math.ceil(lastEnd),
      holdTtlSeconds: readback.offers.find((offer) => offer.status !== 'rejected')?.reservationTtlSeconds ?? 0,
    },
    offers,
    funnel: {
      buyers: options.buyers,
      tokensIssued,
      reserveAttempts: sum((o) => o.demand + o.lastCall.returned),
      held: sum((o) => o.rush.held + o.lastCall.held),
      backordered: sum((o) => o.rush.backordered),
      promoted: sum((o) => o.promoted),
      soldOut: sum((o) => o.rush.soldOut + o.lastCall.soldOut),
      orders: readback.orders.length,
    },
    reservations: {
      captured: sum((o) => o.reservations.captured),
      expired: sum((o) => o.reservations.expired),
      released: sum((o) => o.reservations.released),
      held: sum((o) => o.reservations.held),
      backordered: sum((o) => o.reservations.backordered),
      declines: sum((o) => o.declines),
    },
    money: {
      currency: 'USD',
      gmv,
      refunded,
      netGmv: gmv - refunded,
      averageOrder: readback.orders.length === 0 ? 0 : Math.round(gmv / readback.orders.length),
      conversion: options.buyers === 0 ? 0 : buyersWhoBought / options.buyers,
      payouts,
      refund: {
        id: refund.id,
        orderId: refund.orderId,
        buyerId: refundedOrder.buyerId,
        offerTitle: offers.find((offer) => offer.offerId === refundedOrder.offerId)?.title ?? refundedOrder.offerId,
        reason: record.refund.reason,
        amount: refund.amount.amount,
        orderGross: refundedOrder.gross.amount,
        reversals: refund.reversals.map((reversal) => ({
          id: reversal.id,
          transferId: reversal.transferId,
          party: transferParty.get(reversal.transferId) ?? '?',
          amount: reversal.amount.amount,
        })),
        legs: refundedOrder.transfers.map((transfer) => ({
          party: transfer.party,
          transferId: transfer.id,
          amount: transfer.amount.amount,
          reversed: transfer.amountReversed.amount,
          reversalIds: transfer.reversals.map((reversal) => reversal.id),
          status: transfer.status,
        })),
      },
    },
    settlement: {
      orders: readback.orders.length,
      settled: settleTimes.length,
      payoutRuns: record.payoutRuns,
      payoutEveryMinutes: record.payoutEveryMinutes,
      delayMs: median(
        readback.orders.flatMap((order) =>
          order.transfers.map((transfer) => Date.parse(transfer.availableAt) - Date.parse(order.capturedAt)),
        ),
      ),
      medianMs: median(settleTimes),
      minMs: settleStats?.min ?? null,
      maxMs: settleStats?.max ?? null,
      p95Ms: settleStats?.p95 ?? null,
      dashboardMedianMs: readback.dashboard.medianTimeToSettlementMs,
      // Bars from the whole minute before the fastest settlement: every order waits the two-day delay.
      distribution: {
        stats: statsOf(settleTimes),
        bins: histogramOf(
          settleTimes,
          12,
          settleTimes.length ? Math.floor(Math.min(...settleTimes) / 60_000) * 60_000 : 0,
        ),
        scale: 'linear',
      },
    },
    sellerTrust: sellerTrustOf(readback.events),
    latency: record.latency,
    integrity: {
      oversold,
      checks,
      audit: {
        valid: readback.audit.valid,
        eventsChecked: readback.audit.eventsChecked,
        headSeq: readback.audit.headSeq,
        headHash: readback.audit.headHash,
      },
      webhooks,
      realtime: { ...feed, viewers: record.audience.viewers, stockMessages: record.audience.stockMessages },
      events: readback.events.length,
    },
    outcome,
  };
}
