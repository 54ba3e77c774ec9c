import type { Attribution, CommerceAttribution, EventType, OfferStatus, Reservation, ReservationStatus, Stock } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { newId, randomToken } from '../ids';
import { ApiProblem } from '../problem';
import type { OfferRecord, ReservationRecord } from '../store';

/*
 * The reservation ledger: the only code that moves units between `available`, `reserved` and `sold`.
 *
 * Every exported function is synchronous and checks everything before it changes anything, so a
 * refusal changes nothing and no other request can run between a check and the change it guards:
 * `available + reserved + sold == total` holds at every instant another request can observe.
 *
 * Like the rest of the server it changes stored objects in place (handlers may hold a reference to
 * `offer.value` across a ledger call) and gives every event a snapshot, because the log keeps the
 * object it was handed and the hash chain covers that object as it was.
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
export function tryHold(engine: Engine, offer: OfferRecord, request: HoldRequest): ReservationRecord {
  const { id, status, stock, perBuyerLimit, backorder, price } = offer.value;
  const { buyerId, quantity } = request;
  if (status !== 'live') throw new ApiProblem('offer_not_live', `Offer ${id} is ${status}; reservations are accepted only while it is live.`);
  if (quantity > request.quantityMax) {
    throw new ApiProblem('limit_exceeded', `quantity ${quantity} is above the token's quantityMax of ${request.quantityMax}; reserve ${request.quantityMax} or fewer, or issue a token with a higher quantityMax.`, {
      errors: [{ path: 'quantity', code: 'too_big', message: `quantity must be at most the token's quantityMax (${request.quantityMax}).` }],
    });
  }
  const owned = offer.unitsByBuyer.get(buyerId) ?? 0;
  if (perBuyerLimit !== null && owned + quantity > perBuyerLimit) {
    throw new ApiProblem('limit_exceeded', `Buyer ${buyerId} already holds, bought or awaits ${owned} of at most ${perBuyerLimit} units per buyer; reserve ${Math.max(0, perBuyerLimit - owned)} or fewer.`, {
      errors: [{ path: 'quantity', code: 'too_big', message: `quantity must be at most ${Math.max(0, perBuyerLimit - owned)} for this buyer (perBuyerLimit ${perBuyerLimit}).` }],
    });
  }
  if (!Number.isSafeInteger(price.amount * quantity)) throw new ApiProblem('limit_exceeded', `quantity ${quantity} at this price exceeds the largest amount LiveDrop can represent; reserve fewer units.`);

  if (stock.available >= quantity) {
    const reservation = createReservation(engine, offer, request, 'held');
    setStock(offer, { available: stock.available - quantity, reserved: stock.reserved + quantity });
    grantHold(engine, offer, reservation, 'livedrop.reservation.held');
    if (offer.value.soldOut) emitSoldOut(engine, offer);
    return reservation;
  }
  const queueRoom = backorder?.allowed ? backorder.limit - stock.backordered : 0;
  if (backorder?.allowed && request.backorderConsent && quantity <= queueRoom) {
    const reservation = createReservation(engine, offer, request, 'backordered');
    offer.queue.push(reservation.value.id);
    reservation.value.queuePosition = offer.queue.length;
    setStock(offer, { backordered: stock.backordered + quantity });
    addUnits(offer, buyerId, quantity);
    engine.store.reservations.set(reservation.value.id, reservation);
    emitReservation(engine, 'livedrop.reservation.backordered', reservation);
    return reservation;
  }
  throw new ApiProblem('sold_out', soldOutDetail(offer, request, queueRoom));
}

function soldOutDetail(offer: OfferRecord, request: HoldRequest, queueRoom: number): string {
  const { id, stock, backorder } = offer.value;
  const head = `Offer ${id} has ${stock.available} of the ${request.quantity} units asked for.`;
  if (!backorder?.allowed) return `${head} It takes no backorders; try fewer units or another offer.`;
  if (request.quantity > queueRoom) return `${head} Its backorder queue has room for ${queueRoom} more units; try fewer units.`;
  return `${head} Send backorderConsent: true to wait in the backorder queue; you would be position ${offer.queue.length + 1}.`;
}

/**
 * Gives a reservation's units back, exactly once: a `held` one returns its units to `available`, a
 * `backordered` one leaves the queue (positions behind it move up). Emits
 * `livedrop.reservation.released`, then promotes backorders that now fit.
 * @throws ApiProblem `reservation_not_held` for any other status, having changed nothing
 */
