import type { ApiKeyRole } from '@livedrop/core';
import { randomToken } from './ids';
import { sha256Hex } from './sha256';

/** Who is calling: the tenant and role of the API key, and the creator a creator key speaks for. */
export interface Principal {
  readonly tenantId: string;
  readonly role: ApiKeyRole;
  /**
   * The key's own id, which scopes idempotency keys: derived from the key, so every server
   * instance that accepts the key scopes it alike (they may share one idempotency store).
   */
  readonly keyId: string;
  /** Set for creator keys: the only creator whose objects the key may touch. */
  readonly creatorId: string | null;
}

const PREFIX: Record<ApiKeyRole, string> = {
  platform: 'sk_test_',
  publishable: 'pk_test_',
  creator: 'ck_test_',
  moderator: 'mk_test_',
};

/** The API keys the reference server accepts. */
export class KeyRing {
  readonly #principals = new Map<string, Principal>();

  /** Mints a key of `role` for `tenantId` (creator keys are bound to `creatorId`), or re-registers `key`. */
  issue(tenantId: string, role: ApiKeyRole, creatorId: string | null = null, key = `${PREFIX[role]}${randomToken(24)}`): string {
    this.#principals.set(key, { tenantId, role, keyId: `key_${sha256Hex(key).slice(0, 24)}`, creatorId });
    return key;
  }

  /** The principal for an `Authorization` header value, or undefined when absent or unknown. */
  resolve(authorization: string | null): Principal | undefined {
    const key = bearer(authorization);
    return key === undefined ? undefined : this.#principals.get(key);
  }

  clear(): void {
    this.#principals.clear();
  }
}

/** The token of a `Bearer` authorization header. */
export function bearer(authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
