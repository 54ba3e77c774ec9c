import * as z from 'zod/mini';
import { _isoDateTime } from 'zod/v4/core';

/**
 * Prefixes of LiveDrop's opaque ids, keyed by the object they name.
 * The single source of truth for id shapes on the wire and in the reference server.
 */
export const ID_PREFIXES = {
  creator: 'cr',
  seller: 'sel',
  entitlement: 'ent',
  session: 'ses',
  offer: 'off',
  reservation: 'res',
  order: 'ord',
  transfer: 'tr',
  transferReversal: 'trr',
  refund: 'ref',
  event: 'evt',
  webhookEndpoint: 'we',
  webhookDelivery: 'dlv',
  signingKey: 'key',
  workspace: 'ws',
} as const;

/** A kind of LiveDrop object that has a prefixed id. */
export type IdKind = keyof typeof ID_PREFIXES;

/** The pattern of an id of the given kind: its prefix, `_`, then 1 to 64 letters and digits. */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[A-Za-z0-9]{1,64}$`);
}

/** Builds the schema of an id with the given kind's prefix, e.g. `off_3fA9…`. */
export function idOf<K extends IdKind>(kind: K) {
  return z.string().check(z.regex(idPattern(kind), `must be a ${kind} id starting with "${ID_PREFIXES[kind]}_"`));
}

/**
 * An RFC 3339 UTC timestamp, e.g. `2026-11-25T18:00:00.000Z`: `z.iso.datetime({ offset: false })`,
 * built from its parts because reading `z.iso` makes bundlers keep every `z.iso` format.
 */
export const Timestamp = _isoDateTime(z.ZodMiniISODateTime, { offset: false });

/** A buyer's identifier in the deal platform's own system (LiveDrop never learns who the buyer is). */
export const BuyerId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9_.:@-]+$/, 'may contain only letters, digits and _ . : @ -'),
  );

/** Free-form string metadata (at most 20 keys; keys up to 40 characters, values up to 500). */
export const Metadata = z
  .record(z.string().check(z.minLength(1), z.maxLength(40)), z.string().check(z.maxLength(500)))
  .check(z.refine((value) => Object.keys(value).length <= 20, 'may hold at most 20 keys'));

/** A non-negative integer count. */
export const Count = z.int().check(z.minimum(0));

/** Basis points: an integer share of 10,000 (100 bps = 1 %). */
export const Bps = z.int().check(z.minimum(0), z.maximum(10_000));

/** Campaign attribution a platform attaches to a token; carried onto reservations, orders and events. */
export const Attribution = z.strictObject({
  campaign: z.optional(z.string().check(z.maxLength(120))),
  source: z.optional(z.string().check(z.maxLength(120))),
  medium: z.optional(z.string().check(z.maxLength(120))),
  referrer: z.optional(z.string().check(z.maxLength(500))),
});
/** Campaign attribution; see {@link Attribution}. */
export type Attribution = z.infer<typeof Attribution>;

/** Metadata key/value pairs; see {@link Metadata}. */
export type Metadata = z.infer<typeof Metadata>;
