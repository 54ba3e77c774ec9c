import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import { OFFER_TOKEN_ALG, type OfferTokenClaims } from '../schemas/token';
import { base64urlDecode } from './base64url';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, readOfferTokenClaims, splitOfferToken } from './compact-token';
import { OfferTokenHeaders } from './offer-token-header';
import { signatureMismatchRefusal, unknownKeyRefusal } from './offer-token-refusal';
import { TokenVerificationError } from './token-verification-error';

/** Options of {@link verifyOfferToken}. */
export interface VerifyOfferTokenOptions {
  /**
   * The public keys: a JWKS object (from `ld.signingKeys.jwks()`), or the URL of
   * `/.well-known/jwks.json`, fetched once and cached (refetched when an unknown `kid` shows up).
   */
  jwks: JSONWebKeySet | string | URL;
  /**
   * Headers sent when `jwks` is a URL. The LiveDrop JWKS is per tenant and answers for the tenant of
   * the key sent, so send one (a publishable key is enough).
   * @default {} (no headers)
   * @example { authorization: `Bearer ${publishableKey}` }
   */
  jwksHeaders?: Record<string, string> | undefined;
  /** The expected `iss`. @default undefined (any issuer) */
  issuer?: string | undefined;
  /** Leeway for `exp` and `nbf` between clocks, in seconds. @default 5 */
  clockToleranceSeconds?: number | undefined;
  /** The time to check against (epoch ms or a Date). @default the current time */
  now?: Date | number | undefined;
}

/** One key set: jose finds and imports the key for a kid; the headers of its kids are recognised by string. */
interface KeySet {
  readonly keyFor: (kid: string) => Promise<CryptoKey>;
  readonly headers: OfferTokenHeaders;
}

const ED25519 = { name: 'Ed25519' } as const;
const encoder = /* @__PURE__ */ new TextEncoder();
const remoteSets = new Map<string, KeySet>();
const localSets = new WeakMap<JSONWebKeySet, KeySet>();

function keySet(getKey: ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>): KeySet {
  return { keyFor: (kid) => getKey({ alg: OFFER_TOKEN_ALG, kid }), headers: new OfferTokenHeaders() };
}

function keysFor(jwks: VerifyOfferTokenOptions['jwks'], headers: Record<string, string> = {}): KeySet {
  if (typeof jwks === 'string' || jwks instanceof URL) {
    const url = new URL(jwks);
    // One set per URL and headers: the same URL answers each tenant's key with that tenant's keys.
    const cacheKey = `${url.href} ${JSON.stringify(headers)}`;
    let set = remoteSets.get(cacheKey);
    if (!set) remoteSets.set(cacheKey, (set = keySet(createRemoteJWKSet(url, { headers }))));
    return set;
  }
  let set = localSets.get(jwks);
  if (!set) localSets.set(jwks, (set = keySet(createLocalJWKSet(jwks))));
  return set;
}

/**
 * Verifies an offer token offline, as the reservation endpoint does, by the one offer-token rule
 * (`splitOfferToken`, `readOfferTokenClaims`): at most 4096 characters of canonical base64url,
 * the header exactly `{alg: "EdDSA", kid, typ: "offer+jwt"}` (the algorithm is pinned; `none` and
 * HMAC are refused before any key is looked up), the Ed25519 signature checked with WebCrypto
 * against the JWKS key for the kid, audience `livedrop:reservations`, the times with a small
 * tolerance, and every claim against the contract.
 * @example
 * const claims = await verifyOfferToken(token, {
 *   jwks: `${baseUrl}/.well-known/jwks.json`,
 *   jwksHeaders: { authorization: `Bearer ${publishableKey}` },
 * });
 * claims.oid; claims.sub; claims.qmax;
 * @throws TokenVerificationError `token_expired` past `exp`, `token_invalid` for anything else
 */
export async function verifyOfferToken(token: string, options: VerifyOfferTokenOptions): Promise<OfferTokenClaims> {
  const set = keysFor(options.jwks, options.jwksHeaders);
  const parts = splitOfferToken(token, set.headers);
  if (!parts.ok) throw TokenVerificationError.from(parts);
  let key: CryptoKey;
  try {
    key = await set.keyFor(parts.kid);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY')
      throw TokenVerificationError.from(unknownKeyRefusal(parts.kid), { cause: error });
    throw new TokenVerificationError(
      'token_invalid',
      `The offer token could not be checked: no usable key for kid ${JSON.stringify(parts.kid.slice(0, 64))} (${(error as Error).message}).`,
      { cause: error },
    );
  }
  let valid: boolean;
  try {
    // The rule checked the signature part is canonical base64url of 64 bytes: it decodes.
    valid = await crypto.subtle.verify(
      ED25519,
      key,
      base64urlDecode(parts.signature)!,
      encoder.encode(parts.signingInput),
    );
  } catch (error) {
    throw new TokenVerificationError(
      'token_invalid',
      `The offer token is not valid: the key for kid ${JSON.stringify(parts.kid.slice(0, 64))} is not an Ed25519 key.`,
      { cause: error },
    );
  }
  if (!valid) throw TokenVerificationError.from(signatureMismatchRefusal());
  // A kid whose signature just verified: from now on its header is recognised without parsing.
  set.headers.encode(parts.kid);
  const read = readOfferTokenClaims(parts.payload, {
    now: options.now === undefined ? Date.now() : new Date(options.now).getTime(),
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    issuer: options.issuer,
  });
  if (!read.ok) throw TokenVerificationError.from(read);
  return read.claims;
}
