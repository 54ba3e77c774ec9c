import { SPLIT_PARTIES, splitAmount, type Order, type SplitLeg, type SplitParty, type Transfer } from '@livedrop/core';
import { isoTime } from '../clock';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { Transaction } from '../storage/transaction';
import type { OfferRecord, ReservationRecord } from '../store';
import { assertCapturable, attributionOf, captureHold } from './ledger';
import { paginate } from './paginate';
import { refundHandlers } from './refunds';
import { sameSecret } from './client-secret';
import { countCapture } from './trust';

/** Basis points in 100 %: the seller's share is what the platform fee and the commission leave. */
const FULL_BPS = 10_000;

/**
 * The order a capture of `reservation` makes at `nowMs`, with its split and transfers, not yet stored:
 * gross is the unit price at hold time × quantity, split by the offer's rule with core's `splitAmount`
 * (largest remainder, exact), one pending transfer per leg that pays anything, available at
 * `availableAtMs`.
 * @throws ApiProblem `limit_exceeded` if the gross is not a safe integer (the ledger refuses such holds,
 *   so this guards the money path rather than answering a request a client can make)
 */
function planOrder(
  reservation: ReservationRecord,
  offer: OfferRecord,
  paymentReference: string,
  nowMs: number,
  availableAtMs: number,
): Order {
  const { unitPrice, quantity, attribution } = reservation.value;
  const { currency } = unitPrice;
  const gross = unitPrice.amount * quantity;
  if (!Number.isSafeInteger(gross)) {
    throw new ApiProblem(
      'limit_exceeded',
      `${quantity} × ${unitPrice.amount} ${currency} exceeds the largest amount LiveDrop can represent; release this reservation and reserve fewer units.`,
    );
  }
  const { platformFeeBps, creatorCommissionBps } = offer.value.split;
  const amounts = splitAmount(gross, { platformFeeBps, creatorCommissionBps });
  const bps: Record<SplitParty, number> = {
    platform: platformFeeBps,
    creator: creatorCommissionBps,
    seller: FULL_BPS - platformFeeBps - creatorCommissionBps,
  };
  const destinations: Record<SplitParty, string> = {
    platform: 'platform',
    creator: reservation.creatorId,
    seller: reservation.sellerId,
  };
  const split: SplitLeg[] = SPLIT_PARTIES.map((party) => ({
    party,
    destination: destinations[party],
    bps: bps[party],
    amount: { amount: amounts[party], currency },
  }));

  const id = newId('order');
  const now = isoTime(nowMs);
  const availableAt = isoTime(availableAtMs);
  const transfers = split
    .filter((leg) => leg.amount.amount > 0)
    .map(
      (leg): Transfer => ({
        id: newId('transfer'),
        object: 'transfer',
        orderId: id,
        transferGroup: id,
        party: leg.party,
        destination: leg.destination,
        amount: { ...leg.amount },
        amountReversed: { amount: 0, currency },
        status: 'pending',
        availableAt,
        paidAt: null,
        reversals: [],
        createdAt: now,
      }),
    );
  return {
    id,
    object: 'order',
    reservationId: reservation.value.id,
    offerId: reservation.value.offerId,
    sessionId: reservation.value.sessionId,
    creatorId: reservation.creatorId,
    sellerId: reservation.sellerId,
    buyerId: reservation.value.buyerId,
    quantity,
    gross: { amount: gross, currency },
    amountRefunded: { amount: 0, currency },
    status: 'paid',
    split,
    transfers,
    refunds: [],
    paymentReference,
    attribution: attribution ? { ...attribution } : null,
    capturedAt: now,
    settledAt: null,
    timeToSettlementMs: null,
    createdAt: now,
  };
}

/**
 * The working copy of reservation `id` if the caller's tenant owns it. Another tenant's reservation
 * is answered exactly like a missing one, so ids do not leak across tenants.
 */
/** The 404 of a confirm whose reservation does not exist for this key, or whose secret is wrong. */
function unknownToThisSecret(id: string): ApiProblem {
  return new ApiProblem(
    'not_found',
    `No reservation with id "${id}" exists for this key and clientSecret; send the clientSecret returned when the reservation was made.`,
  );
}

function reservationOf(tx: Transaction, id: string, tenantId: string): ReservationRecord | undefined {
  const reservation = tx.get('reservations', id);
  return reservation && reservation.tenantId === tenantId ? reservation : undefined;
}

/**
 * Turns a held reservation (a working copy) into an order, as a step of the capture or confirm
 * transaction. Everything that can refuse runs before anything changes; then the units move
 * reserved → sold, the order is stored, one `livedrop.order.created` event records it all (the
 * reservation becomes `captured` with the order's id), and the settlement job is scheduled for
 * `availableAt` — all committed together, or (if anything threw) not at all.
 */
