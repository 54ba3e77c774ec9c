import type { LiveDropEvent, Offer, Stock } from '@livedrop/node';

/** An offer's stock right after one event, on the server's clock. */
export interface StockPoint {
  readonly atMs: number;
  readonly seq: number;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly backordered: number;
}

/** One offer's stock, rebuilt from the event log and checked against the live ledger. */
export interface OfferReplay {
  readonly offerId: string;
  readonly total: number;
  /** Stock after every event that moved it, from the offer's creation on. */
  readonly points: readonly StockPoint[];
  /** The most units ever committed at once (`reserved + sold`); never above `total`. */
  readonly peakCommitted: number;
  /** Events after which `available + reserved + sold != total`, or a level went negative. */
  readonly invariantBreaks: number;
  /** Offer events whose own stock snapshot disagreed with the replay at that point. */
  readonly snapshotMismatches: number;
  /** Units sold beyond stock, ever (the number that must be 0). */
  readonly oversold: number;
  /** Units the log says were sold (sum of `order.created` quantities). */
  readonly soldByOrders: number;
  /** The replay's final stock equals the ledger's, read through the API afterwards. */
  readonly matchesLedger: boolean;
  /** The ledger's stock as the API reports it. */
  readonly ledger: Stock;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Rebuilds every offer's stock from the event log alone — held, backordered, promoted, released,
 * expired and captured moves — and checks it: the ledger identity after every event, each offer
 * event's snapshot against the replay, nothing sold beyond stock, and the final replay against the
 * live ledger (`offers`, read through the API). The stock charts of the report are drawn from it.
 */
export function replayLedger(events: readonly LiveDropEvent[], offers: readonly Offer[]): OfferReplay[] {
  const ledgerById = new Map(offers.map((offer) => [offer.id, offer]));
  const state = new Map<
    string,
    {
      stock: Mutable<Stock>;
      points: StockPoint[];
      peak: number;
      breaks: number;
      mismatches: number;
      oversold: number;
      soldByOrders: number;
    }
  >();
  const reservations = new Map<string, { status: string; quantity: number; offerId: string }>();

  const record = (offerId: string, event: LiveDropEvent) => {
    const entry = state.get(offerId);
    if (!entry) return;
    const { stock } = entry;
    const { total, available, reserved, sold, backordered } = stock;
    if (available < 0 || reserved < 0 || sold < 0 || backordered < 0 || available + reserved + sold !== total)
      entry.breaks++;
    entry.peak = Math.max(entry.peak, reserved + sold);
    entry.oversold = Math.max(entry.oversold, sold - total);
    entry.points.push({ atMs: Date.parse(event.time), seq: event.seq, available, reserved, sold, backordered });
  };
  const move = (offerId: string, change: Partial<Stock>) => {
    const stock = state.get(offerId)?.stock;
    if (!stock) return;
    for (const [key, delta] of Object.entries(change) as [keyof Stock, number][]) stock[key] += delta;
  };

  for (const event of events) {
    switch (event.type) {
      case 'livedrop.offer.created': {
        const { offer } = event.data;
        if (!ledgerById.has(offer.id)) break;
        state.set(offer.id, {
          stock: { ...offer.stock },
          points: [],
          peak: 0,
          breaks: 0,
          mismatches: 0,
          oversold: 0,
          soldByOrders: 0,
        });
        record(offer.id, event);
        break;
      }
      case 'livedrop.offer.published':
      case 'livedrop.offer.sold_out':
      case 'livedrop.offer.ended':
      case 'livedrop.offer.updated':
      case 'livedrop.offer.paused': {
        const { offer } = event.data;
        const entry = state.get(offer.id);
        if (!entry) break;
        const mine = entry.stock;
        const theirs = offer.stock;
        if (
          mine.total !== theirs.total ||
          mine.available !== theirs.available ||
          mine.reserved !== theirs.reserved ||
          mine.sold !== theirs.sold ||
          mine.backordered !== theirs.backordered
        )
          entry.mismatches++;
        record(offer.id, event);
        break;
      }
      case 'livedrop.reservation.held':
      case 'livedrop.reservation.backordered':
      case 'livedrop.reservation.promoted':
      case 'livedrop.reservation.released':
      case 'livedrop.reservation.expired': {
        const { id, quantity, offerId } = event.data.reservation;
        const before = reservations.get(id)?.status;
        if (event.type === 'livedrop.reservation.held') move(offerId, { available: -quantity, reserved: quantity });
        if (event.type === 'livedrop.reservation.backordered') move(offerId, { backordered: quantity });
        if (event.type === 'livedrop.reservation.promoted')
          move(offerId, { available: -quantity, reserved: quantity, backordered: -quantity });
        if (
          event.type === 'livedrop.reservation.expired' ||
          (event.type === 'livedrop.reservation.released' && before === 'held')
        )
          move(offerId, { available: quantity, reserved: -quantity });
        if (event.type === 'livedrop.reservation.released' && before === 'backordered')
          move(offerId, { backordered: -quantity });
        reservations.set(id, { status: event.data.reservation.status, quantity, offerId });
        record(offerId, event);
        break;
      }
      case 'livedrop.order.created': {
        const { offerId, quantity, reservationId } = event.data.order;
        move(offerId, { reserved: -quantity, sold: quantity });
        const entry = state.get(offerId);
        if (entry) entry.soldByOrders += quantity;
        reservations.set(reservationId, { status: 'captured', quantity, offerId });
        record(offerId, event);
        break;
      }
      default:
        break;
    }
  }

  return [...state].map(([offerId, entry]) => {
    const ledger = ledgerById.get(offerId)!.stock;
    const { stock } = entry;
    const matchesLedger =
      stock.total === ledger.total &&
      stock.available === ledger.available &&
      stock.reserved === ledger.reserved &&
      stock.sold === ledger.sold &&
      stock.backordered === ledger.backordered;
    return {
      offerId,
      total: ledger.total,
      points: entry.points,
      peakCommitted: entry.peak,
      invariantBreaks: entry.breaks,
      snapshotMismatches: entry.mismatches,
      oversold: Math.max(0, entry.oversold, ledger.sold - ledger.total),
      soldByOrders: entry.soldByOrders,
      matchesLedger,
      ledger,
    };
  });
}
