import {
  base64urlDecode,
  base64urlEncode,
  MAX_OFFER_TOKEN_LENGTH,
  OFFER_TOKEN_ALG,
  OFFER_TOKEN_AUDIENCE,
  OFFER_TOKEN_TYPE,
  OfferTokenHeaders,
  readOfferTokenClaims,
  splitOfferToken,
  type OfferTokenClaims,
  type OfferTokenRefusalReason,
} from '@livedrop/core';
import type { Engine } from '../engine';
import { ApiProblem } from '../problem';
import type { SigningKey } from '../signing-keys';

/** The `iss` claim of every offer token the reference server signs. */
export const OFFER_TOKEN_ISSUER = '/livedrop/reference';

const ED25519 = { name: 'Ed25519' } as const;
const encoder = new TextEncoder();
const REISSUE = 'issue a new one with POST /v1/offers/{id}/tokens';
const CLAIMS_REFUSED = `The offer token claims are not those of a reservation token (aud must be "${OFFER_TOKEN_AUDIENCE}"); ${REISSUE}.`;

/** What the API tells a caller for each refusal of core's offer-token rule. */
const REFUSALS: Readonly<Record<OfferTokenRefusalReason, string>> = {
  too_long: `The offer token is longer than any LiveDrop offer token (${MAX_OFFER_TOKEN_LENGTH} characters at most); ${REISSUE}.`,
  not_compact: `The offer token is not a compact JWS (three base64url parts joined by "."); send the token exactly as issued, or ${REISSUE}.`,
  header: `The offer token header must be exactly {"alg":"${OFFER_TOKEN_ALG}","kid":…,"typ":"${OFFER_TOKEN_TYPE}"}; only LiveDrop-issued tokens are accepted, so ${REISSUE}.`,
  signature_encoding: `The offer token signature is malformed; send the token exactly as issued, or ${REISSUE}.`,
  unknown_key: `The offer token was signed with a key that is not in this tenant's /.well-known/jwks.json (unknown or retired kid, or another tenant's key); ${REISSUE}.`,
  signature: `The offer token signature does not match its contents (was the token edited?); ${REISSUE}.`,
  payload: CLAIMS_REFUSED,
  issuer: CLAIMS_REFUSED,
  audience: CLAIMS_REFUSED,
  claims: CLAIMS_REFUSED,
  not_yet_valid: `The offer token is not yet valid (nbf is in the future); check the issuing server's clock, or ${REISSUE}.`,
  expired: `The offer token expired; ${REISSUE} (tokens live ttlSeconds, 120 s by default).`,
};

function refused(reason: OfferTokenRefusalReason): ApiProblem {
  return new ApiProblem(reason === 'expired' ? 'token_expired' : 'token_invalid', REFUSALS[reason]);
}

/**
 * The pinned header per kid. Filled only by `signOfferToken` with the server's own kids, so tokens
 * it issued are recognised by one string lookup and forged headers never enter it. Module-level,
 * not engine state: it memoizes a pure function of the kid, the same for every engine.
 */
const headers = new OfferTokenHeaders();

/**
 * Signs offer-token claims as a compact JWS (EdDSA over Ed25519) with the header
 * `{ alg: 'EdDSA', kid, typ: 'offer+jwt' }`. WebCrypto only, so it runs in Node and in a browser (msw).
 * @example const token = await signOfferToken(await engine.signing.of(tenantId).current(), claims);
 */
export async function signOfferToken(key: SigningKey, claims: OfferTokenClaims): Promise<string> {
  const signingInput = `${headers.encode(key.kid)}.${base64urlEncode(encoder.encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign(ED25519, key.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64urlEncode(new Uint8Array(signature))}`;
}

/**
 * Verifies an offer token and returns its claims, or throws `ApiProblem` `token_invalid` /
 * `token_expired`, by core's offer-token rule (`splitOfferToken`, `readOfferTokenClaims`): the
 * length cap before any parsing, the pinned header before any key is looked up (so `alg: none`,
 * HS256 "signed" with the public key and every other algorithm never touch a key), then the
 * signature with the engine's verifier against `tenantId`'s keys only, then the claims (issuer `/livedrop/reference`), with `nbf`
 * and `exp` checked against the engine's clock with `tokenClockToleranceSeconds` of slack.
 * It does not check single use (the ledger does, atomically with the hold).
 */
export async function verifyOfferToken(engine: Engine, tenantId: string, token: string): Promise<OfferTokenClaims> {
  const parts = splitOfferToken(token, headers);
  if (!parts.ok) throw refused(parts.reason);
  // Only the presenting tenant's keys: another tenant's key, however genuine, is an unknown kid here.
  const key = await engine.signing.of(tenantId).byKid(parts.kid);
  if (!key) throw refused('unknown_key');
  // The rule checked the signature part is canonical base64url of 64 bytes: it decodes.
  const verified = await engine.verifySignature(
    key.publicKey,
    base64urlDecode(parts.signature)!,
    encoder.encode(parts.signingInput),
  );
  if (!verified) throw refused('signature');
  const read = readOfferTokenClaims(parts.payload, {
    now: engine.clock.now(),
    clockToleranceSeconds: engine.config.tokenClockToleranceSeconds,
    issuer: OFFER_TOKEN_ISSUER,
  });
  if (!read.ok) throw refused(read.reason);
  return read.claims;
}
