import type {
  Attribution,
  CommerceAttribution,
  EventType,
  OfferStatus,
  Reservation,
  ReservationStatus,
  Stock,
} from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { newId, randomToken } from '../ids';
import { ApiProblem } from '../problem';
import type { Job } from '../storage/scheduler';
import type { Transaction } from '../storage/transaction';
import type { OfferRecord, ReservationRecord } from '../store';

/*
 * The reservation ledger: the only code that moves units between `available`, `reserved` and `sold`.
 *
 * Every exported function is a step of a transition: it works on the working copies of one
 * transaction (`tx.get('offers' | 'reservations', id)`), appends its events and schedules its jobs
 * through the transaction, and throws before it changes anything. The storage commits the whole
 * transition atomically (or, if it threw, nothing), so `available + reserved + sold == total` holds
 * in every committed state, whatever runs concurrently.
 */

/** What a buyer asks the ledger for: units of one offer, as an already verified token allows. */
export interface HoldRequest {
  /** The buyer (the token's `sub`). */
  readonly buyerId: string;
  readonly quantity: number;
  /** Most units the token allows (its `qmax`). */
  readonly quantityMax: number;
  /** The buyer agreed to wait in the backorder queue if nothing is available. */
  readonly backorderConsent: boolean;
  /** Campaign attribution from the token, carried onto the reservation and its events. */
  readonly attribution: Attribution | null;
}

/**
 * Offer states in which returning units are handed to the backorder queue. A pause stops new
 * buyers, not the claim queued buyers already have; once an offer has ended nothing is promoted
 * (its queue can be cleared with {@link releaseBackorders}).
 */
const PROMOTING: ReadonlySet<OfferStatus> = new Set(['live', 'paused']);

/**
 * Holds units for a buyer, or queues the request as a backorder: the synchronous core of
 * `POST /v1/reservations`. In order: the offer must be `live` (409 `offer_not_live`); `quantity` at
 * most the token's `quantityMax` and the buyer's units (held, bought or queued) plus `quantity` at
 * most `perBuyerLimit` (422 `limit_exceeded`); then a `held` reservation if enough units are
 * available, else a `backordered` one if the offer allows backorders, the buyer consents and the
 * queue has room, else 409 `sold_out`. New requests are served from available units even while a
 * larger request waits at the head of the queue; queued requests keep their order among themselves.
 * Emits `livedrop.reservation.held` (and `livedrop.offer.sold_out` when it takes the last unit) or
 * `livedrop.reservation.backordered`.
 * @returns the stored reservation
 * @throws ApiProblem `offer_not_live`, `limit_exceeded` or `sold_out`, having changed nothing
 */
export function tryHold(tx: Transaction, offer: OfferRecord, request: HoldRequest): ReservationRecord {
  const { id, status, stock, perBuyerLimit, backorder, price } = offer.value;
  const { buyerId, quantity } = request;
  if (status !== 'live')
    throw new ApiProblem(
      'offer_not_live',
      status === 'pending_review'
        ? `Offer ${id} is pending_review: a moderator is reviewing it (a change to its content is held for review); reservations are accepted again once it is approved and live.`
        : `Offer ${id} is ${status}; reservations are accepted only while it is live.`,
    );
  if (quantity > request.quantityMax) {
    throw new ApiProblem(
      'limit_exceeded',
      `quantity ${quantity} is above the token's quantityMax of ${request.quantityMax}; reserve ${request.quantityMax} or fewer, or issue a token with a higher quantityMax.`,
      {
        errors: [
          {
            path: 'quantity',
            code: 'too_big',
            message: `quantity must be at most the token's quantityMax (${request.quantityMax}).`,
          },
        ],
      },
    );
  }
  const owned = tx.units(offer.value.id, buyerId);
  if (perBuyerLimit !== null && owned + quantity > perBuyerLimit) {
    throw new ApiProblem(
      'limit_exceeded',
      `Buyer ${buyerId} already holds, bought or awaits ${owned} of at most ${perBuyerLimit} units per buyer; reserve ${Math.max(0, perBuyerLimit - owned)} or fewer.`,
      {
        errors: [
          {
            path: 'quantity',
            code: 'too_big',
            message: `quantity must be at most ${Math.max(0, perBuyerLimit - owned)} for this buyer (perBuyerLimit ${perBuyerLimit}).`,
          },
        ],
      },
    );
  }
  if (!Number.isSafeInteger(price.amount * quantity))
    throw new ApiProblem(
      'limit_exceeded',
      `quantity ${quantity} at this price exceeds the largest amount LiveDrop can represent; reserve fewer units.`,
    );

  if (stock.available >= quantity) {
    const reservation = createReservation(tx, offer, request, 'held');
    setStock(offer, { available: stock.available - quantity, reserved: stock.reserved + quantity });
    grantHold(tx, offer, reservation, 'livedrop.reservation.held');
    if (offer.value.soldOut) emitSoldOut(tx, offer);
    return reservation;
  }
  const queueRoom = backorder?.allowed ? backorder.limit - stock.backordered : 0;
  if (backorder?.allowed && request.backorderConsent && quantity <= queueRoom) {
    const reservation = createReservation(tx, offer, request, 'backordered');
    offer.queue.push(reservation.value.id);
    reservation.value.queuePosition = offer.queue.length;
    setStock(offer, { backordered: stock.backordered + quantity });
    tx.addUnits(offer.value.id, buyerId, quantity);
    tx.put('reservations', reservation.value.id, reservation);
    emitReservation(tx, 'livedrop.reservation.backordered', reservation);
    return reservation;
  }
  throw new ApiProblem('sold_out', soldOutDetail(offer, request, queueRoom));
}

