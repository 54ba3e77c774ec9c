import { OfferTokenClaims } from '@livedrop/core';
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

const KEEP = Symbol('keep');
const DROP = Symbol('drop');

/** Values near every boundary the contract draws, plus arbitrary junk. */
const edgeValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    'ses_abc',
    'off_abc',
    'ses_',
    `off_${'a'.repeat(64)}`,
    `off_${'a'.repeat(65)}`,
    'off_ab-c',
    'buyer_1',
    'buyer 1',
    'b'.repeat(128),
    'b'.repeat(129),
    'j'.repeat(15),
    'j'.repeat(16),
    'j'.repeat(64),
    'j'.repeat(65),
    'USD',
    'usd',
    'JPY',
    'toString',
    '__proto__',
    'livedrop:reservations',
    'livedrop:other',
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    [],
    ['livedrop:reservations'],
    {},
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.dictionary(fc.constantFrom('amount', 'currency', 'campaign', 'source', 'medium', 'referrer', 'x'), fc.oneof(fc.string({ maxLength: 130 }), fc.integer({ min: -2, max: 5000 }), fc.constant('USD'))),
);

const mutation = fc.oneof({ weight: 24, arbitrary: fc.constant<typeof KEEP>(KEEP) }, { weight: 1, arbitrary: fc.constant<typeof DROP>(DROP) }, { weight: 2, arbitrary: edgeValue });

function mutate(base: Record<string, unknown>, changes: Record<string, unknown>, extra: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    const change = changes[key];
    if (change === DROP) continue;
    out[key] = change === KEEP ? value : change;
  }
  // defineProperty, so that `__proto__` becomes an own key as JSON.parse would make it.
  for (const [key, value] of extra) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const changesFor = (base: Record<string, unknown>) => fc.record(Object.fromEntries(Object.keys(base).map((key) => [key, mutation])));
const extraKeys = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'admin', 'scope', 'toString'), edgeValue), { maxLength: 1 }).map((pairs) => (pairs.length > 0 && Math.random() < 0.5 ? pairs : []));

const claimsArbitrary = fc
  .tuple(changesFor(valid), changesFor(valid.price), changesFor(valid.att), fc.array(fc.tuple(fc.constantFrom('__proto__', 'admin', 'scope'), edgeValue), { maxLength: 1 }), fc.nat(9))
  .map(([top, price, att, extra, coin]) => {
    const claims = mutate({ ...valid, price: mutate(valid.price, price, []), att: mutate(valid.att, att, []) }, top, coin < 3 ? extra : []);
    return claims;
  });

describe('checkOfferTokenClaims', () => {
  it('accepts the contract and names the claim it refuses', () => {
    expect(checkOfferTokenClaims(valid)).toBeUndefined();
    expect(checkOfferTokenClaims({ ...valid, att: undefined })).toBeUndefined();
    expect(checkOfferTokenClaims({ ...valid, qmax: 0 })?.path).toBe('qmax');
    expect(checkOfferTokenClaims({ ...valid, qmax: 1.5 })?.path).toBe('qmax');
    expect(checkOfferTokenClaims({ ...valid, oid: 'ses_abc' })?.path).toBe('oid');
    expect(checkOfferTokenClaims({ ...valid, price: { amount: 19.99, currency: 'USD' } })?.path).toBe('price.amount');
    expect(checkOfferTokenClaims({ ...valid, price: { amount: 1, currency: 'toString' } })?.path).toBe('price.currency');
    expect(checkOfferTokenClaims({ ...valid, admin: true })).toEqual({ path: 'admin', message: expect.stringContaining('unknown claims are refused') });
    expect(checkOfferTokenClaims(JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`))?.path).toBe('__proto__');
    expect(checkOfferTokenClaims({ ...valid, att: { constructor: 'x' } })?.path).toBe('att.constructor');
    expect(checkOfferTokenClaims([valid])?.path).toBe('');
  });

  it('gives the same verdict as core’s zod schema, over 20,000 mutated claim sets', () => {
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
