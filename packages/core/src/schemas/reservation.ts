import * as z from 'zod/mini';
import { MAX_OFFER_TOKEN_LENGTH } from '../tokens/compact-token';
import { named } from './named';
import { Attribution, BuyerId, Timestamp, idOf } from './common';
import { Money } from './money';

/**
 * A reservation's state. `held` counts against stock until it is `captured`, `released` or
 * `expired`; `backordered` waits in the queue and is promoted to `held` when units return.
 */
export const ReservationStatus = z.enum(['held', 'backordered', 'captured', 'released', 'expired']);
/** A reservation's state; see {@link ReservationStatus}. */
export type ReservationStatus = z.infer<typeof ReservationStatus>;

/** A buyer's hold on units of an offer. */
export const Reservation = named(
  z.strictObject({
    id: idOf('reservation'),
    object: z.literal('reservation'),
    offerId: idOf('offer'),
    sessionId: idOf('session'),
    buyerId: BuyerId,
    quantity: z.int().check(z.minimum(1)),
    status: ReservationStatus,
    unitPrice: Money,
    amount: Money,
    /** When a `held` reservation lapses; null while backordered or once settled. */
    expiresAt: z.nullable(Timestamp),
    /** 1-based position in the backorder queue while `backordered`. */
    queuePosition: z.nullable(z.int().check(z.minimum(1))),
    /** Lets a browser with a publishable key read and confirm this reservation. Shown only to its holder. */
    clientSecret: z.optional(z.string()),
    orderId: z.nullable(idOf('order')),
    attribution: z.nullable(Attribution),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  'Reservation',
);
/** A reservation; see {@link Reservation}. */
export type Reservation = z.infer<typeof Reservation>;

/** Body of `POST /v1/reservations`. */
export const ReservationCreate = z.strictObject({
  /**
   * The offer token, at most {@link MAX_OFFER_TOKEN_LENGTH} characters. Any other string that is not a
   * valid token is refused with 401 `token_invalid`.
   */
  offerToken: z.string().check(z.maxLength(MAX_OFFER_TOKEN_LENGTH)),
  quantity: z.int().check(z.minimum(1), z.maximum(1000)),
  /** The buyer agrees to wait in the backorder queue if the offer is sold out. */
  backorderConsent: z.optional(z.boolean()),
});
/** Body of `POST /v1/reservations`; see {@link ReservationCreate}. */
export type ReservationCreate = z.infer<typeof ReservationCreate>;

/** Body of `POST /v1/reservations/{id}/capture` (platform key): the platform took payment itself. */
export const ReservationCapture = z.strictObject({
  paymentReference: z.string().check(z.minLength(1), z.maxLength(200)),
});
/** Body of `POST /v1/reservations/{id}/capture`; see {@link ReservationCapture}. */
export type ReservationCapture = z.infer<typeof ReservationCapture>;

/** Simulated payment methods of the reference server. */
export const TestPaymentMethod = z.enum(['pm_test_ok', 'pm_test_declined']);
/** A simulated payment method; see {@link TestPaymentMethod}. */
export type TestPaymentMethod = z.infer<typeof TestPaymentMethod>;

/** Body of `POST /v1/reservations/{id}/confirm` (publishable key + client secret). */
export const ReservationConfirm = z.strictObject({
  clientSecret: z.string().check(z.minLength(1), z.maxLength(200)),
  paymentMethod: TestPaymentMethod,
});
/** Body of `POST /v1/reservations/{id}/confirm`; see {@link ReservationConfirm}. */
export type ReservationConfirm = z.infer<typeof ReservationConfirm>;
