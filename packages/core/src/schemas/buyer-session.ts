import * as z from 'zod/mini';
import { named } from './named';
import { BuyerId, Timestamp } from './common';

/** Shortest lifetime of a buyer session, in seconds (one minute). */
export const BUYER_SESSION_MIN_TTL_SECONDS = 60;
/** Longest lifetime of a buyer session, in seconds (24 hours). */
export const BUYER_SESSION_MAX_TTL_SECONDS = 86_400;
/** Lifetime of a buyer session when the request names none, in seconds (15 minutes). */
export const BUYER_SESSION_DEFAULT_TTL_SECONDS = 900;

/**
 * The request header a browser sends the buyer session's credential in, beside its publishable key.
 * @example `LiveDrop-Buyer-Session: bs_test_…`
 */
export const BUYER_SESSION_HEADER = 'LiveDrop-Buyer-Session';

/**
 * Body of `POST /v1/buyer-sessions` (secret key only): the platform asserts that its signed-in
 * buyer `buyerId` is the one behind a browser.
 */
export const BuyerSessionCreate = z.strictObject({
  /** The platform's id of its signed-in buyer. */
  buyerId: BuyerId,
  /** Lifetime of the credential, 60 s to 24 h. @default 900 */
  ttlSeconds: z.optional(
    z.int().check(z.minimum(BUYER_SESSION_MIN_TTL_SECONDS), z.maximum(BUYER_SESSION_MAX_TTL_SECONDS)),
  ),
});
/** Body of `POST /v1/buyer-sessions`; see {@link BuyerSessionCreate}. */
export type BuyerSessionCreate = z.infer<typeof BuyerSessionCreate>;

/**
 * A buyer session: an opaque credential that lets a browser's publishable key act for one buyer
 * (issue offer tokens, reserve) until `expiresAt`. The server keeps only its SHA-256; the credential
 * is shown once, in this answer.
 */
export const BuyerSession = named(
  z.strictObject({
    object: z.literal('buyer_session'),
    /** The credential (`bs_test_…`): hand it to the buyer's page, which sends it as `LiveDrop-Buyer-Session`. */
    credential: z.string(),
    /** The buyer the credential speaks for. */
    buyerId: BuyerId,
    expiresAt: Timestamp,
  }),
  'BuyerSession',
);
/** A buyer session; see {@link BuyerSession}. */
export type BuyerSession = z.infer<typeof BuyerSession>;
