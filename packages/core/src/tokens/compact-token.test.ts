import { describe, expect, it } from 'vitest';
import { MAX_OFFER_TOKEN_LENGTH, readOfferTokenClaims, splitOfferToken, type CompactOfferToken } from './compact-token';
import { encodeOfferTokenHeader, OfferTokenHeaders } from './offer-token-header';
import type { OfferTokenRefusal, OfferTokenRefusalReason } from './offer-token-refusal';

// The rule does not check signatures (each verifier does, its own way): any canonical 64 bytes do here.
const SIGNATURE = Buffer.alloc(64, 7).toString('base64url');
const NOW = Date.parse('2026-11-25T18:00:00Z');
const nowSeconds = NOW / 1000;

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'https://livedrop.test',
  aud: 'livedrop:reservations',
  sub: 'buyer_42',
  sid: 'ses_abc',
  oid: 'off_abc',
  sku: 'SKU-1',
  price: { amount: 1999, currency: 'USD' },
  qmax: 2,
  jti: 'jti_0123456789abcdef',
  iat: nowSeconds - 10,
  nbf: nowSeconds - 10,
  exp: nowSeconds + 110,
  ...overrides,
});

const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const HEADER = { alg: 'EdDSA', kid: 'key_current', typ: 'offer+jwt' };
const token = (header: unknown = HEADER, payload: unknown = claims(), signature = SIGNATURE) =>
  `${b64url(header)}.${b64url(payload)}.${signature}`;

function split(text: unknown, headers = new OfferTokenHeaders(['key_current'])): CompactOfferToken | OfferTokenRefusal {
  return splitOfferToken(text, headers);
}

function reasonOf(result: { ok: boolean; reason?: OfferTokenRefusalReason }): OfferTokenRefusalReason | 'ok' {
  return result.ok ? 'ok' : result.reason!;
}

/** Splits and reads in one go, as a verifier whose signature check passed would. */
function verdict(
  text: string,
  options: { now?: number; clockToleranceSeconds?: number; issuer?: string } = {},
): OfferTokenRefusalReason | 'ok' {
  const parts = split(text);
  if (!parts.ok) return parts.reason;
  return reasonOf(readOfferTokenClaims(parts.payload, { now: NOW, ...options }));
}

/** Changes the last character of a base64url part to a sibling that decodes to the same bytes (a stray low bit). */
function strayBit(part: string): string {
  const last = part.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return part.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1]!;
}

