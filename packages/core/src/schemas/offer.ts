import * as z from 'zod/mini';
import { named } from './named';
import { Bps, Count, Timestamp, idOf } from './common';
import { Money, Price } from './money';

/**
 * Where an offer is in its life: `draft → live ⇄ paused → ended`. Moderation may hold a new
 * offer in `pending_review` until a moderator approves it (→ `draft`) or rejects it (→ `rejected`).
 * Selling out is derived (see `Offer.soldOut`), not a status.
 */
export const OfferStatus = z.enum(['pending_review', 'rejected', 'draft', 'live', 'paused', 'ended']);
/** An offer's lifecycle state; see {@link OfferStatus}. */
export type OfferStatus = z.infer<typeof OfferStatus>;

/** Live stock of an offer. At every instant `available + reserved + sold == total`. */
export const Stock = z.strictObject({
  total: Count,
  available: Count,
  reserved: Count,
  sold: Count,
  /** Units waiting in the backorder queue (not part of `total`). */
  backordered: Count,
});
/** Live stock; see {@link Stock}. */
export type Stock = z.infer<typeof Stock>;

/** Whether buyers may queue for units once the offer sells out; needs the seller's recorded consent. */
export const BackorderPolicy = z.strictObject({
  allowed: z.boolean(),
  /** Most units that may wait in the queue. */
  limit: z.int().check(z.minimum(1), z.maximum(100_000)),
  /** When the seller consented to taking backorders. */
  sellerConsentAt: Timestamp,
});
/** A backorder policy; see {@link BackorderPolicy}. */
export type BackorderPolicy = z.infer<typeof BackorderPolicy>;

/**
 * How an offer's gross is split; only a platform key may send it (a creator key is refused with
 * 403 `forbidden`). Without it the platform fee is the platform's configured fee and the creator's
 * share the entitlement's commission. Bounds: each 0..10000 bps, and together at most 10000 bps
 * (the seller gets the rest). `creatorCommissionBps` defaults to the entitlement's commission on
 * create, and to the offer's current one on PATCH.
 */
export const SplitRule = z.strictObject({
  platformFeeBps: Bps,
  creatorCommissionBps: z.optional(Bps),
});
/** A split rule as sent by a platform; see {@link SplitRule}. */
export type SplitRule = z.infer<typeof SplitRule>;

/** The moderation outcome of an offer. */
export const Moderation = z.strictObject({
  decision: z.enum(['approved', 'rejected', 'escalated']),
  note: z.nullable(z.string()),
  reviewedAt: z.nullable(Timestamp),
});
/** A moderation outcome; see {@link Moderation}. */
export type Moderation = z.infer<typeof Moderation>;

/**
 * An offer as a viewer sees it: the publishable hydrate, the public stream and the widget carry
 * exactly these fields. The allowlist of what a publishable key may learn about an offer; the
 * platform's terms (`priceFloor`, `split`) and moderation stay in {@link Offer}.
 */
export const PublicOffer = named(
  z.strictObject({
    id: idOf('offer'),
    object: z.literal('offer'),
    sessionId: idOf('session'),
    sellerId: idOf('seller'),
    sku: z.string(),
    title: z.string(),
    price: Money,
    compareAtPrice: z.nullable(Money),
    status: OfferStatus,
    /** True while live stock has nothing available (derived, never set directly). */
    soldOut: z.boolean(),
    stock: Stock,
    perBuyerLimit: z.nullable(z.int().check(z.minimum(1))),
    reservationTtlSeconds: z.int().check(z.minimum(10), z.maximum(3600)),
    backorder: z.nullable(BackorderPolicy),
    /** Incremented on every change; send it as `If-Match` to PATCH. */
    version: z.int().check(z.minimum(1)),
    publishedAt: z.nullable(Timestamp),
    /**
     * When the offer ends by itself (a flash offer): at that moment it becomes `ended`, as if
     * `POST /v1/offers/{id}/end` were called; holds made before keep their TTL. Null: it runs until ended.
     */
    endsAt: z.nullable(Timestamp),
    endedAt: z.nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  'PublicOffer',
);
/** An offer as a viewer sees it; see {@link PublicOffer}. */
export type PublicOffer = z.infer<typeof PublicOffer>;

/**
 * A product offered during a live session, with its live stock: the {@link PublicOffer} fields and
 * the ones only the platform's, creator's and moderator's keys see.
 */
export const Offer = named(
  z.extend(PublicOffer, {
    /** The lowest price the offer may have (the seller's terms). */
    priceFloor: z.nullable(Money),
    split: z.strictObject({ platformFeeBps: Bps, creatorCommissionBps: Bps }),
    moderation: Moderation,
  }),
  'Offer',
);
/** An offer; see {@link Offer}. */
export type Offer = z.infer<typeof Offer>;

/** Body of `POST /v1/sessions/{id}/offers`. */
export const OfferCreate = z.strictObject({
  sellerId: idOf('seller'),
  sku: z.string().check(z.minLength(1), z.maxLength(64)),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  price: Price,
  compareAtPrice: z.optional(Price),
  /**
   * The lowest price the offer may have. Platform key only; a creator key's offers take the
   * entitlement's floor. @default the entitlement's `priceFloor`, if any
   */
  priceFloor: z.optional(Price),
  /** Units in stock. */
  quantity: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  perBuyerLimit: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  /** How long a hold lasts. @default 600 */
  reservationTtlSeconds: z.optional(z.int().check(z.minimum(10), z.maximum(3600))),
  backorder: z.optional(BackorderPolicy),
  split: z.optional(SplitRule),
  /** When the offer ends by itself; must be in the future. @default never (it runs until ended) */
  endsAt: z.optional(Timestamp),
});
/** Body of `POST /v1/sessions/{id}/offers`; see {@link OfferCreate}. */
export type OfferCreate = z.infer<typeof OfferCreate>;

/** Body of `PATCH /v1/offers/{id}` (send `If-Match: <version>`). `quantity` sets total stock. */
export const OfferPatch = z.strictObject({
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  price: z.optional(Price),
  compareAtPrice: z.optional(z.nullable(Price)),
  quantity: z.optional(z.int().check(z.minimum(0), z.maximum(1_000_000))),
  perBuyerLimit: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(1000)))),
  /** Moves the end of the offer (in the future), or `null` to let it run until ended. */
  endsAt: z.optional(z.nullable(Timestamp)),
  /** A new split for orders captured from now on. Platform key only; see {@link SplitRule}. */
  split: z.optional(SplitRule),
  /** A new price floor, or `null` for none. Platform key only; the price must stay at or above it. */
  priceFloor: z.optional(z.nullable(Price)),
});
/** Body of `PATCH /v1/offers/{id}`; see {@link OfferPatch}. */
export type OfferPatch = z.infer<typeof OfferPatch>;

/** Body of `POST /v1/offers/{id}/review` (moderator key). */
export const OfferReview = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.optional(z.string().check(z.maxLength(1000))),
});
/** Body of `POST /v1/offers/{id}/review`; see {@link OfferReview}. */
export type OfferReview = z.infer<typeof OfferReview>;
