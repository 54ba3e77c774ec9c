import { OFFER_TOKEN_ALG, OFFER_TOKEN_TYPE, OfferTokenClaims, OfferTokenHeader } from '@livedrop/core';
import type { Engine } from '../engine';
import { ApiProblem } from '../problem';
import type { SigningKey } from '../signing-keys';

/** The `iss` claim of every offer token the reference server signs. */
export const OFFER_TOKEN_ISSUER = '/livedrop/reference';

/**
 * The longest string worth parsing as an offer token. Real tokens are well under 1 kB; anything
 * longer is refused before a byte of it is decoded, so a huge string costs no more than a short one.
 */
export const MAX_OFFER_TOKEN_LENGTH = 4096;

const ED25519 = { name: 'Ed25519' } as const;
const ED25519_SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const REISSUE = 'issue a new one with POST /v1/offers/{id}/tokens';

function base64urlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decodeJson(segment: string): unknown {
  const bytes = base64urlDecode(segment);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

function invalid(detail: string): ApiProblem {
  return new ApiProblem('token_invalid', detail);
}

/**
 * Signs offer-token claims as a compact JWS (EdDSA over Ed25519) with the header
 * `{ alg: 'EdDSA', kid, typ: 'offer+jwt' }`. WebCrypto only, so it runs in Node and in a browser (msw).
 * @example const token = await signOfferToken(await engine.signing.current(), claims);
 */
export async function signOfferToken(key: SigningKey, claims: OfferTokenClaims): Promise<string> {
  const header: OfferTokenHeader = { alg: OFFER_TOKEN_ALG, kid: key.kid, typ: OFFER_TOKEN_TYPE };
  const signingInput = `${base64urlEncode(encoder.encode(JSON.stringify(header)))}.${base64urlEncode(encoder.encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign(ED25519, key.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64urlEncode(new Uint8Array(signature))}`;
}

/**
 * Verifies an offer token and returns its claims, or throws `ApiProblem` `token_invalid` /
 * `token_expired`. The order matters: the length cap comes before any parsing, and the strict header
 * schema pins `alg: EdDSA` and `typ: offer+jwt` before any key is looked up, so `alg: none`, HS256
 * "signed" with the public key and every other algorithm are refused without touching a key.
 * `nbf` and `exp` are checked against the engine's clock with `tokenClockToleranceSeconds` of slack.
 * It does not check single use (the ledger does, atomically with the hold).
 */
export async function verifyOfferToken(engine: Engine, token: string): Promise<OfferTokenClaims> {
  if (token.length > MAX_OFFER_TOKEN_LENGTH) throw invalid(`The offer token is longer than any LiveDrop offer token (${MAX_OFFER_TOKEN_LENGTH} characters at most); ${REISSUE}.`);
  const segments = token.split('.');
  if (segments.length !== 3 || segments.some((segment) => !BASE64URL.test(segment))) {
    throw invalid(`The offer token is not a compact JWS (three base64url parts joined by "."); send the token exactly as issued, or ${REISSUE}.`);
  }
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];

  const header = OfferTokenHeader.safeParse(decodeJson(headerSegment));
  if (!header.success) throw invalid(`The offer token header must be exactly {"alg":"${OFFER_TOKEN_ALG}","kid":…,"typ":"${OFFER_TOKEN_TYPE}"}; only LiveDrop-issued tokens are accepted, so ${REISSUE}.`);
  const key = await engine.signing.byKid(header.data.kid);
  if (!key) throw invalid(`The offer token was signed with a key that is not in /.well-known/jwks.json (unknown or retired kid); ${REISSUE}.`);

  const signature = base64urlDecode(signatureSegment);
  // Re-encoding must give back the same text: one token, one spelling of its signature.
  if (!signature || signature.byteLength !== ED25519_SIGNATURE_BYTES || base64urlEncode(signature) !== signatureSegment) {
    throw invalid(`The offer token signature is malformed; send the token exactly as issued, or ${REISSUE}.`);
  }
  const verified = await engine.verifySignature(key.publicKey, signature, encoder.encode(`${headerSegment}.${payloadSegment}`));
  if (!verified) throw invalid(`The offer token signature does not match its contents (was the token edited?); ${REISSUE}.`);

  const claims = OfferTokenClaims.safeParse(decodeJson(payloadSegment));
  if (!claims.success || claims.data.iss !== OFFER_TOKEN_ISSUER) {
    throw invalid(`The offer token claims are not those of a reservation token (aud must be "livedrop:reservations"); ${REISSUE}.`);
  }
  const nowSeconds = engine.clock.now() / 1000;
  const tolerance = engine.config.tokenClockToleranceSeconds;
  if (claims.data.nbf > nowSeconds + tolerance) throw invalid(`The offer token is not yet valid (nbf is in the future); check the issuing server's clock, or ${REISSUE}.`);
  if (nowSeconds >= claims.data.exp + tolerance) throw new ApiProblem('token_expired', `The offer token expired; ${REISSUE} (tokens live ttlSeconds, 120 s by default).`);
  return claims.data;
}