function soldOutDetail(offer: OfferRecord, request: HoldRequest, queueRoom: number): string {
  const { id, stock, backorder } = offer.value;
  const head = `Offer ${id} has ${stock.available} of the ${request.quantity} units asked for.`;
  if (!backorder?.allowed) return `${head} It takes no backorders; try fewer units or another offer.`;
  if (request.quantity > queueRoom)
    return `${head} Its backorder queue has room for ${queueRoom} more units; try fewer units.`;
  return `${head} Send backorderConsent: true to wait in the backorder queue; you would be position ${offer.queue.length + 1}.`;
}

/**
 * Gives a reservation's units back, exactly once: a `held` one returns its units to `available`, a
 * `backordered` one leaves the queue (positions behind it move up). Emits
 * `livedrop.reservation.released`, then promotes backorders that now fit.
 * @throws ApiProblem `reservation_not_held` for any other status, having changed nothing
 */
export function release(tx: Transaction, reservation: ReservationRecord): void {
  const { id, status } = reservation.value;
  if (status !== 'held' && status !== 'backordered') {
    throw new ApiProblem(
      'reservation_not_held',
      `Reservation ${id} is ${status}; only a held or backordered reservation can be released, and only once.`,
    );
  }
  const offer = offerOf(tx, reservation);
  const wasSoldOut = offer.value.soldOut;
  if (status === 'held') returnHeldUnits(tx, offer, reservation);
  else leaveQueue(tx, offer, reservation);
  settle(tx, reservation, 'released', null);
  emitReservation(tx, 'livedrop.reservation.released', reservation);
  promote(tx, offer, !wasSoldOut);
}

/**
 * Moves a held reservation's units from `reserved` to `sold` and marks it `captured`: the seam for
 * capture and confirm, which build the order and emit its events themselves.
 * @throws ApiProblem `reservation_expired` or `reservation_not_held`, having changed nothing
 */
export function captureHold(tx: Transaction, reservation: ReservationRecord, orderId: string): void {
  assertCapturable(tx.now, reservation);
  const { quantity } = reservation.value;
  const offer = offerOf(tx, reservation);
  const { stock } = offer.value;
  setStock(offer, { reserved: stock.reserved - quantity, sold: stock.sold + quantity });
  settle(tx, reservation, 'captured', null, orderId);
}

/**
 * Refuses, changing nothing, a reservation that cannot be paid for: already captured (naming its
 * order), lapsed (`reservation_expired`, also when the expiry job has not run yet), or not held.
 */
export function assertCapturable(now: number, reservation: ReservationRecord): void {
  const { id, status, orderId, expiresAt } = reservation.value;
  if (status === 'captured') {
    throw new ApiProblem(
      'reservation_not_held',
      `Reservation ${id} was already paid for: it is order ${orderId ?? ''}. A hold is captured once; read the order with GET /v1/orders/${orderId ?? ''}.`,
    );
  }
  const lapsed = status === 'expired' || (status === 'held' && expiresAt !== null && Date.parse(expiresAt) <= now);
  if (lapsed)
    throw new ApiProblem(
      'reservation_expired',
      `Reservation ${id} expired and its units went back on sale; reserve again with a new offer token.`,
    );
  if (status !== 'held') {
    const hint =
      status === 'backordered'
        ? ' It is waiting in the backorder queue; pay for it once it is promoted to held.'
        : ' Reserve again with a new offer token.';
    throw new ApiProblem(
      'reservation_not_held',
      `Reservation ${id} is ${status}; only a held reservation can be paid for.${hint}`,
    );
  }
}

