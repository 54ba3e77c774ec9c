import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemptFromConformance } from '../../../mock-server/test/support/conformance-recorder';
import type { Jwks } from '../schemas/token';
import { TokenVerificationError } from './token-verification-error';
import { verifyOfferToken } from './verify';

const NOW = Date.parse('2026-11-25T18:00:00Z');
const nowSeconds = NOW / 1000;

let privateKey: CryptoKey;
let otherPrivateKey: CryptoKey;
let jwks: Jwks;

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
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

function sign(
  payload: JWTPayload,
  header: { alg?: string; kid?: string; typ?: string } = {},
  key: CryptoKey | Uint8Array = privateKey,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'key_current', typ: 'offer+jwt', ...header })
    .sign(key);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(
  token: string,
  options: Partial<Parameters<typeof verifyOfferToken>[1]> = {},
): Promise<TokenVerificationError> {
  const error = await verifyOfferToken(token, { jwks, now: NOW, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenVerificationError);
  return error as TokenVerificationError;
}

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateKey = pair.privateKey;
  otherPrivateKey = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
  const jwk = await exportJWK(pair.publicKey);
  jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid: 'key_current', alg: 'EdDSA', use: 'sig' }] };
});

describe('verifyOfferToken', () => {
  it('accepts a good token and returns its claims', async () => {
    const token = await sign(claims());
    const verified = await verifyOfferToken(token, { jwks, now: NOW, issuer: 'https://livedrop.test' });
    expect(verified).toMatchObject({
      sub: 'buyer_42',
      oid: 'off_abc',
      qmax: 2,
      price: { amount: 1999, currency: 'USD' },
    });
  });

  it('refuses alg none', async () => {
    const unsigned = `${b64url({ alg: 'none', kid: 'key_current', typ: 'offer+jwt' })}.${b64url(claims())}.`;
    expect((await refusal(unsigned)).code).toBe('token_invalid');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const hmac = await sign(claims(), { alg: 'HS256' }, new TextEncoder().encode(jwks.keys[0]!.x));
    expect((await refusal(hmac)).code).toBe('token_invalid');
  });

  it('refuses a wrong typ, audience or issuer', async () => {
    expect((await refusal(await sign(claims(), { typ: 'JWT' }))).code).toBe('token_invalid');
    expect((await refusal(await sign(claims({ aud: 'livedrop:other' })))).code).toBe('token_invalid');
    expect((await refusal(await sign(claims()), { issuer: 'https://elsewhere.test' })).code).toBe('token_invalid');
  });

  it('refuses an expired token as token_expired, with clock tolerance', async () => {
    expect((await refusal(await sign(claims({ exp: nowSeconds - 6 })))).code).toBe('token_expired');
    await expect(
      verifyOfferToken(await sign(claims({ exp: nowSeconds - 4 })), { jwks, now: NOW }),
    ).resolves.toBeDefined();
    expect((await refusal(await sign(claims({ exp: nowSeconds - 4 })), { clockToleranceSeconds: 0 })).code).toBe(
      'token_expired',
    );
  });

  it('refuses a token not yet valid (nbf)', async () => {
    expect((await refusal(await sign(claims({ nbf: nowSeconds + 60 })))).code).toBe('token_invalid');
  });

  it('refuses an unknown kid and a signature by another key', async () => {
    expect((await refusal(await sign(claims(), { kid: 'key_unknown' }))).code).toBe('token_invalid');
    expect((await refusal(await sign(claims(), {}, otherPrivateKey))).code).toBe('token_invalid');
  });

  it('refuses tampered claims and claims outside the contract', async () => {
    const token = await sign(claims());
    const [header, , signature] = token.split('.');
    expect((await refusal(`${header}.${b64url(claims({ qmax: 1000 }))}.${signature}`)).code).toBe('token_invalid');
    expect((await refusal(await sign(claims({ qmax: 0 })))).message).toContain('qmax');
    expect((await refusal(await sign(claims({ oid: 'ses_wrongkind' })))).message).toContain('oid');
    expect((await refusal('not-a-token')).code).toBe('token_invalid');
  });

  describe('with a JWKS URL', () => {
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    let url = '';
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      // A bare JWKS host standing in for one, not the LiveDrop API: /openapi.json does not describe it.
      exemptFromConformance(url);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches the keys once and caches them', async () => {
      const token = await sign(claims());
      await expect(verifyOfferToken(token, { jwks: url, now: NOW })).resolves.toMatchObject({ oid: 'off_abc' });
      await expect(verifyOfferToken(token, { jwks: new URL(url), now: NOW })).resolves.toMatchObject({
        oid: 'off_abc',
      });
      expect(fetches).toBe(1);
    });
  });
});
