import { OFFER_TOKEN_AUDIENCE, type OfferTokenClaims } from '../schemas/token';
import { base64urlDecode, isCanonicalBase64url } from './base64url';
import { checkOfferTokenClaims } from './claims';
import type { OfferTokenHeaders } from './offer-token-header';
import { refuseOfferToken, type OfferTokenRefusal } from './offer-token-refusal';

/*
 * The offer-token rule: every structural fact of a token, held once. A verifier runs
 * `splitOfferToken`, looks up the key for the kid and checks the signature its own way (node:crypto,
 * WebCrypto), then runs `readOfferTokenClaims`. The order refuses hostile input cheaply: the length
 * cap before any decoding, the pinned header before any key is touched (so `alg: none`, HS256
 * "signed" with the public key and every other algorithm never reach a key), the signature before
 * the payload is parsed.
 */

/**
 * The longest string read as an offer token. Real tokens are well under 1 kB; anything longer is
 * refused before a byte of it is decoded, so a huge string costs no more than a short one.
 */
export const MAX_OFFER_TOKEN_LENGTH = 4096;

/** Seconds of clock skew tolerated on `nbf` and `exp` unless a verifier is told otherwise. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** 64 signature bytes are 86 base64url characters; the last carries 2 bits, so only A, Q, g or w spell it canonically. */
const SIGNATURE = /^[\w-]{85}[AQgw]$/;
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** An offer token that passed the structural rule, in its parts, ready for a signature check. */
export interface CompactOfferToken {
  readonly ok: true;
  /** The header's `kid`: which public key must have signed it. */
  readonly kid: string;
  /**
   * `header.payload`, what the signature covers. Every character is ASCII (the rule checked the
   * alphabet), so its bytes are its character codes: encode it as latin1, ASCII or UTF-8 alike.
   */
  readonly signingInput: string;
  /** The payload part: canonical base64url, not yet decoded (see {@link readOfferTokenClaims}). */
  readonly payload: string;
  /** The signature part: the canonical base64url of exactly 64 bytes. */
  readonly signature: string;
}

/**
 * Splits a compact offer token and checks its structure: a string of at most `maxLength`
 * characters, three parts joined by `.`, each the canonical base64url spelling of its bytes, the
 * header exactly `{alg: "EdDSA", kid, typ: "offer+jwt"}` (read through `headers`, which recognises
 * registered kids by a string lookup), and a signature part of exactly 64 bytes.
 * @param maxLength the length cap. @default MAX_OFFER_TOKEN_LENGTH
 * @example
 * const token = splitOfferToken(text, headers);
 * if (!token.ok) throw toMyError(token.reason, token.detail);
 * const key = keys.get(token.kid); // then verify token.signature over token.signingInput
 */
export function splitOfferToken(
  token: unknown,
  headers: OfferTokenHeaders,
  maxLength: number = MAX_OFFER_TOKEN_LENGTH,
): CompactOfferToken | OfferTokenRefusal {
  if (typeof token !== 'string') return refuseOfferToken('not_compact', 'it is not a string');
  if (token.length > maxLength)
    return refuseOfferToken('too_long', `it is longer than any offer token (${maxLength} characters at most)`);
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (firstDot <= 0 || secondDot <= firstDot + 1)
    return refuseOfferToken('not_compact', 'it is not a compact JWS (three base64url parts joined by ".")');
  const kid = headers.read(token.slice(0, firstDot));
  if (typeof kid !== 'string') return kid;
  const signature = token.slice(secondDot + 1);
  if (!SIGNATURE.test(signature))
    return refuseOfferToken(
      'signature_encoding',
      'its signature is not a canonical 64-byte Ed25519 signature (86 base64url characters)',
    );
  const payload = token.slice(firstDot + 1, secondDot);
  if (!isCanonicalBase64url(payload))
    return refuseOfferToken(
      'not_compact',
      'its payload is not canonical base64url (three base64url parts joined by ".")',
    );
  return { ok: true, kid, signingInput: token.slice(0, secondDot), payload, signature };
}

