import type { ApiKeyRole } from '@livedrop/core';

/** Who is calling: the tenant and role of the API key, and the creator a creator key speaks for. */
export interface Principal {
  readonly tenantId: string;
  readonly role: ApiKeyRole;
  /** The key's own id, which scopes idempotency keys. */
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

/** The prefix of a key of `role` (`sk_test_`, `pk_test_`, `ck_test_`, `mk_test_`). */
export function keyPrefix(role: ApiKeyRole): string {
  return PREFIX[role];
}

/** The token of a `Bearer` authorization header. */
export function bearer(authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
