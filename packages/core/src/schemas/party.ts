import * as z from 'zod/mini';
import { named } from './named';
import { Bps, Count, Timestamp, idOf } from './common';
import { Money, Price } from './money';

/**
 * The window trust figures are counted over: ISO 8601 duration of the trailing period, in whole UTC
 * days ending with the current day (today and the 89 days before it).
 */
export const TRUST_WINDOW = 'P90D';
/** Days in {@link TRUST_WINDOW}. */
export const TRUST_WINDOW_DAYS = 90;

/**
 * The history a platform supplied when it created the seller (`POST /v1/sellers` `trust`): a fixed
 * starting point added to what LiveDrop counts, never aged out by the window.
 */
export const SellerTrustBaseline = z.strictObject({
  completedOrders: Count,
  /** `disputeRate × completedOrders` as sent, rounded to the nearest whole order. */
  disputedOrders: Count,
});
/** A seller's baseline; see {@link SellerTrustBaseline}. */
export type SellerTrustBaseline = z.infer<typeof SellerTrustBaseline>;

/** What LiveDrop counted from its own ledger: the seller's orders captured within the window. */
export const SellerTrustDerived = z.strictObject({
  /** Orders captured in the window. */
  capturedOrders: Count,
  /** Of those, orders refunded in full (for any reason). */
  refundedOrders: Count,
  /** Of those, orders with at least one refund whose reason is `dispute` (a chargeback or buyer dispute). */
  disputedOrders: Count,
});
/** Derived counts; see {@link SellerTrustDerived}. */
export type SellerTrustDerived = z.infer<typeof SellerTrustDerived>;

/** How a seller's trust figures were computed. */
export const SellerTrustBasis = z.strictObject({
  window: z.literal(TRUST_WINDOW),
  /** Start of the window (00:00 UTC of its first day) when the figures were computed. */
  since: Timestamp,
  /**
   * When the figures last changed: an order in the window was captured or refunded, or aged out.
   * They stay exact until the next such change, which recomputes them.
   */
  computedAt: Timestamp,
  baseline: SellerTrustBaseline,
  derived: SellerTrustDerived,
});
/** A seller's trust basis; see {@link SellerTrustBasis}. */
export type SellerTrustBasis = z.infer<typeof SellerTrustBasis>;

/**
 * Signals a buyer weighs before paying a seller they may not know. `verified` is the platform's
 * word; the figures are derived from the ledger over {@link TRUST_WINDOW}, on top of the
 * platform-supplied baseline, and `basis` shows how:
 * - `completedOrders` = `baseline.completedOrders + derived.capturedOrders − derived.refundedOrders`;
 * - `disputeRateBps` = `(baseline.disputedOrders + derived.disputedOrders) / (baseline.completedOrders + derived.capturedOrders)`
 *   in basis points, rounded half up to a whole basis point (0 when there are no orders);
 * - `disputeRate` = `disputeRateBps / 10000` (at most four decimals).
 */
export const TrustSignals = z.strictObject({
  verified: z.boolean(),
  completedOrders: Count,
  /** Share of orders disputed, 0..1: exactly `disputeRateBps / 10000`. */
  disputeRate: z.number().check(z.minimum(0), z.maximum(1)),
  /** Share of orders disputed, in basis points (100 bps = 1 %). */
  disputeRateBps: Bps,
  basis: SellerTrustBasis,
});
/** A seller's trust signals; see {@link TrustSignals}. */
export type TrustSignals = z.infer<typeof TrustSignals>;

/** The seller history a platform may supply at creation: the baseline of its {@link TrustSignals}. */
export const SellerTrustCreate = z.strictObject({
  verified: z.optional(z.boolean()),
  /** Orders the seller completed before LiveDrop (or elsewhere). @default 0 */
  completedOrders: z.optional(Count),
  /** Share of those orders disputed, 0..1; kept as a whole number of disputed orders. @default 0 */
  disputeRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
});
/** Body `trust` of `POST /v1/sellers`; see {@link SellerTrustCreate}. */
export type SellerTrustCreate = z.infer<typeof SellerTrustCreate>;

/** What LiveDrop counted for a creator: their sessions that ended within the window. */
export const CreatorTrustDerived = z.strictObject({
  /** Sessions ended in the window. */
  sessionsRun: Count,
  /** Units of those sessions' published offers (their stock totals). */
  unitsOffered: Count,
  /** Of those, units sold (captured), including holds captured after the session ended. */
  unitsSold: Count,
});
/** A creator's derived counts; see {@link CreatorTrustDerived}. */
export type CreatorTrustDerived = z.infer<typeof CreatorTrustDerived>;

