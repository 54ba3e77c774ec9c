import * as z from 'zod/mini';
import { named } from './named';
import { Attribution, BuyerId, Timestamp, idOf } from './common';
import { Money } from './money';

/** The audience every offer token is issued for. */
export const OFFER_TOKEN_AUDIENCE = 'livedrop:reservations';
/** The JWS `typ` header of an offer token. */
export const OFFER_TOKEN_TYPE = 'offer+jwt';
/** The one signature algorithm offer tokens use; verification pins it. */
export const OFFER_TOKEN_ALG = 'EdDSA';

/**
 * Body of `POST /v1/offers/{id}/tokens`: a token for one signed-in buyer. With the secret key the
 * platform names the buyer (`buyerId`, required); with a publishable key the buyer is the one its
 * buyer session asserts (header `LiveDrop-Buyer-Session`) and `buyerId` is refused.
 */
export const TokenIssue = z.strictObject({
  /** The buyer, named by the platform's secret key only (a publishable key's buyer comes from its buyer session). */
  buyerId: z.optional(BuyerId),
  /** Most units the token may reserve. @default the offer's per-buyer limit, else 10 */
  quantityMax: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  /** Lifetime of the token. @default 120 */
  ttlSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(900))),
  attribution: z.optional(Attribution),
});
/** Body of `POST /v1/offers/{id}/tokens`; see {@link TokenIssue}. */
export type TokenIssue = z.infer<typeof TokenIssue>;

/** A freshly issued offer token. */
export const IssuedToken = named(
  z.strictObject({
    object: z.literal('offer_token'),
    token: z.string(),
    jti: z.string(),
    expiresAt: Timestamp,
  }),
  'IssuedToken',
);
/** An issued offer token; see {@link IssuedToken}. */
export type IssuedToken = z.infer<typeof IssuedToken>;

/** The claims of an offer token (a compact JWS, EdDSA over Ed25519, `typ: offer+jwt`). */
export const OfferTokenClaims = z.strictObject({
  iss: z.string(),
  aud: z.literal(OFFER_TOKEN_AUDIENCE),
  /** The buyer the token was issued for. */
  sub: BuyerId,
  sid: idOf('session'),
  oid: idOf('offer'),
  sku: z.string(),
  price: Money,
  qmax: z.int().check(z.minimum(1)),
  jti: z.string().check(z.minLength(16), z.maxLength(64)),
  iat: z.int(),
  nbf: z.int(),
  exp: z.int(),
  att: z.optional(Attribution),
});
/** Offer token claims; see {@link OfferTokenClaims}. */
export type OfferTokenClaims = z.infer<typeof OfferTokenClaims>;

/** The JWS protected header of an offer token. */
export const OfferTokenHeader = z.strictObject({
  alg: z.literal(OFFER_TOKEN_ALG),
  kid: z.string(),
  typ: z.literal(OFFER_TOKEN_TYPE),
});
/** An offer token header; see {@link OfferTokenHeader}. */
export type OfferTokenHeader = z.infer<typeof OfferTokenHeader>;

/** One Ed25519 public key in the JWKS. */
export const PublicJwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal(OFFER_TOKEN_ALG),
  use: z.literal('sig'),
});
/** A public JWK; see {@link PublicJwk}. */
export type PublicJwk = z.infer<typeof PublicJwk>;

/** `GET /.well-known/jwks.json`: the current signing key and the previous one (rotation overlap). */
export const Jwks = named(z.strictObject({ keys: z.array(PublicJwk) }), 'Jwks');
/** A JSON Web Key Set; see {@link Jwks}. */
export type Jwks = z.infer<typeof Jwks>;

/** Answer of `POST /v1/signing-keys/rotate`. */
export const SigningKeyRotation = z.strictObject({
  object: z.literal('signing_key_rotation'),
  currentKid: z.string(),
  previousKid: z.nullable(z.string()),
  rotatedAt: Timestamp,
});
/** A signing-key rotation; see {@link SigningKeyRotation}. */
export type SigningKeyRotation = z.infer<typeof SigningKeyRotation>;