/**
 * Sets an offer's total stock (PATCH `quantity`): `available` becomes what is neither reserved nor
 * sold, and units added are promoted to the backorder queue in order (`livedrop.reservation.promoted`
 * each). It emits neither `livedrop.offer.updated` nor `livedrop.offer.sold_out`: the caller's
 * `offer.updated` carries the new stock.
 * @throws ApiProblem `quantity_below_committed` when `total` is below `reserved + sold`, having changed nothing
 */
export function setStockTotal(tx: Transaction, offer: OfferRecord, total: number): void {
  const { stock } = offer.value;
  const committed = stock.reserved + stock.sold;
  if (total < committed) {
    throw new ApiProblem(
      'quantity_below_committed',
      `quantity ${total} is below the ${committed} units already held or sold; send at least ${committed}, or wait for holds to lapse.`,
      {
        errors: [
          {
            path: 'quantity',
            code: 'too_small',
            message: `quantity must be at least ${committed} (reserved ${stock.reserved} + sold ${stock.sold}).`,
          },
        ],
      },
    );
  }
  setStock(offer, { total, available: total - committed });
  promote(tx, offer, false);
}

/**
 * Releases every backordered reservation of an offer (`livedrop.reservation.released` each), for
 * when the offer ends and the queue can never be served. Held reservations keep their TTL.
 * @returns how many were released
 */
export function releaseBackorders(tx: Transaction, offer: OfferRecord): number {
  const queued = offer.queue.splice(0);
  for (const id of queued) {
    const reservation = tx.get('reservations', id);
    if (reservation?.value.status !== 'backordered') continue;
    const { stock } = offer.value;
    setStock(offer, { backordered: stock.backordered - reservation.value.quantity });
    tx.addUnits(offer.value.id, reservation.value.buyerId, -reservation.value.quantity);
    settle(tx, reservation, 'released', null);
    emitReservation(tx, 'livedrop.reservation.released', reservation);
  }
  return queued.length;
}

/** Commerce attribution of a reservation's events: creator, session, offer and campaign. */
export function attributionOf(reservation: ReservationRecord): CommerceAttribution {
  const { sessionId, offerId, attribution } = reservation.value;
  return { creatorId: reservation.creatorId, sessionId, offerId, campaign: attribution?.campaign ?? null };
}

/**
 * The `hold_expiry` job: lapses a hold at its `expiresAt` and returns its units (then promotes the
 * backorders that now fit), unless it was released, captured or re-held since.
 * @returns whether the hold lapsed
 */
export function expireHold(engine: Engine, job: Extract<Job, { kind: 'hold_expiry' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const reservation = tx.get('reservations', job.reservationId);
    if (reservation?.value.status !== 'held' || reservation.value.expiresAt !== job.expiresAt) return false;
    const offer = offerOf(tx, reservation);
    const wasSoldOut = offer.value.soldOut;
    returnHeldUnits(tx, offer, reservation);
    settle(tx, reservation, 'expired', job.expiresAt);
    emitReservation(tx, 'livedrop.reservation.expired', reservation);
    promote(tx, offer, !wasSoldOut);
    return true;
  });
}

/**
 * Promotes what fits (see the queue walk below). `announceSoldOut` says whether buyers last saw
 * the offer with units left, so that taking the last unit is news worth `livedrop.offer.sold_out`.
 */
function promote(tx: Transaction, offer: OfferRecord, announceSoldOut: boolean): number {
  if (!PROMOTING.has(offer.value.status)) return 0;
  let promoted = 0;
  while (promoted < offer.queue.length) {
    const reservation = tx.get('reservations', offer.queue[promoted]!);
    const { stock } = offer.value;
    if (!reservation || reservation.value.quantity > stock.available) break;
    const { quantity } = reservation.value;
    setStock(offer, {
      available: stock.available - quantity,
      reserved: stock.reserved + quantity,
      backordered: stock.backordered - quantity,
    });
    promoted++;
    grantHold(tx, offer, reservation, 'livedrop.reservation.promoted');
  }
  if (promoted > 0) {
    offer.queue.splice(0, promoted);
    renumberQueue(tx, offer, 0);
    if (announceSoldOut && offer.value.soldOut) emitSoldOut(tx, offer);
  }
  return promoted;
}

