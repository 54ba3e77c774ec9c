import { ID_PREFIXES, idPattern } from '../schemas/common';
import { isCurrencyCode } from '../money/currency';
import { OFFER_TOKEN_AUDIENCE, type OfferTokenClaims } from '../schemas/token';

/** The first thing wrong with a claims object: the claim's dotted path and what is wrong with it. */
export interface ClaimIssue {
  readonly path: string;
  readonly message: string;
}

/*
 * A hand-written twin of the `OfferTokenClaims` schema, for the token hot paths (`@livedrop/node`'s
 * verifier and signer, the reference server's reservation endpoint): the zod parse costs about as
 * much as everything else a verify does besides the signature check (measured in
 * bench/tokens.bench.mjs). `claims.test.ts` holds the two to the same verdicts with property tests,
 * so the schema stays the one definition and this file only follows it.
 */

const BUYER_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;
// Pure: a bundle that never checks claims (a browser's) drops them.
const SESSION_ID = /* @__PURE__ */ idPattern('session');
const OFFER_ID = /* @__PURE__ */ idPattern('offer');
const ATTRIBUTION_LIMITS: Readonly<Record<string, number>> = { campaign: 120, source: 120, medium: 120, referrer: 500 };

/** Length in Unicode code points, as zod measures strings: a surrogate pair counts once, a lone surrogate once. */
function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** Whether `text` is `min` to `max` code points long, counting them only when the UTF-16 length leaves it in doubt. */
function lengthBetween(text: string, min: number, max: number): boolean {
  const units = text.length;
  if (units < min) return false;
  // A code point is one or two units: `units` bounds the count from above and `units / 2` from below.
  if (units <= max && units >= 2 * min) return true;
  const points = codePointLength(text);
  return points >= min && points <= max;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const issue = (path: string, message: string): ClaimIssue => ({ path, message });

function unknownKey(value: Record<string, unknown>, known: (key: string) => boolean): string | undefined {
  for (const key in value) if (!known(key)) return key;
  return undefined;
}

function isClaimName(key: string): boolean {
  switch (key) {
    case 'iss':
    case 'aud':
    case 'sub':
    case 'sid':
    case 'oid':
    case 'sku':
    case 'price':
    case 'qmax':
    case 'jti':
    case 'iat':
    case 'nbf':
    case 'exp':
    case 'att':
      return true;
    default:
      return false;
  }
}

function checkPrice(price: unknown): ClaimIssue | undefined {
  if (!isRecord(price)) return issue('price', 'must be an object {amount, currency}');
  const extra = unknownKey(price, (key) => key === 'amount' || key === 'currency');
  if (extra !== undefined) return issue(`price.${extra}`, 'is not a Money field');
  if (!Number.isSafeInteger(price['amount']) || (price['amount'] as number) < 0)
    return issue('price.amount', 'must be a non-negative integer of minor units');
  if (!isCurrencyCode(price['currency'])) return issue('price.currency', 'must be a supported ISO 4217 currency code');
  return undefined;
}

function checkAttribution(att: unknown): ClaimIssue | undefined {
  if (!isRecord(att)) return issue('att', 'must be an object {campaign?, source?, medium?, referrer?}');
  for (const key in att) {
    // hasOwn first: `__proto__` and `constructor` are keys a JSON payload can carry.
    const limit = Object.hasOwn(ATTRIBUTION_LIMITS, key) ? ATTRIBUTION_LIMITS[key] : undefined;
    if (limit === undefined) return issue(`att.${key}`, 'is not an attribution field');
    const value = att[key];
    if (value !== undefined && (typeof value !== 'string' || !lengthBetween(value, 0, limit)))
      return issue(`att.${key}`, `must be a string of at most ${limit} characters`);
  }
  return undefined;
}

const isInt = (value: unknown): boolean => Number.isSafeInteger(value);

function check(value: unknown, issuerToFill: string | undefined): ClaimIssue | undefined {
  if (!isRecord(value)) return issue('', 'the claims must be a JSON object');
  const extra = unknownKey(value, isClaimName);
  if (extra !== undefined) return issue(extra, 'is not an offer-token claim (unknown claims are refused)');
  const { iss, aud, sub, sid, oid, sku, price, qmax, jti, iat, nbf, exp, att } = value;
  if (issuerToFill === undefined) {
    if (typeof iss !== 'string') return issue('iss', 'must be a string');
    if (aud !== OFFER_TOKEN_AUDIENCE) return issue('aud', `must be "${OFFER_TOKEN_AUDIENCE}"`);
  } else {
    if (iss !== undefined && iss !== issuerToFill)
      return issue('iss', `is "${String(iss)}" but this signer issues as "${issuerToFill}"; leave it out`);
    if (aud !== undefined && aud !== OFFER_TOKEN_AUDIENCE)
      return issue('aud', `must be "${OFFER_TOKEN_AUDIENCE}" (or left out)`);
  }
  if (typeof sub !== 'string' || !BUYER_ID.test(sub))
    return issue('sub', 'must be a buyer id of 1 to 128 letters, digits or _ . : @ -');
  if (typeof sid !== 'string' || !SESSION_ID.test(sid))
    return issue('sid', `must be a session id starting with "${ID_PREFIXES.session}_"`);
  if (typeof oid !== 'string' || !OFFER_ID.test(oid))
    return issue('oid', `must be an offer id starting with "${ID_PREFIXES.offer}_"`);
  if (typeof sku !== 'string') return issue('sku', 'must be a string');
  const priceIssue = checkPrice(price);
  if (priceIssue) return priceIssue;
  if (!isInt(qmax) || (qmax as number) < 1) return issue('qmax', 'must be an integer of at least 1');
  if (typeof jti !== 'string' || !lengthBetween(jti, 16, 64))
    return issue('jti', 'must be a string of 16 to 64 characters');
  if (!isInt(iat)) return issue('iat', 'must be an integer (seconds since the epoch)');
  if (!isInt(nbf)) return issue('nbf', 'must be an integer (seconds since the epoch)');
  if (!isInt(exp)) return issue('exp', 'must be an integer (seconds since the epoch)');
  return att === undefined ? undefined : checkAttribution(att);
}

/**
 * Checks a value against the offer-token claims contract ({@link OfferTokenClaims}) without zod,
 * giving the same verdict as `OfferTokenClaims.safeParse` at a fraction of its cost: a strict
 * object (an unknown claim is refused), every claim present and of its type, integers where the
 * contract says integers. Returns the first issue, or `undefined` when the claims are valid.
 * @example
 * const issue = checkOfferTokenClaims(JSON.parse(payload));
 * if (issue) throw new Error(`claim ${issue.path} ${issue.message}`);
 */
export function checkOfferTokenClaims(value: unknown): ClaimIssue | undefined {
  return check(value, undefined);
}

/**
 * The same check for claims about to be signed, where `iss` and `aud` may be left out: when
 * present they must be `issuer` and the offer-token audience.
 */
export function checkClaimsToSign(value: unknown, issuer: string): ClaimIssue | undefined {
  return check(value, issuer);
}