describe('splitOfferToken', () => {
  it('splits a good token into its kid, signing input, payload and signature', () => {
    const text = token();
    const parts = split(text);
    expect(parts).toEqual({
      ok: true,
      kid: 'key_current',
      signingInput: text.slice(0, text.lastIndexOf('.')),
      payload: b64url(claims()),
      signature: SIGNATURE,
    });
  });

  it.each<[string, unknown]>([
    ['alg none', { ...HEADER, alg: 'none' }],
    ['alg HS256', { ...HEADER, alg: 'HS256' }],
    ['alg ES256', { ...HEADER, alg: 'ES256' }],
    ['alg "eddsa"', { ...HEADER, alg: 'eddsa' }],
    ['no alg', { kid: 'key_current', typ: 'offer+jwt' }],
    ['typ JWT', { ...HEADER, typ: 'JWT' }],
    ['typ application/offer+jwt', { ...HEADER, typ: 'application/offer+jwt' }],
    ['no typ', { alg: 'EdDSA', kid: 'key_current' }],
    ['no kid', { alg: 'EdDSA', typ: 'offer+jwt' }],
    ['a numeric kid', { ...HEADER, kid: 1 }],
    ['an extra jku', { ...HEADER, jku: 'https://evil.test/jwks.json' }],
    ['an extra jwk', { ...HEADER, jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }],
    ['crit', { ...HEADER, crit: ['exp'] }],
    ['a JSON array', [HEADER]],
    ['null', null],
    ['not JSON', '{"alg":"EdDSA",'],
  ])('refuses a header with %s', (_name, header) => {
    expect(reasonOf(split(token(header)))).toBe('header');
  });

  it('names the refused algorithm and the missing kid', () => {
    expect(split(token({ ...HEADER, alg: 'HS256' }))).toMatchObject({
      reason: 'header',
      detail: expect.stringContaining('alg "HS256"; only "EdDSA"'),
    });
    expect(split(token({ ...HEADER, alg: 'none' }))).toMatchObject({ detail: expect.stringContaining('"none"') });
    expect(split(token({ alg: 'EdDSA', typ: 'offer+jwt' }))).toMatchObject({
      detail: expect.stringContaining('no kid'),
    });
  });

  it('refuses a token longer than the cap before reading it, and honours another cap', () => {
    const huge = token(HEADER, claims({ sku: 'x'.repeat(MAX_OFFER_TOKEN_LENGTH) }));
    expect(reasonOf(split(huge))).toBe('too_long');
    expect(reasonOf(split('A'.repeat(1_000_000)))).toBe('too_long');
    const good = token();
    expect(reasonOf(splitOfferToken(good, new OfferTokenHeaders(), good.length))).toBe('ok');
    expect(reasonOf(splitOfferToken(good, new OfferTokenHeaders(), good.length - 1))).toBe('too_long');
  });

  it('refuses any spelling that is not three canonical base64url parts', () => {
    const good = token();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const cases: [string, OfferTokenRefusalReason][] = [
      ['', 'not_compact'],
      ['not-a-token', 'not_compact'],
      ['..', 'not_compact'],
      [`.${payload}.${signature}`, 'not_compact'],
      [`${header}..${signature}`, 'not_compact'],
      [`${header}.${payload}`, 'not_compact'],
      [`${header}.${payload}.`, 'signature_encoding'],
      [`${good}.x`, 'signature_encoding'],
      [`${good}==`, 'signature_encoding'],
      [`${header}.${payload}.${strayBit(signature)}`, 'signature_encoding'],
      [`${header}.${payload}.${signature.slice(0, -2)}`, 'signature_encoding'],
      [`${header}.${payload}.${signature.replace(/-/g, '+').replace(/_/g, '/')}A+`, 'signature_encoding'],
      [` ${good}`, 'not_compact'],
      [`${header}.${payload}=.${signature}`, 'not_compact'],
      [`${header}.${payload.slice(0, 9)}!${payload.slice(10)}.${signature}`, 'not_compact'],
      [
        `${header}.${payload.slice(0, 9)}${String.fromCharCode(payload.charCodeAt(9) + 0x100)}${payload.slice(10)}.${signature}`,
        'not_compact',
      ],
      [`${header}=.${payload}.${signature}`, 'not_compact'],
      [`${b64url('{"alg":"EdDSA"')}.${payload}.${signature}`, 'header'],
      ['👀.👀.👀', 'not_compact'],
    ];
    for (const [text, reason] of cases) expect(reasonOf(split(text)), JSON.stringify(text.slice(0, 40))).toBe(reason);
    expect(reasonOf(split(undefined))).toBe('not_compact');
    expect(reasonOf(split(42))).toBe('not_compact');
  });

  it('refuses a payload or header spelt with a stray low bit, though it decodes to the same bytes', () => {
    // A payload whose base64url ends mid-group, so its last character carries unused bits.
    let payloadText = JSON.stringify(claims());
    while (payloadText.length % 3 === 0)
      payloadText = JSON.stringify(claims({ sku: `${'x'.repeat(payloadText.length % 7)}SKU` }));
    const payload = b64url(payloadText);
    expect(Buffer.from(strayBit(payload), 'base64url')).toEqual(Buffer.from(payload, 'base64url'));
    expect(reasonOf(split(`${b64url(HEADER)}.${payload}.${SIGNATURE}`))).toBe('ok');
    expect(reasonOf(split(`${b64url(HEADER)}.${strayBit(payload)}.${SIGNATURE}`))).toBe('not_compact');
    const header = b64url({ ...HEADER, kid: 'key_x' });
    expect(header.length % 4).not.toBe(0);
    expect(reasonOf(split(`${header}.${payload}.${SIGNATURE}`))).toBe('ok');
    expect(reasonOf(split(`${strayBit(header)}.${payload}.${SIGNATURE}`))).toBe('not_compact');
  });
});

describe('OfferTokenHeaders', () => {
  it('encodes the pinned header in contract order, once per kid', () => {
    expect(encodeOfferTokenHeader('key_1')).toBe(b64url('{"alg":"EdDSA","kid":"key_1","typ":"offer+jwt"}'));
    expect(encodeOfferTokenHeader('k"\\ü')).toBe(
      b64url(JSON.stringify({ alg: 'EdDSA', kid: 'k"\\ü', typ: 'offer+jwt' })),
    );
    const headers = new OfferTokenHeaders();
    expect(headers.encode('key_1')).toBe(encodeOfferTokenHeader('key_1'));
    expect(headers.encode('key_1')).toBe(headers.encode('key_1'));
  });

  it('reads registered and unregistered kids alike, and other spellings of the exact header', () => {
    const headers = new OfferTokenHeaders(['key_current']);
    expect(headers.read(encodeOfferTokenHeader('key_current'))).toBe('key_current');
    expect(headers.read(encodeOfferTokenHeader('key_other'))).toBe('key_other');
    expect(headers.read(b64url('{ "typ":"offer+jwt", "kid":"key_current", "alg":"EdDSA" }'))).toBe('key_current');
    expect(headers.read(b64url('{"alg":"EdDSA","kid":"key_current","typ":"offer+jwt","x":1}'))).toMatchObject({
      ok: false,
      reason: 'header',
    });
    expect(headers.read(b64url(`{"alg":"EdDSA","kid":"${'k'.repeat(600)}","typ":"offer+jwt"}`))).toMatchObject({
      ok: false,
      reason: 'header',
    });
  });
});

