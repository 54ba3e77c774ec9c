import { OFFER_TOKEN_ALG, type Jwks, type PublicJwk } from '@livedrop/core';
import type { Clock } from './clock';
import { randomToken } from './ids';
import type { Store } from './store';
import type { Transaction } from './storage/transaction';

/** An Ed25519 key pair that signs offer tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: PublicJwk;
  readonly createdAt: number;
}

/** A signing key as the storage keeps it: its private and public JWK (plain data every instance can import). */
export interface StoredSigningKey {
  readonly kid: string;
  readonly privateJwk: JsonWebKey;
  readonly jwk: PublicJwk;
  readonly createdAt: number;
}

/** A tenant's signing keys record: the current key and the one before the last rotation. */
export interface SigningKeysRecord {
  readonly tenantId: string;
  readonly current: StoredSigningKey;
  readonly previous: StoredSigningKey | null;
}

/** What a keyring reads and writes its record through: the engine's records and transactions. */
export interface SigningKeyHost {
  readonly clock: Clock;
  readonly store: Store;
  transact<R>(transition: (tx: Transaction) => R): Promise<R>;
}

async function generate(clock: Clock): Promise<StoredSigningKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const [privateJwk, publicJwk] = await Promise.all([
    crypto.subtle.exportKey('jwk', pair.privateKey),
    crypto.subtle.exportKey('jwk', pair.publicKey),
  ]);
  const kid = `key_${randomToken(16)}`;
  return {
    kid,
    privateJwk,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x ?? '', kid, alg: OFFER_TOKEN_ALG, use: 'sig' },
    createdAt: clock.now(),
  };
}

async function imported(stored: StoredSigningKey): Promise<SigningKey> {
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('jwk', stored.privateJwk, { name: 'Ed25519' }, false, ['sign']),
    crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: stored.jwk.x }, { name: 'Ed25519' }, true, [
      'verify',
    ]),
  ]);
  return { kid: stored.kid, privateKey, publicKey, jwk: stored.jwk, createdAt: stored.createdAt };
}

/**
 * One tenant's offer-token keyring: the current key and, after a rotation, the previous one (tokens
 * signed with it still verify until they expire). The keys are a record of the storage, so every
 * instance sharing it signs and verifies with the same keys; the first instance to need a key makes
 * it, in a transaction that keeps an existing one.
 */
export class SigningKeyring {
  readonly #tenantId: string;
  readonly #host: SigningKeyHost;
  /** Imported keys by kid (importing is the slow part; the record is the truth). */
  readonly #imported = new Map<string, Promise<SigningKey>>();

  constructor(tenantId: string, host: SigningKeyHost) {
    this.#tenantId = tenantId;
    this.#host = host;
  }

  async #record(): Promise<SigningKeysRecord> {
    const existing = this.#host.store.signingKeys.get(this.#tenantId);
    if (existing) return existing;
    const fresh = await generate(this.#host.clock);
    return this.#host.transact((tx) => {
      const found = tx.get('signingKeys', this.#tenantId);
      if (found) return found;
      const record: SigningKeysRecord = { tenantId: this.#tenantId, current: fresh, previous: null };
      tx.put('signingKeys', this.#tenantId, record);
      return record;
    });
  }

  #key(stored: StoredSigningKey): Promise<SigningKey> {
    let key = this.#imported.get(stored.kid);
    if (!key) this.#imported.set(stored.kid, (key = imported(stored)));
    return key;
  }

  /** The key that signs new tokens, made on first use. */
  async current(): Promise<SigningKey> {
    return this.#key((await this.#record()).current);
  }

  /** The key with `kid`, current or previous; undefined for any other (a forged or retired kid). */
  async byKid(kid: string): Promise<SigningKey | undefined> {
    const { current, previous } = await this.#record();
    if (current.kid === kid) return this.#key(current);
    return previous?.kid === kid ? this.#key(previous) : undefined;
  }

  /** The public keys, current first: the tenant's JWKS. */
  async jwks(): Promise<Jwks> {
    const { current, previous } = await this.#record();
    return { keys: previous ? [current.jwk, previous.jwk] : [current.jwk] };
  }

  /** Makes a new current key; the old one becomes the previous (and the one before it is retired). */
  async rotate(): Promise<{ current: SigningKey; previous: SigningKey }> {
    await this.#record();
    const next = await generate(this.#host.clock);
    const record = await this.#host.transact((tx) => {
      const found = tx.get('signingKeys', this.#tenantId)!;
      const rotated: SigningKeysRecord = { tenantId: this.#tenantId, current: next, previous: found.current };
      tx.put('signingKeys', this.#tenantId, rotated);
      return rotated;
    });
    return { current: await this.#key(record.current), previous: await this.#key(record.previous!) };
  }
}

/** Every tenant's keyring, made on first use; the keys themselves are records of the storage. */
export class TenantSigningKeys {
  readonly #host: SigningKeyHost;
  readonly #rings = new Map<string, SigningKeyring>();

  constructor(host: SigningKeyHost) {
    this.#host = host;
  }

  /** The keyring of `tenantId`, made on first use. */
  of(tenantId: string): SigningKeyring {
    let ring = this.#rings.get(tenantId);
    if (!ring) this.#rings.set(tenantId, (ring = new SigningKeyring(tenantId, this.#host)));
    return ring;
  }

  /** Forgets the imported keys (the control API's reset empties the records they came from). */
  reset(): void {
    this.#rings.clear();
  }
}
