import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { OFFER_TOKEN_ALG, OFFER_TOKEN_AUDIENCE, OFFER_TOKEN_TYPE, OfferTokenClaims, OfferTokenHeader } from '../schemas/token';
import { TokenVerificationError } from './token-verification-error';

/** Options of {@link verifyOfferToken}. */
export interface VerifyOfferTokenOptions {
  /**
   * The public keys: a JWKS object (from `ld.signingKeys.jwks()`), or the URL of
   * `/.well-known/jwks.json`, fetched once and cached (refetched when an unknown `kid` shows up).
   */
  jwks: JSONWebKeySet | string | URL;
  /** The expected `iss`. @default undefined (any issuer) */
  issuer?: string | undefined;
  /** Leeway for `exp`, `nbf` and `iat` between clocks, in seconds. @default 5 */
  clockToleranceSeconds?: number | undefined;
  /** The time to check against (epoch ms or a Date). @default the current time */
  now?: Date | number | undefined;
}

const remoteSets = new Map<string, JWTVerifyGetKey>();
const localSets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

function keysFor(jwks: VerifyOfferTokenOptions['jwks']): JWTVerifyGetKey {
  if (typeof jwks === 'string' || jwks instanceof URL) {
    const url = new URL(jwks);
    let set = remoteSets.get(url.href);
    if (!set) remoteSets.set(url.href, (set = createRemoteJWKSet(url)));
    return set;
  }
  let set = localSets.get(jwks);
  if (!set) localSets.set(jwks, (set = createLocalJWKSet(jwks)));
  return set;
}

/**
 * Verifies an offer token offline, as the reservation endpoint does: EdDSA only (the algorithm is
 * pinned; `none` and HMAC are refused), `typ: offer+jwt`, audience `livedrop:reservations`, the
 * times with a small tolerance, and every claim against the contract.
 * @example
 * const claims = await verifyOfferToken(token, { jwks: `${baseUrl}/.well-known/jwks.json` });
 * claims.oid; claims.sub; claims.qmax;
 * @throws TokenVerificationError `token_expired` past `exp`, `token_invalid` for anything else
 */
export async function verifyOfferToken(token: string, options: VerifyOfferTokenOptions): Promise<OfferTokenClaims> {
  let verified;
  try {
    verified = await jwtVerify(token, keysFor(options.jwks), {
      algorithms: [OFFER_TOKEN_ALG],
      typ: OFFER_TOKEN_TYPE,
      audience: OFFER_TOKEN_AUDIENCE,
      clockTolerance: options.clockToleranceSeconds ?? 5,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.now === undefined ? {} : { currentDate: new Date(options.now) }),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new TokenVerificationError('token_expired', 'The offer token has expired; issue a new one.', { cause: error });
    throw new TokenVerificationError('token_invalid', `The offer token is not valid: ${(error as Error).message}.`, { cause: error });
  }
  const header = OfferTokenHeader.safeParse(verified.protectedHeader);
  if (!header.success) throw new TokenVerificationError('token_invalid', `The offer token's header is not {alg, kid, typ}: ${header.error.issues[0]?.message ?? 'invalid'}.`);
  const claims = OfferTokenClaims.safeParse(verified.payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw new TokenVerificationError('token_invalid', `The offer token's claim "${issue?.path.join('.') ?? ''}" is invalid: ${issue?.message ?? 'invalid'}.`);
  }
  return claims.data;
}
