import { KeyObject, sign as ed25519Sign } from 'node:crypto';
import {
  TokenVerificationError,
  verifyOfferToken,
  type Jwks,
  type OfferTokenClaims,
  type TokenVerificationCode,
} from '@livedrop/core';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOfferTokenSigner } from './signer';
import { createOfferTokenVerifier, type OfferTokenVerifierOptions } from './verifier';

const NOW = Date.parse('2026-11-25T18:00:00Z');
const nowSeconds = NOW / 1000;
const ISSUER = 'https://livedrop.test';

let privateKey: CryptoKey;
let privateKeyObject: KeyObject;
let otherPrivateKey: CryptoKey;
let previousPrivateKey: CryptoKey;
let jwks: Jwks;

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
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

const claimsWithout = (name: string): JWTPayload =>
  Object.fromEntries(Object.entries(claims()).filter(([key]) => key !== name));

/** Signs with jose, as any third party would. */
function joseSign(
  payload: JWTPayload,
  header: Record<string, unknown> = {},
  key: CryptoKey | Uint8Array = privateKey,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'key_current', typ: 'offer+jwt', ...header })
    .sign(key);
}

const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token with exactly this header and payload text, Ed25519-signed by the current key: for shapes jose will not produce. */
function craft(header: unknown, payload: unknown): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${ed25519Sign(null, Buffer.from(input), privateKeyObject).toString('base64url')}`;
}

/** Signs exactly these segments, whatever characters they hold. */
function signSegments(header: string, payload: string): string {
  return `${header}.${payload}.${ed25519Sign(null, Buffer.from(`${header}.${payload}`), privateKeyObject).toString('base64url')}`;
}

const HEADER = { alg: 'EdDSA', kid: 'key_current', typ: 'offer+jwt' };

type Outcome = 'ok' | TokenVerificationCode;

function outcomeOf(error: unknown): Outcome {
  if (error instanceof TokenVerificationError) return error.code;
  throw error;
}

type Options = Pick<OfferTokenVerifierOptions, 'issuer' | 'clockToleranceSeconds'>;

async function ours(token: string, options: Options = {}): Promise<Outcome> {
  try {
    createOfferTokenVerifier({ jwks, now: NOW, ...options }).verify(token);
    return 'ok';
  } catch (error) {
    return outcomeOf(error);
  }
}

async function core(token: string, options: Options = {}): Promise<Outcome> {
  return verifyOfferToken(token, { jwks, now: NOW, ...options }).then(
    () => 'ok' as const,
    (error: unknown) => outcomeOf(error),
  );
}

interface Case {
  readonly name: string;
  readonly token: () => string | Promise<string>;
  readonly expected: Outcome;
  readonly options?: Options;
}

const good = () => joseSign(claims());
const flipMiddle = (segment: string) => {
  const i = segment.length >> 1;
  return segment.slice(0, i) + (segment[i] === 'A' ? 'B' : 'A') + segment.slice(i + 1);
};

const CASES: Case[] = [
  { name: 'a good token signed by jose', token: good, expected: 'ok' },
  { name: 'a good token with its issuer pinned', token: good, options: { issuer: ISSUER }, expected: 'ok' },
  {
    name: 'a header with its members reordered and spaced',
    token: () => craft('{ "typ":"offer+jwt", "kid":"key_current", "alg":"EdDSA" }', claims()),
    expected: 'ok',
  },
  {
    name: 'exp 4 s ago, inside the 5 s tolerance',
    token: () => joseSign(claims({ exp: nowSeconds - 4 })),
    expected: 'ok',
  },
  {
    name: 'nbf 5 s ahead, at the edge of the tolerance',
    token: () => joseSign(claims({ nbf: nowSeconds + 5 })),
    expected: 'ok',
  },

  {
    name: 'alg none, unsigned',
    token: () => `${b64url({ ...HEADER, alg: 'none' })}.${b64url(claims())}.`,
    expected: 'token_invalid',
  },
  {
    name: 'alg none, with a real signature attached',
    token: async () => `${b64url({ ...HEADER, alg: 'none' })}.${b64url(claims())}.${(await good()).split('.')[2]}`,
    expected: 'token_invalid',
  },
  {
    name: 'HS256 signed with the public key (algorithm confusion)',
    token: () => joseSign(claims(), { alg: 'HS256' }, new TextEncoder().encode(jwks.keys[0]!.x)),
    expected: 'token_invalid',
  },
  {
    name: 'ES256 from another key pair',
    token: async () => joseSign(claims(), { alg: 'ES256' }, (await generateKeyPair('ES256')).privateKey),
    expected: 'token_invalid',
  },
  {
    name: 'alg EdDSA spelled "eddsa"',
    token: () => craft({ ...HEADER, alg: 'eddsa' }, claims()),
    expected: 'token_invalid',
  },
  { name: 'typ JWT', token: () => joseSign(claims(), { typ: 'JWT' }), expected: 'token_invalid' },
  {
    name: 'typ missing',
    token: () => craft({ alg: 'EdDSA', kid: 'key_current' }, claims()),
    expected: 'token_invalid',
  },
  {
    name: 'typ application/offer+jwt (jose normalises it; the contract does not)',
    token: () => joseSign(claims(), { typ: 'application/offer+jwt' }),
    expected: 'token_invalid',
  },
  {
    name: 'an extra header member (jku)',
    token: () => joseSign(claims(), { jku: 'https://evil.test/jwks.json' }),
    expected: 'token_invalid',
  },
  { name: 'a crit header', token: () => craft({ ...HEADER, crit: ['exp'] }, claims()), expected: 'token_invalid' },
  { name: 'kid missing', token: () => craft({ alg: 'EdDSA', typ: 'offer+jwt' }, claims()), expected: 'token_invalid' },
  { name: 'kid not a string', token: () => craft({ ...HEADER, kid: 1 }, claims()), expected: 'token_invalid' },
  { name: 'an unknown kid', token: () => joseSign(claims(), { kid: 'key_unknown' }), expected: 'token_invalid' },
  {
    name: 'signed by another key under a known kid',
    token: () => joseSign(claims(), {}, otherPrivateKey),
    expected: 'token_invalid',
  },
  {
    name: 'the header swapped to the other known kid',
    token: async () => (await joseSign(claims(), {}, previousPrivateKey)).replace(/^[^.]+/, b64url(HEADER)),
    expected: 'token_invalid',
  },
  {
    name: 'tampered claims (qmax raised)',
    token: async () => {
      const [header, , signature] = (await good()).split('.');
      return `${header}.${b64url(claims({ qmax: 1000 }))}.${signature}`;
    },
    expected: 'token_invalid',
  },
  {
    name: 'a tampered signature',
    token: async () => {
      const [header, payload, signature] = (await good()).split('.') as [string, string, string];
      return `${header}.${payload}.${flipMiddle(signature)}`;
    },
    expected: 'token_invalid',
  },
  { name: 'a wrong audience', token: () => joseSign(claims({ aud: 'livedrop:other' })), expected: 'token_invalid' },
  {
    name: 'an audience array holding the right one',
    token: () => joseSign(claims({ aud: ['livedrop:reservations', 'other'] })),
    expected: 'token_invalid',
  },
  { name: 'no audience', token: () => joseSign(claimsWithout('aud')), expected: 'token_invalid' },
  {
    name: 'another issuer than the pinned one',
    token: good,
    options: { issuer: 'https://elsewhere.test' },
    expected: 'token_invalid',
  },
  {
    name: 'not yet valid (nbf 60 s ahead)',
    token: () => joseSign(claims({ nbf: nowSeconds + 60 })),
    expected: 'token_invalid',
  },
  {
    name: 'not yet valid (nbf 6 s ahead)',
    token: () => joseSign(claims({ nbf: nowSeconds + 6 })),
    expected: 'token_invalid',
  },
  { name: 'an unknown claim', token: () => joseSign(claims({ admin: true })), expected: 'token_invalid' },
  {
    name: 'a __proto__ claim',
    token: () => craft(HEADER, `{"__proto__":{"admin":true},${JSON.stringify(claims()).slice(1)}`),
    expected: 'token_invalid',
  },
  { name: 'qmax 0', token: () => joseSign(claims({ qmax: 0 })), expected: 'token_invalid' },
  { name: 'a fractional qmax', token: () => joseSign(claims({ qmax: 1.5 })), expected: 'token_invalid' },
  {
    name: 'a fractional price',
    token: () => joseSign(claims({ price: { amount: 19.99, currency: 'USD' } })),
    expected: 'token_invalid',
  },
  {
    name: 'an oid of the wrong kind',
    token: () => joseSign(claims({ oid: 'ses_wrongkind' })),
    expected: 'token_invalid',
  },
  { name: 'no jti', token: () => joseSign(claimsWithout('jti')), expected: 'token_invalid' },
  {
    name: 'a string exp',
    token: () => joseSign(claims({ exp: String(nowSeconds + 60) as unknown as number })),
    expected: 'token_invalid',
  },
  { name: 'claims that are a JSON array', token: () => craft(HEADER, [claims()]), expected: 'token_invalid' },
  { name: 'a payload that is not JSON', token: () => craft(HEADER, 'not json'), expected: 'token_invalid' },
  {
    name: 'a signed payload with a character outside base64url',
    token: () => {
      const payload = b64url(claims());
      return signSegments(b64url(HEADER), `${payload.slice(0, 10)}!${payload.slice(10)}`);
    },
    expected: 'token_invalid',
  },
  {
    name: 'a payload character swapped for a non-ASCII one with the same low byte (latin1 aliasing)',
    token: async () => {
      const [header, payload, signature] = (await good()).split('.') as [string, string, string];
      return `${header}.${payload.slice(0, 5)}${String.fromCharCode(payload.charCodeAt(5) + 0x100)}${payload.slice(6)}.${signature}`;
    },
    expected: 'token_invalid',
  },
  { name: 'an empty payload', token: () => signSegments(b64url(HEADER), ''), expected: 'token_invalid' },
  { name: 'a header that is not JSON', token: () => craft('{"alg":"EdDSA",', claims()), expected: 'token_invalid' },

  { name: 'expired 6 s ago', token: () => joseSign(claims({ exp: nowSeconds - 6 })), expected: 'token_expired' },
  {
    name: 'expired exactly at the tolerance',
    token: () => joseSign(claims({ exp: nowSeconds - 5 })),
    expected: 'token_expired',
  },
  {
    name: 'expired 4 s ago with no tolerance',
    token: () => joseSign(claims({ exp: nowSeconds - 4 })),
    options: { clockToleranceSeconds: 0 },
    expected: 'token_expired',
  },
  {
    name: 'expired and with a bad claim: expiry is reported first, as jose does',
    token: () => joseSign(claims({ exp: nowSeconds - 60, qmax: 0 })),
    expected: 'token_expired',
  },
  {
    name: 'expired but with a non-numeric nbf: the nbf fails first',
    token: () => joseSign(claims({ exp: nowSeconds - 60, nbf: 'soon' as unknown as number })),
    expected: 'token_invalid',
  },

  { name: 'garbage', token: () => 'not-a-token', expected: 'token_invalid' },
  { name: 'an empty string', token: () => '', expected: 'token_invalid' },
  { name: 'three dots', token: () => '...', expected: 'token_invalid' },
  { name: 'three short parts', token: () => 'a.b.c', expected: 'token_invalid' },
  { name: 'four parts', token: async () => `${await good()}.x`, expected: 'token_invalid' },
  { name: 'surrounding whitespace', token: async () => ` ${await good()}\n`, expected: 'token_invalid' },
  {
    name: 'a padded signature',
    token: async () => `${await good()}==`,
    expected: 'token_invalid',
  },
  { name: 'a JSON body instead of a token', token: () => JSON.stringify(claims()), expected: 'token_invalid' },
  {
    name: 'a signature spelled non-canonically (same bytes)',
    token: async () => {
      const token = await good();
      const last = token.at(-1)!;
      const sibling = 'AQgw'.includes(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : last;
      return token.slice(0, -1) + sibling;
    },
    expected: 'token_invalid',
  },
  {
    name: 'oversized (a validly signed 10 kB token)',
    token: () => joseSign(claims({ sku: 'x'.repeat(10_000) })),
    expected: 'token_invalid',
  },
];

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateKey = pair.privateKey;
  privateKeyObject = KeyObject.from(privateKey);
  otherPrivateKey = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
  const previous = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  previousPrivateKey = previous.privateKey;
  const jwk = await exportJWK(pair.publicKey);
  const previousJwk = await exportJWK(previous.publicKey);
  jwks = {
    keys: [
      { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid: 'key_current', alg: 'EdDSA', use: 'sig' },
      { kty: 'OKP', crv: 'Ed25519', x: previousJwk.x!, kid: 'key_previous', alg: 'EdDSA', use: 'sig' },
    ],
  };
});

// One offer-token rule in core: node:crypto here and WebCrypto in core give the same answer for every token.
describe('createOfferTokenVerifier: the hostile-token table, side by side with core’s WebCrypto path', () => {
  it.each(CASES)('$name → $expected', async ({ token: make, expected, options }) => {
    const token = await make();
    expect(await ours(token, options)).toBe(expected);
    expect(await core(token, options)).toBe(expected);
  });
});

describe('createOfferTokenVerifier', () => {
  it('returns the claims, equal to what core returns', async () => {
    const token = await good();
    const verified = createOfferTokenVerifier({ jwks, now: NOW, issuer: ISSUER }).verify(token);
    expect(verified).toEqual(await verifyOfferToken(token, { jwks, now: NOW }));
    expect(verified).toMatchObject({
      sub: 'buyer_42',
      oid: 'off_abc',
      qmax: 2,
      price: { amount: 1999, currency: 'USD' },
    });
  });

  it('names what is wrong', async () => {
    const verifier = createOfferTokenVerifier({ jwks, now: NOW });
    const refusal = (token: string) => {
      try {
        verifier.verify(token);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(await joseSign(claims({ qmax: 0 })))).toContain('"qmax"');
    expect(refusal(await joseSign(claims(), { alg: 'HS256' }, new TextEncoder().encode('secret')))).toContain(
      'only "EdDSA"',
    );
    expect(refusal(await joseSign(claims(), { kid: 'key_gone' }))).toContain('key_gone');
    expect(refusal(await joseSign(claims({ exp: nowSeconds - 60 })))).toMatch(/expired/);
  });

  it('reads the time from a clock function on every call', async () => {
    let now = NOW;
    const verifier = createOfferTokenVerifier({ jwks, now: () => now });
    const token = await joseSign(claims({ nbf: nowSeconds + 60, exp: nowSeconds + 120 }));
    expect(() => verifier.verify(token)).toThrow(expect.objectContaining({ code: 'token_invalid' }));
    now += 60_000;
    expect(verifier.verify(token).qmax).toBe(2);
    now += 65_000;
    expect(() => verifier.verify(token)).toThrow(expect.objectContaining({ code: 'token_expired' }));
  });

  it('still checks the signature of a token whose header it has seen before', async () => {
    const verifier = createOfferTokenVerifier({ jwks, now: NOW });
    const token = await good();
    verifier.verify(token);
    const [header, , signature] = token.split('.');
    expect(() => verifier.verify(`${header}.${b64url(claims({ qmax: 1000 }))}.${signature}`)).toThrow(
      TokenVerificationError,
    );
    // Many distinct (valid) spellings of the header do not break the cache.
    for (let spaces = 0; spaces < 100; spaces++) {
      expect(
        verifier.verify(craft(`{"alg":"EdDSA",${' '.repeat(spaces)}"kid":"key_current","typ":"offer+jwt"}`, claims()))
          .sub,
      ).toBe('buyer_42');
    }
    expect(verifier.verify(token).sub).toBe('buyer_42');
  });

  it('takes already imported keys, and refuses to start without any', () => {
    const publicKey = KeyObject.from(privateKey);
    const token = craft(HEADER, claims());
    expect(
      createOfferTokenVerifier({ publicKeys: new Map([['key_current', publicKey]]), now: NOW }).verify(token).oid,
    ).toBe('off_abc');
    expect(createOfferTokenVerifier({ publicKeys: { key_current: privateKey }, now: NOW }).kids).toEqual([
      'key_current',
    ]);
    expect(() => createOfferTokenVerifier({ jwks: { keys: [] } })).toThrow(/at least one public key/);
  });
});

describe('createOfferTokenSigner', () => {
  const base = (): Omit<OfferTokenClaims, 'iss' | 'aud'> => ({
    sub: 'buyer_42',
    sid: 'ses_abc',
    oid: 'off_abc',
    sku: 'SKU-1',
    price: { amount: 1999, currency: 'USD' },
    qmax: 2,
    jti: 'jti_0123456789abcdef',
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 120,
  });

  it('signs tokens that core’s verifyOfferToken and this verifier both accept', async () => {
    const signer = createOfferTokenSigner({ privateKey, kid: 'key_current', issuer: ISSUER });
    const token = signer.sign({ ...base(), att: { campaign: 'spring' } });
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual(HEADER);
    const expected = { iss: ISSUER, aud: 'livedrop:reservations', ...base(), att: { campaign: 'spring' } };
    await expect(verifyOfferToken(token, { jwks, now: NOW, issuer: ISSUER })).resolves.toEqual(expected);
    expect(createOfferTokenVerifier({ jwks, now: NOW, issuer: ISSUER }).verify(token)).toEqual(expected);
  });

  it('refuses claims outside the contract instead of signing them', () => {
    const signer = createOfferTokenSigner({ privateKey: privateKeyObject, kid: 'key_current', issuer: ISSUER });
    expect(() => signer.sign({ ...base(), qmax: 1.5 })).toThrow(/"qmax"/);
    expect(() => signer.sign({ ...base(), admin: true } as never)).toThrow(/"admin".*unknown claims/);
    expect(() => signer.sign({ ...base(), iss: 'https://elsewhere.test' })).toThrow(
      /issues as "https:\/\/livedrop.test"/,
    );
    expect(() => signer.sign({ ...base(), aud: 'livedrop:other' as never })).toThrow(/"aud"/);
    expect(signer.sign({ ...base(), iss: ISSUER, aud: 'livedrop:reservations' })).toMatch(
      /^[\w-]+\.[\w-]+\.[\w-]{86}$/,
    );
  });

  it('refuses a key that cannot sign offer tokens', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const rsa = (await generateKeyPair('RS256')).privateKey;
    expect(() => createOfferTokenSigner({ privateKey: publicKey, kid: 'k', issuer: ISSUER })).toThrow(/public key/);
    expect(() => createOfferTokenSigner({ privateKey: rsa, kid: 'k', issuer: ISSUER })).toThrow(/rsa key.*Ed25519/);
    expect(() => createOfferTokenSigner({ privateKey, kid: '', issuer: ISSUER })).toThrow(/kid/);
  });
});
