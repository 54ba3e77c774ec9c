import { OfferTokenClaims } from '../schemas/token';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOfferTokenClaims } from './claims';

const valid = {
  iss: '/livedrop/reference',
  aud: 'livedrop:reservations',
  sub: 'buyer_42',
  sid: 'ses_abc',
  oid: 'off_abc',
  sku: 'SKU-1',
  price: { amount: 1999, currency: 'USD' },
  qmax: 2,
  jti: 'jti_0123456789abcdef',
  iat: 1_795_629_600,
  nbf: 1_795_629_600,
  exp: 1_795_629_720,
  att: { campaign: 'spring', referrer: 'https://creator.example' },
};

const DROP = Symbol('drop');
const ints = [0, -0, 1, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY, '1'];

/** Each claim's boundaries: the values either side of every line the contract draws. */
const BOUNDARIES: Record<string, readonly unknown[]> = {
  iss: ['', 'https://elsewhere.test', 1],
  aud: ['livedrop:other', ['livedrop:reservations'], 'LIVEDROP:RESERVATIONS'],
  sub: ['', 'b'.repeat(128), 'b'.repeat(129), 'buyer 1', 'a@b.c:d-e_f', 'büyer'],
  sid: ['ses_', 'ses_a', `ses_${'a'.repeat(64)}`, `ses_${'a'.repeat(65)}`, 'off_abc', 'ses_a-b', 'SES_abc'],
  oid: ['off_', 'off_a', `off_${'a'.repeat(64)}`, `off_${'a'.repeat(65)}`, 'ses_abc', 'off_a_b'],
  sku: ['', 7, 'x'.repeat(10_000), '\ud800'],
  qmax: [...ints, 1000],
  // zod counts code points: '𐀀' is two UTF-16 units but one character.
  jti: [
    'j'.repeat(15),
    'j'.repeat(16),
    'j'.repeat(64),
    'j'.repeat(65),
    16,
    '𐀀'.repeat(8),
    '𐀀'.repeat(15),
    '𐀀'.repeat(16),
    '𐀀'.repeat(64),
    '𐀀'.repeat(65),
    `${'j'.repeat(14)}𐀀`,
    `${'j'.repeat(15)}\ud800`,
    `${'j'.repeat(62)}\ud800\udc00\udc00`,
  ],
  iat: ints,
  nbf: ints,
  exp: ints,
  price: [{}, { amount: 1 }, { amount: 1, currency: 'USD', tax: 0 }, [1999, 'USD'], 'USD 19.99'],
  att: [
    {},
    { campaign: 'c'.repeat(120) },
    { campaign: 'c'.repeat(121) },
    { referrer: 'r'.repeat(500) },
    { referrer: 'r'.repeat(501) },
    { medium: 1 },
    { term: 'x' },
    'spring',
  ],
  'price.amount': [...ints, 199_999_999],
  'price.currency': ['JPY', 'KWD', 'usd', 'XXX', 'toString', '__proto__', ''],
  'att.campaign': [
    '',
    'c'.repeat(120),
    'c'.repeat(121),
    null,
    undefined,
    '𐀀'.repeat(120),
    '𐀀'.repeat(121),
    `${'c'.repeat(119)}\ud83d`,
  ],
  'att.source': ['s'.repeat(120), 's'.repeat(121)],
  'att.medium': ['m'.repeat(120), 'm'.repeat(121), 3],
  'att.referrer': ['r'.repeat(500), 'r'.repeat(501), '🙂'.repeat(500), '🙂'.repeat(501)],
  'price.tax': [0],
  'att.term': ['x', undefined],
  admin: [true, undefined],
  ['__proto__']: [{ admin: true }, null],
  constructor: ['x'],
};

const anyValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom<unknown>(null, undefined, true, [], {}),
);
const edit = fc
  .constantFrom(...Object.keys(BOUNDARIES))
  .chain((path) =>
    fc.tuple(
      fc.constant(path),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...BOUNDARIES[path]!) },
        { weight: 1, arbitrary: anyValue },
        { weight: 1, arbitrary: fc.constant(DROP) },
      ),
    ),
  );

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === DROP) delete target[key];
  // defineProperty, so that `__proto__` becomes an own key as JSON.parse would make it.
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyEdits(edits: [string, unknown][]): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...valid, price: { ...valid.price }, att: { ...valid.att } };
  for (const [path, edited] of edits) {
    // A copy: the arbitraries hand out the same `{}` and `[]` every run, and a later edit would
    // change it for good (or set it into itself: `price` = {} then `price.tax` = that same {}).
    const value = typeof edited === 'object' && edited !== null ? structuredClone(edited) : edited;
    const [head, tail] = path.split('.') as [string, string | undefined];
    const parent = claims[head];
    if (tail === undefined) setOwn(claims, head, value);
    else if (typeof parent === 'object' && parent !== null) setOwn(parent as Record<string, unknown>, tail, value);
  }
  return claims;
}

/** Mostly one edit (so each boundary decides the verdict alone), sometimes none or two. */
const claimsArbitrary = fc.array(edit, { maxLength: 2 }).map(applyEdits);

describe('checkOfferTokenClaims', () => {
  it('accepts the contract and names the claim it refuses', () => {
    expect(checkOfferTokenClaims(valid)).toBeUndefined();
    expect(checkOfferTokenClaims({ ...valid, att: undefined })).toBeUndefined();
    expect(checkOfferTokenClaims({ ...valid, qmax: 0 })?.path).toBe('qmax');
    expect(checkOfferTokenClaims({ ...valid, qmax: 1.5 })?.path).toBe('qmax');
    expect(checkOfferTokenClaims({ ...valid, oid: 'ses_abc' })?.path).toBe('oid');
    expect(checkOfferTokenClaims({ ...valid, price: { amount: 19.99, currency: 'USD' } })?.path).toBe('price.amount');
    expect(checkOfferTokenClaims({ ...valid, price: { amount: 1, currency: 'toString' } })?.path).toBe(
      'price.currency',
    );
    expect(checkOfferTokenClaims({ ...valid, admin: true })).toEqual({
      path: 'admin',
      message: expect.stringContaining('unknown claims are refused'),
    });
    expect(
      checkOfferTokenClaims(JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`))?.path,
    ).toBe('__proto__');
    expect(checkOfferTokenClaims({ ...valid, att: { constructor: 'x' } })?.path).toBe('att.constructor');
    expect(checkOfferTokenClaims([valid])?.path).toBe('');
  });

  it('gives the same verdict as core’s zod schema, over 20,000 claim sets at the contract’s boundaries', () => {
    let accepted = 0;
    fc.assert(
      fc.property(claimsArbitrary, (claims) => {
        const zod = OfferTokenClaims.safeParse(claims).success;
        const ours = checkOfferTokenClaims(claims) === undefined;
        if (ours) accepted++;
        expect(ours, JSON.stringify(claims)).toBe(zod);
      }),
      { numRuns: 20_000 },
    );
    // Both verdicts must be exercised, or the property proves nothing.
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(19_000);
  });
});
