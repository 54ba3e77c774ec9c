import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { OFFER_TOKEN_ALG, type PublicJwk } from '@livedrop/core';
import { KeyLoadError } from './key-load-error';

/** A JSON Web Key as read from a file, an env var or a JWKS: every member optional, checked at load. */
export interface JwkInput {
  readonly kty?: string | undefined;
  readonly crv?: string | undefined;
  readonly x?: string | undefined;
  /** The private part; present only in a private JWK. */
  readonly d?: string | undefined;
  readonly kid?: string | undefined;
  readonly alg?: string | undefined;
  readonly use?: string | undefined;
}

/** A JSON Web Key Set, e.g. the body of `GET /.well-known/jwks.json` or `ld.signingKeys.jwks()`. */
export interface JwksInput {
  readonly keys: readonly JwkInput[];
}

/** Where {@link loadSigningKey} finds the Ed25519 private key. */
export type SigningKeySource =
  | {
      /** A PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey -algorithm ed25519` writes it. */
      pem: string | Uint8Array;
      /** The key id tokens carry in their header; a PEM has none of its own. */
      kid: string;
    }
  | {
      /** A private OKP/Ed25519 JWK (with `d` and `x`), as an object or JSON text. */
      jwk: JwkInput | string;
      /** The key id. @default the JWK's own `kid` */
      kid?: string | undefined;
    }
  | {
      /** The name of an environment variable holding a PEM or a JWK (JSON), e.g. `LIVEDROP_SIGNING_KEY`. */
      env: string;
      /** The key id. @default the JWK's own `kid` (a PEM has none, so a PEM needs this) */
      kid?: string | undefined;
      /** Where to read the variable from. @default process.env */
      environment?: Readonly<Record<string, string | undefined>> | undefined;
    };

/** An Ed25519 signing key, imported once and ready for {@link createOfferTokenSigner}. */
export interface LoadedSigningKey {
  /** The private key, imported: pass it to the signer, never re-import it per token. */
  readonly privateKey: KeyObject;
  /** Its public half, e.g. for a local {@link createOfferTokenVerifier}. */
  readonly publicKey: KeyObject;
  /** The public JWK to publish in a JWKS so others can verify your tokens. */
  readonly publicJwk: PublicJwk;
  readonly kid: string;
}

const GENERATE = 'generate one with `openssl genpkey -algorithm ed25519 -out signing-key.pem`';

function describeKey(key: KeyObject): string {
  return key.type === 'secret' ? 'a secret (symmetric) key' : `a ${key.type} ${key.asymmetricKeyType ?? 'unknown'} key`;
}

function requireEd25519(key: KeyObject, where: string, type: 'private' | 'public'): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyLoadError(
      'key_unsupported',
      `${where} is ${describeKey(key)}; offer tokens are signed with Ed25519 (EdDSA) only — ${GENERATE}.`,
    );
  }
  if (type === 'private' && key.type !== 'private') {
    throw new KeyLoadError(
      'key_unsupported',
      `${where} is a public key; signing needs the private key (a PKCS#8 "PRIVATE KEY" PEM, or a JWK with "d").`,
    );
  }
  return key;
}

/** `.env` files and CI secrets often hold a PEM on one line with literal `\n`s. */
const unescapeNewlines = (pem: string) => (pem.includes('\n') ? pem : pem.replaceAll('\\n', '\n'));

function privateKeyFromPem(input: string | Uint8Array, where: string): KeyObject {
  const pem = unescapeNewlines(typeof input === 'string' ? input : Buffer.from(input).toString('utf8')).trim();
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined) {
    throw new KeyLoadError(
      'key_malformed',
      `${where} is not a PEM: expected a "-----BEGIN PRIVATE KEY-----" block (PKCS#8); ${GENERATE}.`,
    );
  }
  if (label === 'PUBLIC KEY')
    throw new KeyLoadError(
      'key_unsupported',
      `${where} is a public key PEM; signing needs the private key ("-----BEGIN PRIVATE KEY-----").`,
    );
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw new KeyLoadError(
      'key_unsupported',
      `${where} is an encrypted PEM; decrypt it first (\`openssl pkey -in key.pem -out plain.pem\`) and keep it in a secret store instead.`,
    );
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    throw new KeyLoadError(
      'key_malformed',
      `${where} is an OpenSSH key, which Node cannot read; convert it to PKCS#8 with \`ssh-keygen -p -m PKCS8 -f <file>\`.`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeyLoadError(
      'key_malformed',
      `${where} is a "${label}" PEM that could not be read (${(error as Error).message}); was it truncated or re-wrapped? ${GENERATE}.`,
      { cause: error },
    );
  }
  return requireEd25519(key, where, 'private');
}

