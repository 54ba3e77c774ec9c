import { base64urlDecode, base64urlEncode, checkOfferTokenClaims, OFFER_TOKEN_ALG, OFFER_TOKEN_TYPE, OfferTokenHeader, type OfferTokenClaims } from '@livedrop/core';
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
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const REISSUE = 'issue a new one with POST /v1/offers/{id}/tokens';

function decodeJson(segment: string): unknown {
  const bytes = base64urlDecode(segment);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** Header segments already read, with their `kid`: a server signs every token with one of two headers. */
const knownHeaders = new Map<string, string>();
const KNOWN_HEADERS_MAX = 16;

/** The `kid` of a header segment that is exactly a LiveDrop offer-token header, else `undefined`. */
function kidOf(headerSegment: string): string | undefined {
  const known = knownHeaders.get(headerSegment);
  if (known !== undefined) return known;
  const header = OfferTokenHeader.safeParse(decodeJson(headerSegment));
  if (!header.success) return undefined;
  if (knownHeaders.size >= KNOWN_HEADERS_MAX) knownHeaders.clear();
  knownHeaders.set(headerSegment, header.data.kid);
  return header.data.kid;
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
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  if (firstDot < 1 || secondDot < firstDot + 2 || secondDot === token.length - 1 || token.includes('.', secondDot + 1)) {
    throw invalid(`The offer token is not a compact JWS (three base64url parts joined by "."); send the token exactly as issued, or ${REISSUE}.`);
  }
  const headerSegment = token.slice(0, firstDot);

  const kid = kidOf(headerSegment);
  if (kid === undefined) throw invalid(`The offer token header must be exactly {"alg":"${OFFER_TOKEN_ALG}","kid":…,"typ":"${OFFER_TOKEN_TYPE}"}; only LiveDrop-issued tokens are accepted, so ${REISSUE}.`);
  const key = await engine.signing.byKid(kid);
  if (!key) throw invalid(`The offer token was signed with a key that is not in /.well-known/jwks.json (unknown or retired kid); ${REISSUE}.`);

  // The strict decoder accepts one spelling per value: one token, one text of its signature.
  const signature = base64urlDecode(token.slice(secondDot + 1));
  if (!signature || signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    throw invalid(`The offer token signature is malformed; send the token exactly as issued, or ${REISSUE}.`);
  }
  const verified = await engine.verifySignature(key.publicKey, signature, encoder.encode(token.slice(0, secondDot)));
  if (!verified) throw invalid(`The offer token signature does not match its contents (was the token edited?); ${REISSUE}.`);

  const claims = decodeJson(token.slice(firstDot + 1, secondDot));
  if (checkOfferTokenClaims(claims) !== undefined || (claims as OfferTokenClaims).iss !== OFFER_TOKEN_ISSUER) {
    throw invalid(`The offer token claims are not those of a reservation token (aud must be "livedrop:reservations"); ${REISSUE}.`);
  }
  const { nbf, exp } = claims as OfferTokenClaims;
  const nowSeconds = engine.clock.now() / 1000;
  const tolerance = engine.config.tokenClockToleranceSeconds;
  if (nbf > nowSeconds + tolerance) throw invalid(`The offer token is not yet valid (nbf is in the future); check the issuing server's clock, or ${REISSUE}.`);
  if (nowSeconds >= exp + tolerance) throw new ApiProblem('token_expired', `The offer token expired; ${REISSUE} (tokens live ttlSeconds, 120 s by default).`);
  return claims as OfferTokenClaims;
}