/** How a creator's trust figures were computed; see {@link SellerTrustBasis} for the window. */
export const CreatorTrustBasis = z.strictObject({
  window: z.literal(TRUST_WINDOW),
  since: Timestamp,
  computedAt: Timestamp,
  derived: CreatorTrustDerived,
});
/** A creator's trust basis; see {@link CreatorTrustBasis}. */
export type CreatorTrustBasis = z.infer<typeof CreatorTrustBasis>;

/**
 * A creator's track record over {@link TRUST_WINDOW}, derived from their ended sessions:
 * - `sessionsRun` = `derived.sessionsRun`;
 * - `sellThroughBps` = `derived.unitsSold / derived.unitsOffered` in basis points, rounded half up
 *   (0 when nothing was offered).
 */
export const CreatorTrust = z.strictObject({
  sessionsRun: Count,
  /** Share of offered units sold, in basis points (100 bps = 1 %). */
  sellThroughBps: Bps,
  basis: CreatorTrustBasis,
});
/** A creator's trust signals; see {@link CreatorTrust}. */
export type CreatorTrust = z.infer<typeof CreatorTrust>;

/** A merchant whose products creators sell. */
export const Seller = named(
  z.strictObject({
    id: idOf('seller'),
    object: z.literal('seller'),
    name: z.string(),
    trust: TrustSignals,
    createdAt: Timestamp,
  }),
  'Seller',
);
/** A seller; see {@link Seller}. */
export type Seller = z.infer<typeof Seller>;

/** Body of `POST /v1/sellers`. */
export const SellerCreate = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  trust: z.optional(SellerTrustCreate),
});
/** Body of `POST /v1/sellers`; see {@link SellerCreate}. */
export type SellerCreate = z.infer<typeof SellerCreate>;

/** A creator who hosts live sessions. */
export const Creator = named(
  z.strictObject({
    id: idOf('creator'),
    object: z.literal('creator'),
    handle: z.string(),
    displayName: z.string(),
    /** The verified badge shown next to the creator's name (the platform's word). */
    verified: z.boolean(),
    trust: CreatorTrust,
    createdAt: Timestamp,
  }),
  'Creator',
);
/** A creator; see {@link Creator}. */
export type Creator = z.infer<typeof Creator>;

/** Body of `POST /v1/creators`. */
export const CreatorCreate = z.strictObject({
  handle: z
    .string()
    .check(z.minLength(1), z.maxLength(60), z.regex(/^[a-z0-9_.]+$/, 'must be lowercase letters, digits, _ or .')),
  displayName: z.string().check(z.minLength(1), z.maxLength(120)),
  verified: z.optional(z.boolean()),
});
/** Body of `POST /v1/creators`; see {@link CreatorCreate}. */
export type CreatorCreate = z.infer<typeof CreatorCreate>;

/** Rights a seller grants a creator over its product content. */
export const ContentRight = z.enum(['live_stream', 'replay', 'clips', 'paid_ads']);
/** A content right; see {@link ContentRight}. */
export type ContentRight = z.infer<typeof ContentRight>;

/** A seller's permission for a creator to sell its products, with the creator's commission. */
export const Entitlement = named(
  z.strictObject({
    id: idOf('entitlement'),
    object: z.literal('entitlement'),
    creatorId: idOf('creator'),
    sellerId: idOf('seller'),
    commissionBps: Bps,
    contentRights: z.array(ContentRight),
    /** The seller's lowest price for the creator's offers; a creator key cannot set or lower an offer's floor. */
    priceFloor: z.nullable(Money),
    expiresAt: z.nullable(Timestamp),
    createdAt: Timestamp,
  }),
  'Entitlement',
);
/** An entitlement; see {@link Entitlement}. */
export type Entitlement = z.infer<typeof Entitlement>;

/** Body of `POST /v1/creators/{id}/entitlements`. */
export const EntitlementCreate = z.strictObject({
  sellerId: idOf('seller'),
  commissionBps: Bps,
  contentRights: z.array(ContentRight).check(z.minLength(1), z.maxLength(4)),
  /** The floor of every offer of the creator for this seller (unless the platform sets its own). @default none */
  priceFloor: z.optional(Price),
  expiresAt: z.optional(Timestamp),
});
/** Body of `POST /v1/creators/{id}/entitlements`; see {@link EntitlementCreate}. */
export type EntitlementCreate = z.infer<typeof EntitlementCreate>;
