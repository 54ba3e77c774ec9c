import { sign as ed25519Sign, type KeyObject } from 'node:crypto';
import { checkClaimsToSign, encodeOfferTokenHeader, OFFER_TOKEN_AUDIENCE, type OfferTokenClaims } from '@livedrop/core';
import { toPrivateKeyObject } from '../keys';

const SCRATCH_BYTES = 8192;

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
export type OfferTokenSignClaims = Omit<OfferTokenClaims, 'iss' | 'aud'> &
  Partial<Pick<OfferTokenClaims, 'iss' | 'aud'>>;

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
 * The claims as JSON text, in the contract's order: what `JSON.stringify` gives for
 * `{ iss, aud, sub, sid, oid, sku, price, qmax, jti, iat, nbf, exp, att? }`, about twice as fast.
 * Only for claims that passed the check, which guarantees that every value written without
 * `JSON.stringify` needs no escaping: ids, buyer ids and currency codes are plain ASCII from
 * alphabets without `"` or `\`, and numbers are safe integers. `sku`, `jti` and `att` are free
 * text and go through `JSON.stringify`. `signer.test.ts` holds it to `JSON.stringify` byte for byte.
 */
function serializeClaims(prefix: string, c: OfferTokenSignClaims): string {
  return (
    `${prefix}${c.sub}","sid":"${c.sid}","oid":"${c.oid}","sku":${JSON.stringify(c.sku)},` +
    `"price":{"amount":${c.price.amount},"currency":"${c.price.currency}"},"qmax":${c.qmax},"jti":${JSON.stringify(c.jti)},` +
    `"iat":${c.iat},"nbf":${c.nbf},"exp":${c.exp}${c.att === undefined ? '' : `,"att":${JSON.stringify(c.att)}`}}`
  );
}

/**
 * Creates a fast, synchronous offer-token signer on node:crypto. The key is imported and the header
 * encoded once; each token then costs one claims check, one serialization, one base64url pass and
 * one Ed25519 signature. Claims outside the contract are refused, so a signed token always verifies.
 * @example
 * const signer = createOfferTokenSigner({ ...loadSigningKey({ env: 'LIVEDROP_SIGNING_KEY' }), issuer: 'https://deals.example' });
 * const now = Math.floor(Date.now() / 1000);
 * const token = signer.sign({ sub: 'buyer_42', sid, oid, sku, price, qmax: 2, jti: randomUUID(), iat: now, nbf: now, exp: now + 120 });
 */
export function createOfferTokenSigner(options: OfferTokenSignerOptions): OfferTokenSigner {
  const { kid, issuer } = options;
  if (typeof kid !== 'string' || kid === '')
    throw new TypeError('createOfferTokenSigner needs a kid: the id your JWKS publishes the public key under.');
  if (typeof issuer !== 'string')
    throw new TypeError('createOfferTokenSigner needs an issuer: the `iss` claim of your tokens.');
  const privateKey = toPrivateKeyObject(options.privateKey, 'The signing key');
  const headerPrefix = `${encodeOfferTokenHeader(kid)}.`;
  const claimsPrefix = `{"iss":${JSON.stringify(issuer)},"aud":${JSON.stringify(OFFER_TOKEN_AUDIENCE)},"sub":"`;
  // Encoded into on every call instead of fresh Buffers (`sign` is synchronous, so calls never
  // overlap); claims too large for them, which no real token has, take fresh Buffers.
  const jsonBytes = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  const inputBytes = Buffer.allocUnsafeSlow(SCRATCH_BYTES);

  function encodePayload(json: string): string {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (json.length * 3 > SCRATCH_BYTES) return Buffer.from(json).toString('base64url');
    return jsonBytes.toString('base64url', 0, jsonBytes.write(json, 0, 'utf8'));
  }

  function signatureOf(signingInput: string): Buffer {
    if (signingInput.length > SCRATCH_BYTES) return ed25519Sign(null, Buffer.from(signingInput, 'latin1'), privateKey);
    return ed25519Sign(null, inputBytes.subarray(0, inputBytes.write(signingInput, 0, 'latin1')), privateKey);
  }

  return {
    kid,
    issuer,
    sign(claims) {
      const problem = checkClaimsToSign(claims, issuer);
      if (problem) throw new TypeError(`Cannot sign an offer token: the claim "${problem.path}" ${problem.message}.`);
      const signingInput = headerPrefix + encodePayload(serializeClaims(claimsPrefix, claims));
      return `${signingInput}.${signatureOf(signingInput).toString('base64url')}`;
    },
  };
}