export function release(engine: Engine, reservation: ReservationRecord): void {
  const { id, status } = reservation.value;
  if (status !== 'held' && status !== 'backordered') {
    throw new ApiProblem('reservation_not_held', `Reservation ${id} is ${status}; only a held or backordered reservation can be released, and only once.`);
  }
  const offer = offerOf(engine, reservation);
  const wasSoldOut = offer.value.soldOut;
  if (status === 'held') returnHeldUnits(offer, reservation);
  else leaveQueue(engine, offer, reservation);
  settle(engine, reservation, 'released', null);
  emitReservation(engine, 'livedrop.reservation.released', reservation);
  promote(engine, offer, !wasSoldOut);
}

/**
 * Moves a held reservation's units from `reserved` to `sold` and marks it `captured`: the seam for
 * capture and confirm, which build the order and emit its events themselves.
 * @throws ApiProblem `reservation_expired` or `reservation_not_held`, having changed nothing
 */
export function captureHold(engine: Engine, reservation: ReservationRecord, orderId: string): void {
  assertCapturable(engine, reservation);
  const { quantity } = reservation.value;
  const offer = offerOf(engine, reservation);
  const { stock } = offer.value;
  setStock(offer, { reserved: stock.reserved - quantity, sold: stock.sold + quantity });
  settle(engine, reservation, 'captured', null, orderId);
}

/**
 * Refuses, changing nothing, a reservation that cannot be paid for: already captured (naming its
 * order), lapsed (`reservation_expired`, also when the expiry job has not run yet), or not held.
 */
export function assertCapturable(engine: Engine, reservation: ReservationRecord): void {
  const { id, status, orderId, expiresAt } = reservation.value;
  if (status === 'captured') {
    throw new ApiProblem('reservation_not_held', `Reservation ${id} was already paid for: it is order ${orderId ?? ''}. A hold is captured once; read the order with GET /v1/orders/${orderId ?? ''}.`);
  }
  const lapsed = status === 'expired' || (status === 'held' && expiresAt !== null && Date.parse(expiresAt) <= engine.clock.now());
  if (lapsed) throw new ApiProblem('reservation_expired', `Reservation ${id} expired and its units went back on sale; reserve again with a new offer token.`);
  if (status !== 'held') {
    const hint = status === 'backordered' ? ' It is waiting in the backorder queue; pay for it once it is promoted to held.' : ' Reserve again with a new offer token.';
    throw new ApiProblem('reservation_not_held', `Reservation ${id} is ${status}; only a held reservation can be paid for.${hint}`);
  }
}

/**
 * Sets an offer's total stock (PATCH `quantity`): `available` becomes what is neither reserved nor
 * sold, and units added are promoted to the backorder queue in order (`livedrop.reservation.promoted`
 * each). It emits neither `livedrop.offer.updated` nor `livedrop.offer.sold_out`: the caller's
 * `offer.updated` carries the new stock.
 * @throws ApiProblem `quantity_below_committed` when `total` is below `reserved + sold`, having changed nothing
 */
export function setStockTotal(engine: Engine, offer: OfferRecord, total: number): void {
  const { stock } = offer.value;
  const committed = stock.reserved + stock.sold;
  if (total < committed) {
    throw new ApiProblem('quantity_below_committed', `quantity ${total} is below the ${committed} units already held or sold; send at least ${committed}, or wait for holds to lapse.`, {
      errors: [{ path: 'quantity', code: 'too_small', message: `quantity must be at least ${committed} (reserved ${stock.reserved} + sold ${stock.sold}).` }],
    });
  }
  setStock(offer, { total, available: total - committed });
  promote(engine, offer, false);
}