function parseJwkText(text: string, where: string): JwkInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KeyLoadError(
      'key_malformed',
      `${where} is not valid JSON, so it is not a JWK (${(error as Error).message}).`,
      { cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new KeyLoadError('key_malformed', `${where} is JSON but not a JWK object.`);
  return value as JwkInput;
}

/** Checks an OKP/Ed25519 JWK and returns its `x`. */
function requireOkpEd25519(jwk: JwkInput, where: string): string {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new KeyLoadError(
      'key_unsupported',
      `${where} is a ${jwk.kty ?? 'kty-less'}${jwk.crv ? `/${jwk.crv}` : ''} JWK; offer tokens use Ed25519 only (kty "OKP", crv "Ed25519").`,
    );
  }
  if (typeof jwk.x !== 'string' || jwk.x === '')
    throw new KeyLoadError('key_malformed', `${where} has no "x" (the public key); export the whole JWK.`);
  if (jwk.alg !== undefined && jwk.alg !== OFFER_TOKEN_ALG)
    throw new KeyLoadError(
      'key_unsupported',
      `${where} says alg "${jwk.alg}"; an offer-token key is "${OFFER_TOKEN_ALG}".`,
    );
  return jwk.x;
}

function privateKeyFromJwk(jwk: JwkInput, where: string): KeyObject {
  const x = requireOkpEd25519(jwk, where);
  if (typeof jwk.d !== 'string' || jwk.d === '') {
    throw new KeyLoadError('key_unsupported', `${where} is a public JWK (no "d"); signing needs the private key.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: jwk.d, x }, format: 'jwk' });
  } catch (error) {
    throw new KeyLoadError(
      'key_malformed',
      `${where} could not be imported (${(error as Error).message}); "d" and "x" must be base64url.`,
      { cause: error },
    );
  }
  // Node derives the public key from "d" and ignores "x": a mismatch means a corrupted or spliced JWK.
  if (publicJwkX(key) !== x) {
    throw new KeyLoadError(
      'key_malformed',
      `${where} has an "x" that is not the public half of its "d"; the JWK is corrupted — export it again.`,
    );
  }
  return key;
}

function publicJwkX(key: KeyObject): string {
  const { x } = createPublicKey(key).export({ format: 'jwk' });
  return x ?? '';
}

function resolveKid(explicit: string | undefined, own: string | undefined, where: string): string {
  if (explicit !== undefined && own !== undefined && explicit !== own) {
    throw new KeyLoadError(
      'key_kid_conflict',
      `The kid option "${explicit}" disagrees with ${where}'s own kid "${own}"; drop one of them.`,
    );
  }
  const kid = explicit ?? own;
  if (typeof kid !== 'string' || kid === '') {
    throw new KeyLoadError(
      'key_kid_missing',
      `${where} has no kid; pass { kid } (the id your JWKS publishes this key under), or put "kid" in the JWK.`,
    );
  }
  return kid;
}

function loaded(privateKey: KeyObject, kid: string): LoadedSigningKey {
  const publicKey = createPublicKey(privateKey);
  const x = publicKey.export({ format: 'jwk' }).x ?? '';
  return {
    privateKey,
    publicKey,
    kid,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: OFFER_TOKEN_ALG, use: 'sig' },
  };
}

/**
 * Loads an Ed25519 private key for signing offer tokens, from a PKCS#8 PEM, a private JWK, or an
 * environment variable holding either. The key is imported once here; the signer reuses it.
 * @example
 * const key = loadSigningKey({ env: 'LIVEDROP_SIGNING_KEY', kid: 'key_2026_11' });
 * const signer = createOfferTokenSigner({ ...key, issuer: 'https://deals.example' });
 * @throws KeyLoadError naming what is wrong: not Ed25519, a public key, missing kid, malformed PEM/JWK, unset variable
 */
