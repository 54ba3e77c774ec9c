import { PublicOffer, PublicSession, type Offer, type Session } from '@livedrop/core';

/*
 * The public projections: what a publishable key (a viewer's browser, and any CDN in between) may
 * learn about a session and its offers. An allowlist read from the contract's public schemas, so a
 * field added to `Offer` or `Session` stays private until it is added to `PublicOffer` or
 * `PublicSession`, which documents it in the OpenAPI document too.
 */

/** The fields of {@link PublicOffer}, in the contract's order. */
const PUBLIC_OFFER_FIELDS = Object.keys(PublicOffer.shape) as readonly (keyof PublicOffer)[];
/** The fields of {@link PublicSession}, in the contract's order. */
const PUBLIC_SESSION_FIELDS = Object.keys(PublicSession.shape) as readonly (keyof PublicSession)[];

function pick<T extends object, K extends keyof T>(value: T, fields: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const field of fields) picked[field] = value[field];
  return picked;
}

/** An offer as a viewer sees it: only the {@link PublicOffer} fields (no terms, no moderation). */
export function toPublicOffer(offer: Offer): PublicOffer {
  return pick(offer, PUBLIC_OFFER_FIELDS);
}

/** A session as a viewer sees it: only the {@link PublicSession} fields (no metadata, no audience plans). */
export function toPublicSession(session: Session): PublicSession {
  return pick(session, PUBLIC_SESSION_FIELDS);
}
