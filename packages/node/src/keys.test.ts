import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { verifyOfferToken } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { KeyLoadError, type KeyLoadErrorCode } from './key-load-error';
import { loadPublicKeys, loadSigningKey, type SigningKeySource } from './keys';
import { createOfferTokenSigner } from './tokens/signer';
import { createOfferTokenVerifier } from './tokens/verifier';

const ed25519 = () => generateKeyPairSync('ed25519');
const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }) as string;
const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' });

function failure(source: SigningKeySource | (() => unknown)): KeyLoadError {
  try {
    if (typeof source === 'function') source();
    else loadSigningKey(source);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyLoadError);
    return error as KeyLoadError;
  }
  throw new Error('expected a KeyLoadError');
}

const expectFailure = (source: SigningKeySource | (() => unknown), code: KeyLoadErrorCode, message: RegExp) => {
  const error = failure(source);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
};

const now = Math.floor(Date.now() / 1000);
const claims = {
  sub: 'buyer_1',
  sid: 'ses_a',
  oid: 'off_a',
  sku: 'S',
  price: { amount: 100, currency: 'EUR' as const },
  qmax: 1,
  jti: 'jti_0123456789abcdef',
  iat: now,
  nbf: now,
  exp: now + 60,
};

/** The loaded key signs, and its published JWK verifies, on both verification paths. */
async function expectUsable(loaded: ReturnType<typeof loadSigningKey>) {
  const token = createOfferTokenSigner({ ...loaded, issuer: 'https://deals.example' }).sign(claims);
  const jwks = { keys: [loaded.publicJwk] };
  expect(createOfferTokenVerifier({ jwks }).verify(token).sub).toBe('buyer_1');
  await expect(verifyOfferToken(token, { jwks })).resolves.toMatchObject({ sub: 'buyer_1' });
}