/** What {@link readOfferTokenClaims} checks the claims against. */
export interface OfferTokenClaimsOptions {
  /** The current time, epoch milliseconds. */
  readonly now: number;
  /** Leeway for `nbf` and `exp`, in seconds. @default DEFAULT_CLOCK_TOLERANCE_SECONDS */
  readonly clockToleranceSeconds?: number | undefined;
  /** The expected `iss`. @default undefined (any issuer) */
  readonly issuer?: string | undefined;
  /**
   * Decodes the payload part, which {@link splitOfferToken} has checked is canonical base64url, so
   * any correct decoder reads the same bytes: a platform may pass its native one (Node's Buffer).
   * @default base64urlDecode
   */
  readonly decode?: ((payload: string) => Uint8Array) | undefined;
}

/** The claims of a token that passed the rule. */
export interface OfferTokenClaimsRead {
  readonly ok: true;
  readonly claims: OfferTokenClaims;
}

/**
 * Whether `now` lies in the token's validity window, `nbf - tolerance` to `exp + tolerance`
 * (exclusive at `exp`, as jose has it), in whole seconds. Returns the refusal when it does not.
 */
function checkTimeWindow(nbf: unknown, exp: unknown, now: number, tolerance: number): OfferTokenRefusal | undefined {
  const nowSeconds = Math.floor(now / 1000);
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') return refuseOfferToken('claims', 'its "nbf" is not a number');
    if (nbf > nowSeconds + tolerance)
      return refuseOfferToken(
        'not_yet_valid',
        `it is not valid before ${new Date(nbf * 1000).toISOString()} (nbf); check the issuing server's clock`,
      );
  }
  if (exp !== undefined) {
    if (typeof exp !== 'number') return refuseOfferToken('claims', 'its "exp" is not a number');
    if (exp <= nowSeconds - tolerance)
      return refuseOfferToken('expired', `it expired at ${new Date(exp * 1000).toISOString()} (exp)`);
  }
  return undefined;
}

/**
 * Reads the claims of a token whose signature checked out: base64url UTF-8 JSON of an object,
 * `iss` (when an issuer is expected) and `aud`, then the time window (`nbf`/`exp` with the clock
 * tolerance), then every claim against the contract (unknown claims refused). Time comes before
 * the full claims check, as in jose, so an expired token is reported as expired.
 * @example
 * const read = readOfferTokenClaims(token.payload, { now: Date.now(), issuer: 'https://deals.example' });
 * if (read.ok) reserve(read.claims);
 */
export function readOfferTokenClaims(
  payload: string,
  options: OfferTokenClaimsOptions,
): OfferTokenClaimsRead | OfferTokenRefusal {
  let claims: unknown;
  try {
    const bytes = (options.decode ?? base64urlDecode)(payload);
    if (!bytes) throw new SyntaxError('not base64url');
    claims = JSON.parse(utf8.decode(bytes));
  } catch {
    return refuseOfferToken('payload', 'its payload is not base64url JSON');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    return refuseOfferToken('payload', 'its claims are not a JSON object');
  const { iss, aud, iat, nbf, exp } = claims as Record<string, unknown>;
  const { issuer } = options;
  if (issuer !== undefined && iss !== issuer)
    return refuseOfferToken(
      'issuer',
      `its issuer is ${JSON.stringify(iss) ?? 'missing'}, not ${JSON.stringify(issuer)}`,
    );
  if (aud !== OFFER_TOKEN_AUDIENCE)
    return refuseOfferToken(
      'audience',
      `its audience is ${JSON.stringify(aud) ?? 'missing'}, not "${OFFER_TOKEN_AUDIENCE}"`,
    );
  if (iat !== undefined && typeof iat !== 'number') return refuseOfferToken('claims', 'its "iat" is not a number');
  const late = checkTimeWindow(nbf, exp, options.now, options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS);
  if (late) return late;
  const problem = checkOfferTokenClaims(claims);
  if (problem) return refuseOfferToken('claims', `its claim "${problem.path}" is invalid: ${problem.message}`);
  return { ok: true, claims: claims as OfferTokenClaims };
}
