import { sign as ed25519Sign, type KeyObject } from 'node:crypto';
import { OFFER_TOKEN_ALG, OFFER_TOKEN_AUDIENCE, OFFER_TOKEN_TYPE, type OfferTokenClaims, type OfferTokenHeader } from '@livedrop/core';
import { toPrivateKeyObject } from '../keys';
import { checkOfferTokenClaims } from './claims';

/** Options of {@link createOfferTokenSigner}. */
export interface OfferTokenSignerOptions {
  /** The Ed25519 private key, e.g. `loadSigningKey(...).privateKey`; imported once, here. */
  privateKey: KeyObject | CryptoKey;
  /** The key id written into every token's header; verifiers find the public key by it. */
  kid: string;
  /** The `iss` claim of every token. */
  issuer: string;
}

/**
 * The claims to sign: the contract's {@link OfferTokenClaims}, where `iss` and `aud` may be left
 * out (the signer fills in its issuer and `livedrop:reservations`).
 */
export type OfferTokenSignClaims = Omit<OfferTokenClaims, 'iss' | 'aud'> & Partial<Pick<OfferTokenClaims, 'iss' | 'aud'>>;

/** Signs offer tokens synchronously with one imported key. */
export interface OfferTokenSigner {
  /** The key id in every token's header. */
  readonly kid: string;
  /** The `iss` of every token. */
  readonly issuer: string;
  /**
   * Signs claims into a compact JWS `header.payload.signature` (EdDSA over Ed25519, `typ: offer+jwt`).
   * @throws TypeError when the claims break the contract (the message names the claim) or name another issuer
   */
  sign(claims: OfferTokenSignClaims): string;
}

/**
 * Creates a fast, synchronous offer-token signer on node:crypto. The key is imported and the header
 * encoded once; each token then costs one JSON serialization, one base64url pass and one Ed25519
 * signature. Claims are checked against the contract first, so a signed token always verifies.
 * @example
 * const signer = createOfferTokenSigner({ ...loadSigningKey({ env: 'LIVEDROP_SIGNING_KEY' }), issuer: 'https://deals.example' });
 * const now = Math.floor(Date.now() / 1000);
 * const token = signer.sign({ sub: 'buyer_42', sid, oid, sku, price, qmax: 2, jti: randomUUID(), iat: now, nbf: now, exp: now + 120 });
 */
export function createOfferTokenSigner(options: OfferTokenSignerOptions): OfferTokenSigner {
  const { kid, issuer } = options;
  if (typeof kid !== 'string' || kid === '') throw new TypeError('createOfferTokenSigner needs a kid: the id your JWKS publishes the public key under.');
  if (typeof issuer !== 'string') throw new TypeError('createOfferTokenSigner needs an issuer: the `iss` claim of your tokens.');
  const privateKey = toPrivateKeyObject(options.privateKey, 'The signing key');
  const header: OfferTokenHeader = { alg: OFFER_TOKEN_ALG, kid, typ: OFFER_TOKEN_TYPE };
  const headerPrefix = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.`;

  return {
    kid,
    issuer,
    sign(claims) {
      if (claims.iss !== undefined && claims.iss !== issuer) throw new TypeError(`The claim "iss" is "${claims.iss}" but this signer issues as "${issuer}"; leave iss out.`);
      // Spread after iss/aud: those two come first on the wire, and unknown keys stay visible to the check.
      const payload = { iss: issuer, aud: OFFER_TOKEN_AUDIENCE, ...claims };
      const problem = checkOfferTokenClaims(payload);
      if (problem) throw new TypeError(`Cannot sign an offer token: the claim "${problem.path}" ${problem.message}.`);
      const signingInput = headerPrefix + Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${signingInput}.${ed25519Sign(null, Buffer.from(signingInput, 'latin1'), privateKey).toString('base64url')}`;
    },
  };
}