/**
 * Promotes backorders that fit in the available units, strictly in queue order: while the head of
 * the queue asks for no more than is available it becomes `held` with a fresh TTL
 * (`livedrop.reservation.promoted`); the first that does not fit stops the walk. Does nothing once
 * the offer has ended. The ledger calls it whenever units return; call it after any other change
 * that frees units.
 * @returns how many reservations were promoted
 */
export function promoteBackorders(engine: Engine, offer: OfferRecord): number {
  return promote(engine, offer, false);
}

/**
 * Releases every backordered reservation of an offer (`livedrop.reservation.released` each), for
 * when the offer ends and the queue can never be served. Held reservations keep their TTL.
 * @returns how many were released
 */
export function releaseBackorders(engine: Engine, offer: OfferRecord): number {
  const queued = offer.queue.splice(0);
  for (const id of queued) {
    const reservation = engine.store.reservations.get(id);
    if (!reservation || reservation.value.status !== 'backordered') continue;
    const { stock } = offer.value;
    setStock(offer, { backordered: stock.backordered - reservation.value.quantity });
    removeUnits(offer, reservation.value.buyerId, reservation.value.quantity);
    settle(engine, reservation, 'released', null);
    emitReservation(engine, 'livedrop.reservation.released', reservation);
  }
  return queued.length;
}

/** Commerce attribution of a reservation's events: creator, session, offer and campaign. */
export function attributionOf(reservation: ReservationRecord): CommerceAttribution {
  const { sessionId, offerId, attribution } = reservation.value;
  return { creatorId: reservation.creatorId, sessionId, offerId, campaign: attribution?.campaign ?? null };
}

/** Expires a hold when its timer fires, unless it was released, captured or re-held since. */
function expire(engine: Engine, reservationId: string, expiresAt: string): void {
  const reservation = engine.store.reservations.get(reservationId);
  if (!reservation || reservation.value.status !== 'held' || reservation.value.expiresAt !== expiresAt) return;
  const offer = offerOf(engine, reservation);
  const wasSoldOut = offer.value.soldOut;
  returnHeldUnits(offer, reservation);
  settle(engine, reservation, 'expired', expiresAt);
  emitReservation(engine, 'livedrop.reservation.expired', reservation);
  promote(engine, offer, !wasSoldOut);
}

/**
 * Promotes what fits (see {@link promoteBackorders}). `announceSoldOut` says whether buyers last saw
 * the offer with units left, so that taking the last unit is news worth `livedrop.offer.sold_out`.
 */
function promote(engine: Engine, offer: OfferRecord, announceSoldOut: boolean): number {
  if (!PROMOTING.has(offer.value.status)) return 0;
  let promoted = 0;
  while (promoted < offer.queue.length) {
    const reservation = engine.store.reservations.get(offer.queue[promoted]!);
    const { stock } = offer.value;
    if (!reservation || reservation.value.quantity > stock.available) break;
    const { quantity } = reservation.value;
    setStock(offer, { available: stock.available - quantity, reserved: stock.reserved + quantity, backordered: stock.backordered - quantity });
    promoted++;
    grantHold(engine, offer, reservation, 'livedrop.reservation.promoted');
  }
  if (promoted > 0) {
    offer.queue.splice(0, promoted);
    renumberQueue(engine, offer, 0);
    if (announceSoldOut && offer.value.soldOut) emitSoldOut(engine, offer);
  }
  return promoted;
}

function createReservation(engine: Engine, offer: OfferRecord, request: HoldRequest, status: 'held' | 'backordered'): ReservationRecord {
  const { sessionId, sellerId, price } = offer.value;
  const id = newId('reservation');
  const now = engine.nowIso();
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
  return { tenantId: offer.tenantId, value, clientSecret: `${id}_secret_${randomToken(24)}`, creatorId: offer.creatorId, sellerId };
}

