import * as z from 'zod/mini';
import { named } from './named';
import { Attribution, Bps, BuyerId, Timestamp, idOf } from './common';
import { Money } from './money';

/** Who a leg of a split pays. */
export const SplitPartyName = z.enum(['platform', 'creator', 'seller']);

/** One party's share of an order's gross. Legs sum exactly to the gross. */
export const SplitLeg = z.strictObject({
  party: SplitPartyName,
  /** `platform`, the creator's id or the seller's id. */
  destination: z.string(),
  bps: Bps,
  amount: Money,
});
/** A split leg; see {@link SplitLeg}. */
export type SplitLeg = z.infer<typeof SplitLeg>;

/** Money taken back from a transfer by a refund. */
export const TransferReversal = z.strictObject({
  id: idOf('transferReversal'),
  object: z.literal('transfer_reversal'),
  transferId: idOf('transfer'),
  refundId: idOf('refund'),
  amount: Money,
  createdAt: Timestamp,
});
/** A transfer reversal; see {@link TransferReversal}. */
export type TransferReversal = z.infer<typeof TransferReversal>;

/** A payout of one split leg, settled after a delay. */
export const Transfer = named(
  z.strictObject({
    id: idOf('transfer'),
    object: z.literal('transfer'),
    orderId: idOf('order'),
    /** Groups the transfers of one order; equals the order id. */
    transferGroup: idOf('order'),
    party: SplitPartyName,
    destination: z.string(),
    amount: Money,
    /** Total taken back by refunds so far. */
    amountReversed: Money,
    status: z.enum(['pending', 'paid', 'reversed']),
    /** When the transfer settles (`pending → paid`). */
    availableAt: Timestamp,
    paidAt: z.nullable(Timestamp),
    reversals: z.array(TransferReversal),
    createdAt: Timestamp,
  }),
  'Transfer',
);
/** A transfer; see {@link Transfer}. */
export type Transfer = z.infer<typeof Transfer>;

/**
 * Why money went back. `dispute` is a chargeback or a buyer's dispute of the order: a seller's
 * dispute rate counts the orders that have one (see `TrustSignals`).
 */
export const RefundReason = z.enum(['requested_by_customer', 'duplicate', 'fraudulent', 'item_unavailable', 'dispute']);
/** A refund reason; see {@link RefundReason}. */
export type RefundReason = z.infer<typeof RefundReason>;

/** Money returned to the buyer, with the transfer reversals that fund it. */
export const Refund = named(
  z.strictObject({
    id: idOf('refund'),
    object: z.literal('refund'),
    orderId: idOf('order'),
    amount: Money,
    /** The reason the platform gave, or null when it gave none. */
    reason: z.nullable(RefundReason),
    reversals: z.array(TransferReversal),
    createdAt: Timestamp,
  }),
  'Refund',
);
/** A refund; see {@link Refund}. */
export type Refund = z.infer<typeof Refund>;

/** Body of `POST /v1/orders/{id}/refunds`. Without `amount`, refunds everything not yet refunded. */
export const RefundCreate = z.strictObject({
  amount: z.optional(Money),
  reason: z.optional(RefundReason),
});
/** Body of `POST /v1/orders/{id}/refunds`; see {@link RefundCreate}. */
export type RefundCreate = z.infer<typeof RefundCreate>;

/** A captured reservation: the money, how it splits, and where it goes. */
export const Order = named(
  z.strictObject({
    id: idOf('order'),
    object: z.literal('order'),
    reservationId: idOf('reservation'),
    offerId: idOf('offer'),
    sessionId: idOf('session'),
    creatorId: idOf('creator'),
    sellerId: idOf('seller'),
    buyerId: BuyerId,
    quantity: z.int().check(z.minimum(1)),
    gross: Money,
    amountRefunded: Money,
    status: z.enum(['paid', 'partially_refunded', 'refunded']),
    split: z.array(SplitLeg),
    transfers: z.array(Transfer),
    refunds: z.array(Refund),
    paymentReference: z.string(),
    attribution: z.nullable(Attribution),
    capturedAt: Timestamp,
    /** When the last transfer was paid. */
    settledAt: z.nullable(Timestamp),
    /** Capture → last transfer paid, in milliseconds. */
    timeToSettlementMs: z.nullable(z.int().check(z.minimum(0))),
    createdAt: Timestamp,
  }),
  'Order',
);
/** An order; see {@link Order}. */
export type Order = z.infer<typeof Order>;
