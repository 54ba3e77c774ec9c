import { OFFER_TOKEN_ALG, type Jwks, type PublicJwk } from '@livedrop/core';
import type { Clock } from './clock';
import { randomToken } from './ids';

/** An Ed25519 key pair that signs offer tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: PublicJwk;
  readonly createdAt: number;
}

async function generate(clock: Clock): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const kid = `key_${randomToken(16)}`;
  return {
    kid,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: exported.x ?? '', kid, alg: OFFER_TOKEN_ALG, use: 'sig' },
    createdAt: clock.now(),
  };
}

/**
 * One tenant's current signing key and its previous one. Rotation makes a new current key; tokens signed
 * with the previous key keep verifying until the next rotation. Keys are made on first use
 * because WebCrypto key generation is asynchronous.
 */
export class SigningKeyring {
  readonly #clock: Clock;
  #current: Promise<SigningKey> | undefined;
  #previous: SigningKey | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The key new tokens are signed with. */
  current(): Promise<SigningKey> {
    this.#current ??= generate(this.#clock);
    return this.#current;
  }

  /** The key with this `kid`, if it is the current or the previous one. */
  async byKid(kid: string): Promise<SigningKey | undefined> {
    const current = await this.current();
    if (current.kid === kid) return current;
    return this.#previous?.kid === kid ? this.#previous : undefined;
  }

  /** The public keys, current first. */
  async jwks(): Promise<Jwks> {
    const current = await this.current();
    return { keys: this.#previous ? [current.jwk, this.#previous.jwk] : [current.jwk] };
  }

  /** Makes a new current key; the old current becomes the previous one. */
  async rotate(): Promise<{ current: SigningKey; previous: SigningKey }> {
    const previous = await this.current();
    const next = generate(this.#clock);
    this.#current = next;
    this.#previous = previous;
    return { current: await next, previous };
  }

  /** Forgets every key (the control API's reset). */
  reset(): void {
    this.#current = undefined;
    this.#previous = undefined;
  }
}

/**
 * Every tenant's keyring: each tenant signs with keys of its own and publishes only those, so one
 * tenant's rotation never retires another's keys, and a token verifies only against the keys of
 * the tenant it is presented to.
 */
export class TenantSigningKeys {
  readonly #clock: Clock;
  readonly #rings = new Map<string, SigningKeyring>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The keyring of `tenantId`, made on first use. */
  of(tenantId: string): SigningKeyring {
    let ring = this.#rings.get(tenantId);
    if (!ring) this.#rings.set(tenantId, (ring = new SigningKeyring(this.#clock)));
    return ring;
  }

  /** Forgets every tenant's keys (the control API's reset). */
  reset(): void {
    this.#rings.clear();
  }
}