/** Makes a reservation whose units are already counted as reserved `held` for the offer's TTL. */
function grantHold(engine: Engine, offer: OfferRecord, reservation: ReservationRecord, type: 'livedrop.reservation.held' | 'livedrop.reservation.promoted'): void {
  const expiresAtMs = engine.clock.now() + offer.value.reservationTtlSeconds * 1000;
  const expiresAt = isoTime(expiresAtMs);
  const id = reservation.value.id;
  Object.assign(reservation.value, { status: 'held', expiresAt, queuePosition: null, updatedAt: engine.nowIso() });
  if (type === 'livedrop.reservation.held') {
    addUnits(offer, reservation.value.buyerId, reservation.value.quantity);
    engine.store.reservations.set(id, reservation);
  }
  engine.timers.schedule(expiresAtMs, () => expire(engine, id, expiresAt));
  emitReservation(engine, type, reservation);
}

function returnHeldUnits(offer: OfferRecord, reservation: ReservationRecord): void {
  const { stock } = offer.value;
  const { quantity, buyerId } = reservation.value;
  setStock(offer, { available: stock.available + quantity, reserved: stock.reserved - quantity });
  removeUnits(offer, buyerId, quantity);
}

function leaveQueue(engine: Engine, offer: OfferRecord, reservation: ReservationRecord): void {
  const { id, quantity, buyerId } = reservation.value;
  const index = offer.queue.indexOf(id);
  if (index >= 0) offer.queue.splice(index, 1);
  const { stock } = offer.value;
  setStock(offer, { backordered: stock.backordered - quantity });
  removeUnits(offer, buyerId, quantity);
  renumberQueue(engine, offer, Math.max(0, index));
}

/** Keeps each waiting reservation's `queuePosition` equal to its 1-based place in the queue. */
function renumberQueue(engine: Engine, offer: OfferRecord, from: number): void {
  for (let index = from; index < offer.queue.length; index++) {
    const reservation = engine.store.reservations.get(offer.queue[index]!);
    if (reservation) reservation.value.queuePosition = index + 1;
  }
}

function settle(engine: Engine, reservation: ReservationRecord, status: ReservationStatus, expiresAt: string | null, orderId?: string): void {
  Object.assign(reservation.value, { status, expiresAt, queuePosition: null, updatedAt: engine.nowIso() });
  if (orderId !== undefined) reservation.value.orderId = orderId;
}

/** Applies a stock movement and re-derives `soldOut`. */
function setStock(offer: OfferRecord, movement: Partial<Stock>): void {
  Object.assign(offer.value.stock, movement);
  offer.value.soldOut = offer.value.stock.available === 0;
}

function emitSoldOut(engine: Engine, offer: OfferRecord): void {
  engine.emit(offer.tenantId, 'livedrop.offer.sold_out', offer.value.id, { offer: offer.value });
}

/** Units a buyer holds, bought or waits for all count toward `perBuyerLimit`. */
function addUnits(offer: OfferRecord, buyerId: string, quantity: number): void {
  offer.unitsByBuyer.set(buyerId, (offer.unitsByBuyer.get(buyerId) ?? 0) + quantity);
}

function removeUnits(offer: OfferRecord, buyerId: string, quantity: number): void {
  const left = (offer.unitsByBuyer.get(buyerId) ?? 0) - quantity;
  if (left > 0) offer.unitsByBuyer.set(buyerId, left);
  else offer.unitsByBuyer.delete(buyerId);
}

function offerOf(engine: Engine, reservation: ReservationRecord): OfferRecord {
  const offer = engine.store.offers.get(reservation.value.offerId);
  // Offers are never deleted, so a reservation without its offer is a bug, not a request to refuse.
  if (!offer) throw new Error(`Reservation ${reservation.value.id} points at a missing offer ${reservation.value.offerId}.`);
  return offer;
}

function emitReservation(engine: Engine, type: EventType & `livedrop.reservation.${string}`, reservation: ReservationRecord): void {
  engine.emit(reservation.tenantId, type, reservation.value.id, { reservation: reservation.value, attribution: attributionOf(reservation) });
}
