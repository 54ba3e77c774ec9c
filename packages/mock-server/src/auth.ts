import type { ApiKeyRole } from '@livedrop/core';
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
  /**
   * The buyer a publishable key acts for, asserted by the platform with a buyer session
   * (`LiveDrop-Buyer-Session`); absent otherwise (the platform names `buyerId` itself).
   */
  readonly buyerId?: string;
}

/**
 * The scope of the caller's idempotency keys: the key's, and for a publishable key acting for a
 * buyer, that buyer's within it, so one buyer's page can never replay another's answer.
 */
export function idempotencyScopeOf(principal: Principal): string {
  return principal.buyerId === undefined ? principal.keyId : `${principal.keyId}\u0000${principal.buyerId}`;
}

const PREFIX: Record<ApiKeyRole, string> = {
  platform: 'sk_test_',
  publishable: 'pk_test_',
  creator: 'ck_test_',
  moderator: 'mk_test_',
};

/**
 * The id a key is known by in idempotency scopes and rate limits: derived from the key, so every
 * instance (and every restart) names the same key the same way, and the key itself is not kept.
 */
export function keyIdOf(key: string): string {
  return `key_${sha256Hex(key).slice(0, 24)}`;
}

/** The prefix of a key of `role` (`sk_test_`, `pk_test_`, `ck_test_`, `mk_test_`). */
export function keyPrefix(role: ApiKeyRole): string {
  return PREFIX[role];
}

/** The token of a `Bearer` authorization header. */
export function bearer(authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