function createReservation(
  tx: Transaction,
  offer: OfferRecord,
  request: HoldRequest,
  status: 'held' | 'backordered',
): ReservationRecord {
  const { sessionId, sellerId, price } = offer.value;
  const id = newId('reservation');
  const now = isoTime(tx.now);
  const value: Reservation = {
    id,
    object: 'reservation',
    offerId: offer.value.id,
    sessionId,
    buyerId: request.buyerId,
    quantity: request.quantity,
    status,
    unitPrice: { ...price },
    amount: { amount: price.amount * request.quantity, currency: price.currency },
    expiresAt: null,
    queuePosition: null,
    orderId: null,
    attribution: request.attribution,
    createdAt: now,
    updatedAt: now,
  };
  return {
    tenantId: offer.tenantId,
    value,
    clientSecret: `${id}_secret_${randomToken(24)}`,
    creatorId: offer.creatorId,
    sellerId,
  };
}

/** Makes a reservation whose units are already counted as reserved `held` for the offer's TTL. */
function grantHold(
  tx: Transaction,
  offer: OfferRecord,
  reservation: ReservationRecord,
  type: 'livedrop.reservation.held' | 'livedrop.reservation.promoted',
): void {
  const expiresAtMs = tx.now + offer.value.reservationTtlSeconds * 1000;
  const expiresAt = isoTime(expiresAtMs);
  const id = reservation.value.id;
  Object.assign(reservation.value, { status: 'held', expiresAt, queuePosition: null, updatedAt: isoTime(tx.now) });
  if (type === 'livedrop.reservation.held') {
    tx.addUnits(offer.value.id, reservation.value.buyerId, reservation.value.quantity);
    tx.put('reservations', id, reservation);
  }
  tx.schedule(expiresAtMs, {
    kind: 'hold_expiry',
    tenantId: reservation.tenantId,
    offerId: offer.value.id,
    reservationId: id,
    expiresAt,
  });
  emitReservation(tx, type, reservation);
}

function returnHeldUnits(tx: Transaction, offer: OfferRecord, reservation: ReservationRecord): void {
  const { stock } = offer.value;
  const { quantity, buyerId } = reservation.value;
  setStock(offer, { available: stock.available + quantity, reserved: stock.reserved - quantity });
  tx.addUnits(offer.value.id, buyerId, -quantity);
}

function leaveQueue(tx: Transaction, offer: OfferRecord, reservation: ReservationRecord): void {
  const { id, quantity, buyerId } = reservation.value;
  const index = offer.queue.indexOf(id);
  if (index >= 0) offer.queue.splice(index, 1);
  const { stock } = offer.value;
  setStock(offer, { backordered: stock.backordered - quantity });
  tx.addUnits(offer.value.id, buyerId, -quantity);
  renumberQueue(tx, offer, Math.max(0, index));
}

/** Keeps each waiting reservation's `queuePosition` equal to its 1-based place in the queue. */
function renumberQueue(tx: Transaction, offer: OfferRecord, from: number): void {
  for (let index = from; index < offer.queue.length; index++) {
    const reservation = tx.get('reservations', offer.queue[index]!);
    if (reservation) reservation.value.queuePosition = index + 1;
  }
}

function settle(
  tx: Transaction,
  reservation: ReservationRecord,
  status: ReservationStatus,
  expiresAt: string | null,
  orderId?: string,
): void {
  Object.assign(reservation.value, { status, expiresAt, queuePosition: null, updatedAt: isoTime(tx.now) });
  if (orderId !== undefined) reservation.value.orderId = orderId;
}

/** Applies a stock movement and re-derives `soldOut`. */
function setStock(offer: OfferRecord, movement: Partial<Stock>): void {
  Object.assign(offer.value.stock, movement);
  offer.value.soldOut = offer.value.stock.available === 0;
}

function emitSoldOut(tx: Transaction, offer: OfferRecord): void {
  tx.emit(offer.tenantId, 'livedrop.offer.sold_out', offer.value.id, { offer: offer.value });
}

function offerOf(tx: Transaction, reservation: ReservationRecord): OfferRecord {
  const offer = tx.get('offers', reservation.value.offerId);
  // Offers are never deleted, so a reservation without its offer is a bug, not a request to refuse.
  if (!offer)
    throw new Error(`Reservation ${reservation.value.id} points at a missing offer ${reservation.value.offerId}.`);
  return offer;
}

function emitReservation(
  tx: Transaction,
  type: EventType & `livedrop.reservation.${string}`,
  reservation: ReservationRecord,
): void {
  tx.emit(reservation.tenantId, type, reservation.value.id, {
    reservation: reservation.value,
    attribution: attributionOf(reservation),
  });
}
