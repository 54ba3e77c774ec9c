import {
  TRUST_WINDOW,
  TRUST_WINDOW_DAYS,
  type CreatorTrust,
  type Order,
  type Refund,
  type SellerTrustBaseline,
  type SellerTrustCreate,
  type TrustSignals,
} from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { Job } from '../storage/scheduler';
import type { Transaction } from '../storage/transaction';
import type { CreatorRecord, CreatorTrustDay, SellerRecord, SellerTrustDay, SessionRecord } from '../store';

/*
 * Trust signals derived from the ledger. Each seller and creator record keeps per-day counts (UTC
 * days, at most TRUST_WINDOW_DAYS of them) of what happened within the window, updated in the
 * transaction that captures, refunds or ends a session; the wire figures are recomputed from them
 * there, and by a `trust_window` job the moment a counted day leaves the window. A
 * `trust_updated` event is emitted exactly when the recomputed `trust` differs from the one shown,
 * which also moves the log the cached public views are keyed on.
 */

const DAY_MS = 86_400_000;

/** The UTC day (days since the epoch) of `ms`. */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The first day still in the window at `now`: today and the {@link TRUST_WINDOW_DAYS} − 1 days before it. */
function firstDayInWindow(now: number): number {
  return dayOf(now) - (TRUST_WINDOW_DAYS - 1);
}

/** `part / whole` in basis points, rounded half up in integers; 0 when `whole` is 0. */
export function bpsOf(part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.floor((part * 20_000 + whole) / (whole * 2));
}

/** The counted days still in the window at `now`. */
function inWindow<D extends { readonly day: number }>(days: readonly D[] | undefined, now: number): D[] {
  const first = firstDayInWindow(now);
  return (days ?? []).filter((d) => d.day >= first);
}

/** The day `day`'s counts in `days`, added (and its age-out scheduled) when it is new. */
function dayIn<D extends { readonly day: number }>(days: D[], day: number, fresh: () => D, onNew: () => void): D {
  let found = days.find((d) => d.day === day);
  if (!found) {
    found = fresh();
    days.push(found);
    onNew();
  }
  return found;
}

/** When a counted day leaves the window: the start of the day {@link TRUST_WINDOW_DAYS} later. */
function leavesWindowAt(day: number): number {
  return (day + TRUST_WINDOW_DAYS) * DAY_MS;
}

/** A seller's baseline from what the platform sent at creation. */
export function sellerBaseline(trust: SellerTrustCreate | undefined): SellerTrustBaseline {
  const completedOrders = trust?.completedOrders ?? 0;
  // A rate is kept as the whole number of orders it stands for, so figures stay integers from here on.
  return { completedOrders, disputedOrders: Math.round((trust?.disputeRate ?? 0) * completedOrders) };
}

/** A seller's trust figures at `now` from its verification, baseline and counted days. */
export function sellerTrust(
  verified: boolean,
  baseline: SellerTrustBaseline,
  days: readonly SellerTrustDay[],
  now: number,
): TrustSignals {
  const derived = { capturedOrders: 0, refundedOrders: 0, disputedOrders: 0 };
  for (const d of days) {
    derived.capturedOrders += d.captured;
    derived.refundedOrders += d.refunded;
    derived.disputedOrders += d.disputed;
  }
  const disputeRateBps = bpsOf(
    baseline.disputedOrders + derived.disputedOrders,
    baseline.completedOrders + derived.capturedOrders,
  );
  return {
    verified,
    completedOrders: baseline.completedOrders + derived.capturedOrders - derived.refundedOrders,
    disputeRate: disputeRateBps / 10_000,
    disputeRateBps,
    basis: {
      window: TRUST_WINDOW,
      since: isoTime(firstDayInWindow(now) * DAY_MS),
      computedAt: isoTime(now),
      baseline: { ...baseline },
      derived,
    },
  };
}

/** A creator's trust figures at `now` from its counted days. */
export function creatorTrust(days: readonly CreatorTrustDay[], now: number): CreatorTrust {
  const derived = { sessionsRun: 0, unitsOffered: 0, unitsSold: 0 };
  for (const d of days) {
    derived.sessionsRun += d.sessions;
    derived.unitsOffered += d.unitsOffered;
    derived.unitsSold += d.unitsSold;
  }
  return {
    sessionsRun: derived.sessionsRun,
    sellThroughBps: bpsOf(derived.unitsSold, derived.unitsOffered),
    basis: { window: TRUST_WINDOW, since: isoTime(firstDayInWindow(now) * DAY_MS), computedAt: isoTime(now), derived },
  };
}

/** What a trust object shows, without when and over what window it was computed: equal when nothing shown changed. */
function figuresOf(trust: TrustSignals | CreatorTrust): string {
  const { basis, ...figures } = trust;
  const { since: _since, computedAt: _computedAt, ...counts } = basis;
  return JSON.stringify([figures, counts]);
}

/** Whether two trust objects show the same figures. */
function sameFigures(a: TrustSignals | CreatorTrust, b: TrustSignals | CreatorTrust): boolean {
  return figuresOf(a) === figuresOf(b);
}

