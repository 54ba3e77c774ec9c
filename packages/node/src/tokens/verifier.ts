import { verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { checkOfferTokenClaims, OFFER_TOKEN_ALG, OFFER_TOKEN_AUDIENCE, OFFER_TOKEN_TYPE, type OfferTokenClaims, TokenVerificationError } from '@livedrop/core';
import { loadPublicKeys, toPublicKeyObject, type JwksInput } from '../keys';

/** Options shared by both ways of giving {@link createOfferTokenVerifier} its keys. */
export interface OfferTokenVerifierCommonOptions {
  /** The expected `iss`. @default undefined (any issuer) */
  issuer?: string | undefined;
  /** Leeway for `exp` and `nbf` between clocks, in seconds. @default 5 */
  clockToleranceSeconds?: number | undefined;
  /**
   * The time to check against: a clock function (epoch ms), or a fixed time.
   * @default Date.now
   */
  now?: (() => number) | Date | number | undefined;
  /** Longer strings are refused before any decoding (at most 65536). @default 4096 (offer tokens are well under 1 kB) */
  maxTokenLength?: number | undefined;
}

/**
 * Options of {@link createOfferTokenVerifier}: the public keys as a JWKS (from
 * `ld.signingKeys.jwks()` or `GET /.well-known/jwks.json`), or already imported, keyed by `kid`.
 * Keys are imported once; after a rotation, build a new verifier from the new JWKS.
 */
export type OfferTokenVerifierOptions = OfferTokenVerifierCommonOptions &
  (
    | { jwks: JwksInput; publicKeys?: never }
    | { publicKeys: ReadonlyMap<string, KeyObject | CryptoKey> | Readonly<Record<string, KeyObject | CryptoKey>>; jwks?: never }
  );

/** Verifies offer tokens synchronously against a fixed set of public keys. */
export interface OfferTokenVerifier {
  /** The key ids this verifier accepts. */
  readonly kids: readonly string[];
  /**
   * Verifies a token and returns its claims: the same rules and error codes as core's
   * `verifyOfferToken`, without a promise.
   * @throws TokenVerificationError `token_expired` past `exp` (plus tolerance), `token_invalid` for anything else
   */
  verify(token: string): OfferTokenClaims;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** 64 signature bytes are 86 base64url characters; the last one carries 2 bits, so only A, Q, g or w spell it canonically. */
const SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/;
const ED25519_SIGNATURE_BYTES = 64;
const MAX_HEADER_LENGTH = 512;
const DEFAULT_MAX_TOKEN_LENGTH = 4096;
const LARGEST_MAX_TOKEN_LENGTH = 65_536;
const HEADER_CACHE_SIZE = 64;
const REISSUE = 'issue a new one with POST /v1/offers/{id}/tokens';
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (detail: string) => new TokenVerificationError('token_invalid', `The offer token is not valid: ${detail}.`);

function importKeys(options: OfferTokenVerifierOptions): Map<string, KeyObject> {
  if (options.jwks !== undefined) return loadPublicKeys(options.jwks);
  const keys = new Map<string, KeyObject>();
  const entries = options.publicKeys instanceof Map ? options.publicKeys.entries() : Object.entries(options.publicKeys);
  for (const [kid, key] of entries as Iterable<[string, KeyObject | CryptoKey]>) keys.set(kid, toPublicKeyObject(key, `The public key "${kid}"`));
  return keys;
}

function clockOf(now: OfferTokenVerifierCommonOptions['now']): () => number {
  if (typeof now === 'function') return now;
  if (now === undefined) return Date.now;
  const fixed = new Date(now).getTime();
  return () => fixed;
}

/** Decodes a header segment and returns its `kid`, or throws: exactly {alg: EdDSA, kid, typ: offer+jwt}, nothing else. */
function headerKid(segment: string): string {
  if (segment.length > MAX_HEADER_LENGTH) throw invalid('its header is longer than any offer token header');
  if (!BASE64URL.test(segment)) throw invalid('it is not a compact JWS (three base64url parts joined by ".")');
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw invalid('its header is not base64url JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('its header is not a JSON object');
  const { alg, kid, typ } = header as Record<string, unknown>;
  if (alg !== OFFER_TOKEN_ALG) throw invalid(`its header says alg ${JSON.stringify(alg)}; only "${OFFER_TOKEN_ALG}" is accepted`);
  if (typ !== OFFER_TOKEN_TYPE) throw invalid(`its header says typ ${JSON.stringify(typ)}; an offer token is "${OFFER_TOKEN_TYPE}"`);
  if (typeof kid !== 'string') throw invalid('its header has no kid');
  if (Object.keys(header).length !== 3) throw invalid(`its header must be exactly {"alg","kid","typ"} (no crit, jwk, jku, x5u, …)`);
  return kid;
}

/**
 * Creates a fast, synchronous offer-token verifier on node:crypto: the same checks as core's
 * jose-based `verifyOfferToken`, in an order that refuses hostile input cheaply. The length cap
 * and shape come first; the header must be exactly `{alg: EdDSA, kid, typ: offer+jwt}` with a
 * known `kid` before any key is touched, so `alg: none`, HS256 "signed" with the public key and
 * every other algorithm are refused outright; then the Ed25519 signature; then `iss`, `aud`,
 * `nbf`/`exp` with the clock tolerance, and every claim against the contract (unknown claims refused).
 * @example
 * const verifier = createOfferTokenVerifier({ jwks: await ld.signingKeys.jwks() });
 * const claims = verifier.verify(req.body.offerToken); // throws TokenVerificationError
 */
export function createOfferTokenVerifier(options: OfferTokenVerifierOptions): OfferTokenVerifier {
  const keys = importKeys(options);
  if (keys.size === 0) throw new TypeError('createOfferTokenVerifier needs at least one public key (the JWKS is empty).');
  const issuer = options.issuer;
  const tolerance = options.clockToleranceSeconds ?? 5;
  if (!(tolerance >= 0)) throw new TypeError('clockToleranceSeconds must be a non-negative number of seconds.');
  const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > LARGEST_MAX_TOKEN_LENGTH) throw new TypeError(`maxTokenLength must be an integer from 1 to ${LARGEST_MAX_TOKEN_LENGTH}.`);
  const now = clockOf(options.now);
  // Decoded into on every call instead of fresh Buffers: `verify` is synchronous, so calls never
  // overlap, and the hot path then allocates nothing but the claims (measured: ~2% of throughput).
  const inputBytes = Buffer.allocUnsafeSlow(maxLength);
  const signatureBytes = Buffer.allocUnsafeSlow(ED25519_SIGNATURE_BYTES);
  const payloadBytes = Buffer.allocUnsafeSlow(Math.ceil((maxLength * 3) / 4));
  // Header segment -> key. Filled only by tokens that verified, so forged headers cannot flood it.
  const verifiedHeaders = new Map<string, KeyObject>();

  function keyFor(segment: string): KeyObject {
    const cached = verifiedHeaders.get(segment);
    if (cached) return cached;
    const kid = headerKid(segment);
    const key = keys.get(kid);
    if (!key) throw invalid(`it was signed with kid "${kid.slice(0, 64)}", which is not in the JWKS (unknown or retired key); ${REISSUE}`);
    return key;
  }

  return {
    kids: [...keys.keys()],
    verify(token) {
      if (typeof token !== 'string') throw invalid('it is not a string');
      if (token.length > maxLength) throw invalid(`it is longer than any offer token (${maxLength} characters at most)`);
      // ASCII only, so one character is one byte in the signing input (a native check, far cheaper
      // than a regex over the token). The alphabet is then checked per part: the header on a cache
      // miss, the signature just below, the payload by its decoded length after the signature.
      if (Buffer.byteLength(token, 'utf8') !== token.length) throw invalid('it holds characters no compact JWS has');
      const firstDot = token.indexOf('.');
      const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
      if (firstDot <= 0 || secondDot <= firstDot + 1) throw invalid('it is not a compact JWS (three base64url parts joined by ".")');
      const headerSegment = token.slice(0, firstDot);
      const key = keyFor(headerSegment);
      const signatureSegment = token.slice(secondDot + 1);
      if (!SIGNATURE.test(signatureSegment)) throw invalid('its signature is not a canonical 64-byte Ed25519 signature (86 base64url characters)');
      inputBytes.write(token, 0, secondDot, 'latin1');
      signatureBytes.write(signatureSegment, 0, 'base64url');
      if (!ed25519Verify(null, inputBytes.subarray(0, secondDot), key, signatureBytes)) {
        throw invalid(`its signature does not match its contents (was it edited?); ${REISSUE}`);
      }
      if (!verifiedHeaders.has(headerSegment)) {
        if (verifiedHeaders.size >= HEADER_CACHE_SIZE) verifiedHeaders.clear();
        verifiedHeaders.set(headerSegment, key);
      }
      return checkClaims(token.slice(firstDot + 1, secondDot));
    },
  };

  function checkClaims(payloadSegment: string): OfferTokenClaims {
    let claims: unknown;
    try {
      const length = payloadBytes.write(payloadSegment, 0, 'base64url');
      // Node's decoder skips characters outside the alphabet; fewer bytes than the length promises means there were some.
      if (length !== (payloadSegment.length * 3) >>> 2 || payloadSegment.length % 4 === 1) throw new SyntaxError('not base64url');
      claims = JSON.parse(payloadBytes.toString('utf8', 0, length));
    } catch {
      throw invalid('its payload is not base64url JSON');
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw invalid('its claims are not a JSON object');
    // The order follows jose's, so both paths answer the same code for the same token.
    const { iss, aud, iat, nbf, exp } = claims as Record<string, unknown>;
    if (issuer !== undefined && iss !== issuer) throw invalid(`its issuer is ${JSON.stringify(iss)}, not "${issuer}"`);
    if (aud !== OFFER_TOKEN_AUDIENCE) throw invalid(`its audience is ${JSON.stringify(aud)}, not "${OFFER_TOKEN_AUDIENCE}"`);
    if (iat !== undefined && typeof iat !== 'number') throw invalid('its "iat" is not a number');
    const nowSeconds = Math.floor(now() / 1000);
    if (nbf !== undefined) {
      if (typeof nbf !== 'number') throw invalid('its "nbf" is not a number');
      if (nbf > nowSeconds + tolerance) throw invalid(`it is not valid before ${new Date(nbf * 1000).toISOString()} (nbf); check the issuing server's clock`);
    }
    if (exp !== undefined) {
      if (typeof exp !== 'number') throw invalid('its "exp" is not a number');
      if (exp <= nowSeconds - tolerance) throw new TokenVerificationError('token_expired', 'The offer token has expired; issue a new one.');
    }
    const problem = checkOfferTokenClaims(claims);
    if (problem) throw new TokenVerificationError('token_invalid', `The offer token's claim "${problem.path}" is invalid: ${problem.message}.`);
    return claims as OfferTokenClaims;
  }
}