function captureIntoOrder(
  tx: Transaction,
  reservation: ReservationRecord,
  paymentReference: string,
  settlementDelayMs: number,
): Order {
  assertCapturable(tx.now, reservation);
  const offer = tx.get('offers', reservation.value.offerId);
  // Offers are never deleted, so a reservation without its offer is a bug, not a request to refuse.
  if (!offer)
    throw new Error(`Reservation ${reservation.value.id} points at a missing offer ${reservation.value.offerId}.`);
  const availableAtMs = tx.now + settlementDelayMs;
  const order = planOrder(reservation, offer, paymentReference, tx.now, availableAtMs);
  captureHold(tx, reservation, order.id);
  const { tenantId } = reservation;
  tx.put('orders', order.id, { tenantId, value: order });
  tx.emit(tenantId, 'livedrop.order.created', order.id, { order, attribution: attributionOf(reservation) });
  countCapture(tx, tenantId, order);
  tx.schedule(availableAtMs, { kind: 'settlement', tenantId, orderId: order.id });
  return order;
}

/**
 * What a confirm transaction did: made the order, or recorded a declined test payment (the hold
 * stays). A decline is a result, not a throw, because throwing would undo the event that records it.
 */
type Confirmation =
  | { readonly order: Order }
  | { readonly declined: { readonly reservationId: string; readonly expiresAt: string | null } };

/**
 * Orders: capturing a hold (platform, payment taken elsewhere) or confirming it with a test payment
 * method (browser, with the client secret), reading orders, refunds (see `refunds.ts`) and the
 * transfers that pay each party. Capture happens at most once per reservation: a second attempt is
 * 409 `reservation_not_held`, and a retry with the same `Idempotency-Key` replays the first 201.
 */
export const orderHandlers = {
  async captureReservation({ engine, principal, params, body }) {
    const { settlementDelayMs } = engine.config;
    const order = await engine.transact((tx) => {
      const reservation = reservationOf(tx, params.id, principal.tenantId);
      if (!reservation) throw notFound('reservation', params.id);
      return captureIntoOrder(tx, reservation, body.paymentReference, settlementDelayMs);
    });
    return created(order);
  },

  async confirmReservation({ engine, principal, quotas, params, body }) {
    const { settlementDelayMs } = engine.config;
    // Declines are throttled per hold, once the caller proves it holds it: a stranger's guesses
    // neither spend the hold's declines nor learn that it is throttled.
    const known = engine.store.find(engine.store.reservations, params.id, principal.tenantId);
    if (!known || !sameSecret(body.clientSecret, known.clientSecret)) throw unknownToThisSecret(params.id);
    await engine.rateLimits.admitConfirm(quotas, principal, params.id);
    const confirmation = await engine.transact((tx): Confirmation => {
      const reservation = reservationOf(tx, params.id, principal.tenantId);
      // The secret is checked for every key: it is what proves the caller is this reservation's buyer.
      if (!reservation || !sameSecret(body.clientSecret, reservation.clientSecret))
        throw unknownToThisSecret(params.id);
      assertCapturable(tx.now, reservation);
      if (body.paymentMethod === 'pm_test_declined') {
        // A decline is news (fraud and conversion analytics count them), so it is recorded, but the hold stays.
        const reservationId = reservation.value.id;
        tx.emit(reservation.tenantId, 'livedrop.payment.declined', reservationId, {
          reservationId,
          paymentMethod: body.paymentMethod,
          attribution: attributionOf(reservation),
        });
        return { declined: { reservationId, expiresAt: reservation.value.expiresAt } };
      }
      return {
        order: captureIntoOrder(tx, reservation, `${body.paymentMethod}:${reservation.value.id}`, settlementDelayMs),
      };
    });
    if ('declined' in confirmation) {
      const { reservationId, expiresAt } = confirmation.declined;
      throw new ApiProblem(
        'payment_declined',
        `The payment method was declined (pm_test_declined). Reservation ${reservationId} stays held until ${expiresAt ?? 'its expiry'}; confirm again with another payment method, e.g. pm_test_ok.`,
      );
    }
    return created(confirmation.order);
  },

  getOrder({ engine, principal, params }) {
    const record = engine.store.find(engine.store.orders, params.id, principal.tenantId);
    if (!record) throw notFound('order', params.id);
    return ok(record.value);
  },

  ...refundHandlers,

  /**
   * Transfers in creation order (oldest first, so pages stay stable while new orders arrive),
   * filtered by `orderId` and `destination`. A creator key sees only transfers to its own creator.
   */
  listTransfers({ engine, principal, query }) {
    const records =
      query.orderId === undefined ? engine.store.orders.values() : [engine.store.orders.get(query.orderId)];
    const ownOnly = principal.role === 'creator' ? principal.creatorId : null;
    const transfers: Transfer[] = [];
    for (const record of records) {
      if (!record || record.tenantId !== principal.tenantId) continue;
      for (const transfer of record.value.transfers) {
        if (query.destination !== undefined && transfer.destination !== query.destination) continue;
        if (ownOnly !== null && transfer.destination !== ownOnly) continue;
        transfers.push(transfer);
      }
    }
    return ok(paginate(transfers, query));
  },
} satisfies Handlers;