/** Recomputes a seller's trust on its working copy; emits `livedrop.seller.trust_updated` when a figure changed. */
function refreshSeller(tx: Transaction, seller: SellerRecord): void {
  const days = inWindow(seller.trustDays, tx.now);
  seller.trustDays = days;
  const { trust } = seller.value;
  const next = sellerTrust(trust.verified, trust.basis.baseline, days, tx.now);
  if (sameFigures(trust, next)) return;
  seller.value = { ...seller.value, trust: next };
  tx.emit(seller.tenantId, 'livedrop.seller.trust_updated', seller.value.id, { seller: seller.value });
}

/** Recomputes a creator's trust on its working copy; emits `livedrop.creator.trust_updated` when a figure changed. */
function refreshCreator(tx: Transaction, creator: CreatorRecord): void {
  const days = inWindow(creator.trustDays, tx.now);
  creator.trustDays = days;
  const next = creatorTrust(days, tx.now);
  if (sameFigures(creator.value.trust, next)) return;
  creator.value = { ...creator.value, trust: next };
  tx.emit(creator.tenantId, 'livedrop.creator.trust_updated', creator.value.id, { creator: creator.value });
}

function scheduleAgeOut(tx: Transaction, tenantId: string, party: 'seller' | 'creator', id: string, day: number): void {
  tx.schedule(leavesWindowAt(day), { kind: 'trust_window', tenantId, party, id });
}

/**
 * A step of the capture transaction: the seller counts one more order today, and when the order's
 * session has already ended (a hold captured after the end), its creator's sell-through counts the
 * units on the day the session ended.
 */
export function countCapture(tx: Transaction, tenantId: string, order: Order): void {
  const seller = tx.get('sellers', order.sellerId);
  if (seller) {
    const days = inWindow(seller.trustDays, tx.now);
    const today = dayOf(tx.now);
    const counts = dayIn(
      days,
      today,
      () => ({ day: today, captured: 0, refunded: 0, disputed: 0 }),
      () => scheduleAgeOut(tx, tenantId, 'seller', order.sellerId, today),
    );
    counts.captured += 1;
    seller.trustDays = days;
    refreshSeller(tx, seller);
  }
  const session = tx.get('sessions', order.sessionId);
  const endedAt = session?.value.endedAt;
  if (endedAt == null) return;
  const creator = tx.get('creators', order.creatorId);
  const counts = creator?.trustDays?.find((d) => d.day === dayOf(Date.parse(endedAt)));
  // Nothing to add to when the session's day has left the window.
  if (!creator || !counts || counts.day < firstDayInWindow(tx.now)) return;
  counts.unitsSold += order.quantity;
  refreshCreator(tx, creator);
}

/**
 * A step of the refund transaction, after `refund` was applied to the working copy of `order`: the
 * order's capture day counts it as refunded once it is refunded in full, and as disputed on its
 * first `dispute` refund. An order captured before the window changes nothing.
 */
export function countRefund(tx: Transaction, order: Order, refund: Refund): void {
  const seller = tx.get('sellers', order.sellerId);
  if (!seller) return;
  const day = dayOf(Date.parse(order.capturedAt));
  const counts = seller.trustDays?.find((d) => d.day === day);
  if (!counts || day < firstDayInWindow(tx.now)) return;
  const earlier = order.refunds.filter((r) => r.id !== refund.id);
  if (order.status === 'refunded') counts.refunded += 1;
  if (refund.reason === 'dispute' && !earlier.some((r) => r.reason === 'dispute')) counts.disputed += 1;
  refreshSeller(tx, seller);
}

/**
 * A step of the transaction that ends a session: its creator ran one more session today, offering
 * the stock of its published offers and having sold what they sold so far.
 */
export function countSessionEnd(tx: Transaction, session: SessionRecord): void {
  const creator = tx.get('creators', session.value.creatorId);
  if (!creator) return;
  let unitsOffered = 0;
  let unitsSold = 0;
  for (const offerId of session.offerIds) {
    const offer = tx.get('offers', offerId)?.value;
    // Drafts and offers moderation held back were never on sale.
    if (!offer || offer.publishedAt === null) continue;
    unitsOffered += offer.stock.total;
    unitsSold += offer.stock.sold;
  }
  const days = inWindow(creator.trustDays, tx.now);
  const today = dayOf(tx.now);
  const counts = dayIn(
    days,
    today,
    () => ({ day: today, sessions: 0, unitsOffered: 0, unitsSold: 0 }),
    () => scheduleAgeOut(tx, session.tenantId, 'creator', creator.value.id, today),
  );
  counts.sessions += 1;
  counts.unitsOffered += unitsOffered;
  counts.unitsSold += unitsSold;
  creator.trustDays = days;
  refreshCreator(tx, creator);
}

/**
 * Runs a `trust_window` job: a counted day has left the window, so the party's figures are
 * recomputed without it. Run twice, the second run finds nothing to drop and changes nothing.
 * @returns whether a figure changed
 */
export function ageOutTrust(engine: Engine, job: Extract<Job, { kind: 'trust_window' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const record = job.party === 'seller' ? tx.get('sellers', job.id) : tx.get('creators', job.id);
    if (!record || record.tenantId !== job.tenantId) return false;
    const before = JSON.stringify(record.value);
    if (job.party === 'seller') refreshSeller(tx, record as SellerRecord);
    else refreshCreator(tx, record as CreatorRecord);
    return JSON.stringify(record.value) !== before;
  });
}