describe('readOfferTokenClaims', () => {
  const read = (payload: unknown, options: { now?: number; clockToleranceSeconds?: number; issuer?: string } = {}) =>
    reasonOf(readOfferTokenClaims(b64url(payload), { now: NOW, ...options }));

  it('returns the claims of a good token', () => {
    expect(readOfferTokenClaims(b64url(claims()), { now: NOW })).toEqual({ ok: true, claims: claims() });
  });

  it('holds nbf and exp to the clock tolerance, 5 s by default, exclusive at exp', () => {
    expect(read(claims({ exp: nowSeconds - 4 }))).toBe('ok');
    expect(read(claims({ exp: nowSeconds - 5 }))).toBe('expired');
    expect(read(claims({ exp: nowSeconds - 6 }))).toBe('expired');
    expect(read(claims({ exp: nowSeconds - 4 }), { clockToleranceSeconds: 0 })).toBe('expired');
    expect(read(claims({ exp: nowSeconds + 1 }), { clockToleranceSeconds: 0 })).toBe('ok');
    expect(read(claims({ exp: nowSeconds }), { clockToleranceSeconds: 0 })).toBe('expired');
    expect(read(claims({ exp: nowSeconds + 20 }), { clockToleranceSeconds: 30, now: NOW + 49_999 })).toBe('ok');
    expect(read(claims({ exp: nowSeconds + 20 }), { clockToleranceSeconds: 30, now: NOW + 50_000 })).toBe('expired');

    expect(read(claims({ nbf: nowSeconds + 5 }))).toBe('ok');
    expect(read(claims({ nbf: nowSeconds + 6 }))).toBe('not_yet_valid');
    expect(read(claims({ nbf: nowSeconds + 1 }), { clockToleranceSeconds: 0 })).toBe('not_yet_valid');
    expect(read(claims({ nbf: nowSeconds }), { clockToleranceSeconds: 0 })).toBe('ok');
    // Milliseconds do not count: the window is in whole seconds, as jose has it.
    expect(read(claims({ nbf: nowSeconds + 1 }), { clockToleranceSeconds: 0, now: NOW + 999 })).toBe('not_yet_valid');
    expect(read(claims({ nbf: nowSeconds + 1 }), { clockToleranceSeconds: 0, now: NOW + 1000 })).toBe('ok');
  });

  it('reports expiry before a bad claim, and a non-numeric nbf before expiry', () => {
    expect(read(claims({ exp: nowSeconds - 60, qmax: 0 }))).toBe('expired');
    expect(read(claims({ exp: nowSeconds - 60, nbf: 'soon' }))).toBe('claims');
  });

  it('refuses another issuer or audience, and claims outside the contract', () => {
    expect(read(claims(), { issuer: 'https://livedrop.test' })).toBe('ok');
    expect(read(claims(), { issuer: 'https://elsewhere.test' })).toBe('issuer');
    expect(read(claims({ aud: 'livedrop:payments' }))).toBe('audience');
    expect(read(claims({ aud: ['livedrop:reservations'] }))).toBe('audience');
    expect(read(claims({ admin: true }))).toBe('claims');
    expect(readOfferTokenClaims(b64url(claims({ qmax: 1.5 })), { now: NOW })).toMatchObject({
      reason: 'claims',
      detail: expect.stringContaining('"qmax"'),
    });
    expect(read(`{"__proto__":{"admin":true},${JSON.stringify(claims()).slice(1)}`)).toBe('claims');
  });

  it('refuses a payload that is not base64url UTF-8 JSON of an object', () => {
    expect(read('not json')).toBe('payload');
    expect(read([claims()])).toBe('payload');
    expect(read('null')).toBe('payload');
    expect(read('')).toBe('payload');
    expect(reasonOf(readOfferTokenClaims(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'), { now: NOW }))).toBe(
      'payload',
    );
  });

  it('reads through a platform decoder when given one', () => {
    const seen: string[] = [];
    const decode = (payload: string) => {
      seen.push(payload);
      return new Uint8Array(Buffer.from(payload, 'base64url'));
    };
    expect(readOfferTokenClaims(b64url(claims()), { now: NOW, decode }).ok).toBe(true);
    expect(seen).toEqual([b64url(claims())]);
  });
});

describe('the rule end to end', () => {
  it('accepts a good token and refuses each hostile one with its reason', () => {
    expect(verdict(token())).toBe('ok');
    // The header is refused first, so an unsigned `alg: none` token never gets as far as its signature.
    expect(verdict(token({ ...HEADER, alg: 'none' }, claims(), ''))).toBe('header');
    expect(verdict(token({ ...HEADER, alg: 'none' }))).toBe('header');
    expect(verdict(token({ ...HEADER, alg: 'HS256' }))).toBe('header');
    expect(verdict(token(HEADER, claims({ exp: nowSeconds - 6 })))).toBe('expired');
    expect(verdict(token(HEADER, claims({ nbf: nowSeconds + 6 })))).toBe('not_yet_valid');
    expect(verdict(token(HEADER, claims({ sku: 'x'.repeat(5_000) })))).toBe('too_long');
  });
});