describe('loadSigningKey', () => {
  it('loads a PKCS#8 PEM with a kid', async () => {
    const { privateKey, publicKey } = ed25519();
    const loaded = loadSigningKey({ pem: pemOf(privateKey), kid: 'key_pem' });
    expect(loaded.kid).toBe('key_pem');
    expect(loaded.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: jwkOf(publicKey).x,
      kid: 'key_pem',
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(loaded.privateKey.type).toBe('private');
    await expectUsable(loaded);
    await expectUsable(loadSigningKey({ pem: Buffer.from(pemOf(privateKey)), kid: 'key_bytes' }));
  });

  it('loads a private JWK, as an object or as JSON text, taking its kid', async () => {
    const { privateKey } = ed25519();
    const jwk = { ...jwkOf(privateKey), kid: 'key_jwk' } as {
      kty: string;
      crv: string;
      x: string;
      d: string;
      kid: string;
    };
    expect(loadSigningKey({ jwk }).kid).toBe('key_jwk');
    expect(loadSigningKey({ jwk: JSON.stringify(jwk), kid: 'key_jwk' }).kid).toBe('key_jwk');
    expect(loadSigningKey({ jwk: { ...jwk, kid: undefined }, kid: 'key_given' }).kid).toBe('key_given');
    await expectUsable(loadSigningKey({ jwk }));
  });

  it('loads from an environment variable holding a PEM (escaped newlines too) or a JWK', async () => {
    const { privateKey } = ed25519();
    const pem = pemOf(privateKey);
    const environment = {
      LIVEDROP_SIGNING_KEY: pem,
      ONE_LINE_PEM: pem.trim().replaceAll('\n', '\\n'),
      JWK_KEY: JSON.stringify({ ...jwkOf(privateKey), kid: 'key_env' }),
    };
    const fromPem = loadSigningKey({ env: 'LIVEDROP_SIGNING_KEY', kid: 'key_env', environment });
    expect(loadSigningKey({ env: 'ONE_LINE_PEM', kid: 'key_env', environment }).publicJwk).toEqual(fromPem.publicJwk);
    expect(loadSigningKey({ env: 'JWK_KEY', environment }).publicJwk).toEqual(fromPem.publicJwk);
    await expectUsable(fromPem);

    process.env['LIVEDROP_TEST_SIGNING_KEY'] = pem;
    try {
      expect(loadSigningKey({ env: 'LIVEDROP_TEST_SIGNING_KEY', kid: 'key_env' }).publicJwk).toEqual(fromPem.publicJwk);
    } finally {
      delete process.env['LIVEDROP_TEST_SIGNING_KEY'];
    }
  });

  it('says what is wrong with a key it cannot use', () => {
    const { privateKey, publicKey } = ed25519();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

    expectFailure({ pem: pemOf(rsa), kid: 'k' }, 'key_unsupported', /private rsa key.*Ed25519/);
    expectFailure(
      { pem: rsa.export({ format: 'pem', type: 'pkcs1' }) as string, kid: 'k' },
      'key_unsupported',
      /rsa key/,
    );
    expectFailure({ jwk: { ...jwkOf(ec), kid: 'k' } }, 'key_unsupported', /EC\/P-256 JWK.*Ed25519 only/);
    expectFailure(
      { pem: publicKey.export({ format: 'pem', type: 'spki' }) as string, kid: 'k' },
      'key_unsupported',
      /public key PEM/,
    );
    expectFailure({ jwk: { ...jwkOf(publicKey), kid: 'k' } }, 'key_unsupported', /public JWK \(no "d"\)/);
    expectFailure({ pem: 'hello', kid: 'k' }, 'key_malformed', /not a PEM.*BEGIN PRIVATE KEY/);
    expectFailure(
      { pem: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----', kid: 'k' },
      'key_malformed',
      /could not be read/,
    );
    expectFailure(
      { pem: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----', kid: 'k' },
      'key_malformed',
      /ssh-keygen -p -m PKCS8/,
    );
    expectFailure(
      { pem: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----', kid: 'k' },
      'key_unsupported',
      /encrypted/,
    );
    expectFailure({ jwk: '{"kty":' }, 'key_malformed', /not valid JSON/);
    const otherX = jwkOf(ed25519().publicKey).x;
    expectFailure({ jwk: { ...jwkOf(privateKey), x: otherX, kid: 'k' } }, 'key_malformed', /not the public half/);
  });

  it('insists on a kid, and on one kid', () => {
    const { privateKey } = ed25519();
    expectFailure({ pem: pemOf(privateKey) } as SigningKeySource, 'key_kid_missing', /no kid; pass \{ kid \}/);
    expectFailure({ jwk: jwkOf(privateKey) as never }, 'key_kid_missing', /no kid/);
    expectFailure({ env: 'K', environment: { K: pemOf(privateKey) } }, 'key_kid_missing', /K \(a PEM\) has no kid/);
    expectFailure(
      { jwk: { ...jwkOf(privateKey), kid: 'key_a' } as never, kid: 'key_b' },
      'key_kid_conflict',
      /"key_b" disagrees.*"key_a"/,
    );
  });

  it('names an unset environment variable', () => {
    expectFailure({ env: 'LIVEDROP_SIGNING_KEY', environment: {} }, 'key_env_unset', /LIVEDROP_SIGNING_KEY is unset/);
    expectFailure(
      { env: 'LIVEDROP_SIGNING_KEY', environment: { LIVEDROP_SIGNING_KEY: '  ' } },
      'key_env_unset',
      /unset or empty/,
    );
    expectFailure({ env: 'K', kid: 'k', environment: { K: 'plain text' } }, 'key_malformed', /value of K is not a PEM/);
  });
});

describe('loadPublicKeys', () => {
  const publicJwk = (kid: string) => ({ ...jwkOf(ed25519().publicKey), kid, alg: 'EdDSA', use: 'sig' });

  it('imports every key of a JWKS by kid', () => {
    const keys = loadPublicKeys({ keys: [publicJwk('key_a'), publicJwk('key_b')] });
    expect([...keys.keys()]).toEqual(['key_a', 'key_b']);
    expect(keys.get('key_a')?.asymmetricKeyType).toBe('ed25519');
    expect(keys.get('key_a')?.type).toBe('public');
  });

  it('refuses keys a JWKS must not hold', () => {
    const { privateKey } = ed25519();
    expectFailure(
      () => loadPublicKeys({ keys: [publicJwk('a'), publicJwk('a')] }),
      'key_kid_conflict',
      /repeats kid "a"/,
    );
    expectFailure(
      () => loadPublicKeys({ keys: [{ ...jwkOf(privateKey), kid: 'leaked' }] }),
      'key_unsupported',
      /#0 \("leaked"\) carries private material/,
    );
    expectFailure(
      () => loadPublicKeys({ keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' } as never] }),
      'key_unsupported',
      /RSA JWK/,
    );
    expectFailure(() => loadPublicKeys({ keys: [{ ...publicJwk('x'), kid: undefined }] }), 'key_kid_missing', /no kid/);
    expectFailure(() => loadPublicKeys({ keys: [{ ...publicJwk('e'), use: 'enc' }] }), 'key_unsupported', /use "enc"/);
    expectFailure(
      () => loadPublicKeys({ keys: [{ ...publicJwk('h'), alg: 'HS256' }] }),
      'key_unsupported',
      /alg "HS256"/,
    );
    expectFailure(() => loadPublicKeys([] as never), 'key_malformed', /\{"keys": \[\.\.\.\]\}/);
  });
});
