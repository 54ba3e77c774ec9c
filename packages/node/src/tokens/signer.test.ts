import { generateKeyPairSync } from 'node:crypto';
import { CURRENCY_CODES, OFFER_TOKEN_AUDIENCE, OfferTokenClaims } from '@livedrop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOfferTokenSigner, type OfferTokenSignClaims } from './signer';
import { createOfferTokenVerifier } from './verifier';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
// An issuer that needs escaping, so the pre-serialized prefix is exercised too.
const ISSUER = 'https://deals.example/"quoted"\\path/ü';
const signer = createOfferTokenSigner({ privateKey, kid: 'key_1', issuer: ISSUER });
const verifier = createOfferTokenVerifier({ publicKeys: new Map([['key_1', publicKey]]), issuer: ISSUER, now: 1_000 });

const text = (max: number, min = 0) =>
  fc
    .oneof(
      fc.string({ unit: 'binary', minLength: min, maxLength: max }),
      fc.string({ minLength: min, maxLength: max }),
      fc.constantFrom('"', '\\', '\u2028', '\ud800', '</script>', '\n\t\u0000'),
    )
    .filter((s) => Array.from(s).length >= min && Array.from(s).length <= max); // code points, as the contract counts
const safeInt = fc.oneof(fc.maxSafeInteger(), fc.constant(-0));

const validClaims: fc.Arbitrary<OfferTokenSignClaims> = fc.record(
  {
    sub: fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,128}$/),
    sid: fc.stringMatching(/^ses_[A-Za-z0-9]{1,64}$/),
    oid: fc.stringMatching(/^off_[A-Za-z0-9]{1,64}$/),
    sku: text(40),
    price: fc.record({
      amount: fc.oneof(fc.maxSafeNat(), fc.constant(-0)),
      currency: fc.constantFrom(...CURRENCY_CODES),
    }),
    qmax: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    jti: text(64, 16),
    iat: safeInt,
    nbf: safeInt,
    exp: safeInt,
    att: fc.record(
      { campaign: text(120), source: text(120), medium: text(120), referrer: text(500) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['sub', 'sid', 'oid', 'sku', 'price', 'qmax', 'jti', 'iat', 'nbf', 'exp'] },
);

const payloadText = (token: string) => Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');

describe('createOfferTokenSigner serialization', () => {
  it('writes exactly what JSON.stringify writes for the claims in contract order, for any valid claims', () => {
    fc.assert(
      fc.property(validClaims, (claims) => {
        const { sub, sid, oid, sku, price, qmax, jti, iat, nbf, exp, att } = claims;
        const canonical = {
          iss: ISSUER,
          aud: OFFER_TOKEN_AUDIENCE,
          sub,
          sid,
          oid,
          sku,
          price: { amount: price.amount, currency: price.currency },
          qmax,
          jti,
          iat,
          nbf,
          exp,
          ...(att === undefined ? {} : { att }),
        };
        expect(OfferTokenClaims.safeParse(canonical).success).toBe(true);
        const token = signer.sign(claims);
        expect(payloadText(token)).toBe(JSON.stringify(canonical));
        expect(OfferTokenClaims.safeParse(JSON.parse(payloadText(token))).success).toBe(true);
      }),
      { numRuns: 1_500 },
    );
  });

  it('writes price members in contract order whatever order they were given in', () => {
    const token = signer.sign({
      sub: 'b',
      sid: 'ses_a',
      oid: 'off_a',
      sku: '',
      price: { currency: 'JPY', amount: 5 },
      qmax: 1,
      jti: 'j'.repeat(16),
      iat: 1,
      nbf: 1,
      exp: 2,
    });
    expect(payloadText(token)).toContain('"price":{"amount":5,"currency":"JPY"}');
    expect(verifier.verify(token).price).toEqual({ amount: 5, currency: 'JPY' });
  });
});