export function loadSigningKey(source: SigningKeySource): LoadedSigningKey {
  if ('pem' in source) {
    return loaded(privateKeyFromPem(source.pem, 'The PEM'), resolveKid(source.kid, undefined, 'The PEM'));
  }
  if ('jwk' in source) {
    const jwk = typeof source.jwk === 'string' ? parseJwkText(source.jwk, 'The JWK text') : source.jwk;
    return loaded(privateKeyFromJwk(jwk, 'The JWK'), resolveKid(source.kid, jwk.kid, 'the JWK'));
  }
  const environment = source.environment ?? process.env;
  const value = environment[source.env]?.trim();
  if (!value) {
    throw new KeyLoadError(
      'key_env_unset',
      `The environment variable ${source.env} is unset or empty; set it to the signing key (a PKCS#8 PEM or a private JWK as JSON).`,
    );
  }
  const where = `The value of ${source.env}`;
  if (value.startsWith('{')) {
    const jwk = parseJwkText(value, where);
    return loaded(privateKeyFromJwk(jwk, where), resolveKid(source.kid, jwk.kid, where));
  }
  return loaded(privateKeyFromPem(value, where), resolveKid(source.kid, undefined, `${where} (a PEM)`));
}

/**
 * Imports the Ed25519 public keys of a JWKS once, keyed by `kid`, for {@link createOfferTokenVerifier}.
 * Every key must be an OKP/Ed25519 signing key with a unique `kid`; a key carrying private
 * material (`d`) is refused, since a JWKS is public.
 * @example
 * const publicKeys = loadPublicKeys(await ld.signingKeys.jwks());
 * @throws KeyLoadError naming the offending key
 */
export function loadPublicKeys(jwks: JwksInput): Map<string, KeyObject> {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) {
    throw new KeyLoadError(
      'key_malformed',
      'A JWKS must be an object {"keys": [...]}, as GET /.well-known/jwks.json answers.',
    );
  }
  const keys = new Map<string, KeyObject>();
  jwks.keys.forEach((jwk: JwkInput, index) => {
    const where = `JWKS key #${index}${typeof jwk?.kid === 'string' ? ` ("${jwk.kid}")` : ''}`;
    if (typeof jwk !== 'object' || jwk === null)
      throw new KeyLoadError('key_malformed', `${where} is not a JWK object.`);
    const x = requireOkpEd25519(jwk, where);
    if (jwk.d !== undefined)
      throw new KeyLoadError(
        'key_unsupported',
        `${where} carries private material ("d"); publish only public keys in a JWKS, and rotate this one.`,
      );
    if (jwk.use !== undefined && jwk.use !== 'sig')
      throw new KeyLoadError('key_unsupported', `${where} has use "${jwk.use}"; verification keys are "sig".`);
    const kid = resolveKid(undefined, jwk.kid, where);
    if (keys.has(kid))
      throw new KeyLoadError('key_kid_conflict', `${where} repeats kid "${kid}"; each key of a JWKS needs its own.`);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    } catch (error) {
      throw new KeyLoadError(
        'key_malformed',
        `${where} could not be imported (${(error as Error).message}); "x" must be the base64url public key.`,
        { cause: error },
      );
    }
    keys.set(kid, key);
  });
  return keys;
}

/** A private key as the signer accepts it: imported once, as a KeyObject or a WebCrypto CryptoKey. */
export function toPrivateKeyObject(key: KeyObject | CryptoKey, where: string): KeyObject {
  const object = key instanceof KeyObject ? key : KeyObject.from(key);
  return requireEd25519(object, where, 'private');
}

/** A public key as the verifier accepts it; a private key is reduced to its public half. */
export function toPublicKeyObject(key: KeyObject | CryptoKey, where: string): KeyObject {
  const object = key instanceof KeyObject ? key : KeyObject.from(key);
  requireEd25519(object, where, 'public');
  return object.type === 'private' ? createPublicKey(object) : object;
}
