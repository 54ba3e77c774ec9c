import * as z from 'zod/mini';
import { named } from './named';
import { Bps, Count, Timestamp, idOf } from './common';
import { Money } from './money';

/** Signals a buyer weighs before paying a seller they may not know. */
export const TrustSignals = z.strictObject({
  verified: z.boolean(),
  completedOrders: Count,
  /** Share of completed orders disputed, 0..1. */
  disputeRate: z.number().check(z.minimum(0), z.maximum(1)),
});
/** A seller's trust signals; see {@link TrustSignals}. */
export type TrustSignals = z.infer<typeof TrustSignals>;

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
  trust: z.optional(z.partial(TrustSignals)),
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
    /** The verified badge shown next to the creator's name. */
    verified: z.boolean(),
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
  priceFloor: z.optional(Money),
  expiresAt: z.optional(Timestamp),
});
/** Body of `POST /v1/creators/{id}/entitlements`; see {@link EntitlementCreate}. */
export type EntitlementCreate = z.infer<typeof EntitlementCreate>;
