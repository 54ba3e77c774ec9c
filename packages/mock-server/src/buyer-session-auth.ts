import type { RouteDefinition } from '@livedrop/core';
import type { Principal } from './auth';
import type { Engine } from './engine';
import type { RequestHead } from './http/server-request';
import { ApiProblem } from './problem';

const HEADER = 'livedrop-buyer-session';

/**
 * The caller with the buyer it may act for. A publishable key never names a buyer: on a route that
 * reads `LiveDrop-Buyer-Session` its buyer is the one the platform asserted with a buyer session
 * (`POST /v1/buyer-sessions`), of the key's own tenant, not yet expired. A route that lists
 * `buyer_session_required` needs one; the others check a session when sent. Other keys pass as they
 * are: the platform names `buyerId` itself, and must where a buyer is needed.
 * @throws ApiProblem 400 `validation_failed` (secret key without `buyerId`); 403 `buyer_id_not_allowed`; 401 `buyer_session_required`, `buyer_session_invalid`, `buyer_session_expired`
 */
export function withAssertedBuyer(
  engine: Engine,
  definition: RouteDefinition,
  principal: Principal | null,
  request: RequestHead,
  body: unknown,
): Principal | null {
  if (!principal || !definition.headers?.some((header) => header.name === 'LiveDrop-Buyer-Session')) return principal;
  const required = definition.errors.includes('buyer_session_required');
  const namesBuyer = typeof body === 'object' && body !== null && 'buyerId' in body;
  if (principal.role !== 'publishable') {
    if (required && !namesBuyer)
      throw new ApiProblem('validation_failed', 'With the secret key, name the buyer: send buyerId.', {
        errors: [
          {
            path: 'buyerId',
            code: 'invalid_type',
            message: "buyerId is required with the secret key: your signed-in buyer's id.",
          },
        ],
      });
    return principal;
  }
  if (namesBuyer) {
    throw new ApiProblem(
      'buyer_id_not_allowed',
      'A publishable key cannot name the buyer: leave out buyerId and send the buyer session your backend minted for its signed-in buyer (POST /v1/buyer-sessions with the secret key) as the LiveDrop-Buyer-Session header.',
      {
        errors: [
          {
            path: 'buyerId',
            code: 'not_allowed',
            message: 'Remove buyerId; the buyer comes from LiveDrop-Buyer-Session.',
          },
        ],
      },
    );
  }
  const credential = request.headers.get(HEADER);
  if (credential === null) {
    if (!required) return principal;
    throw new ApiProblem(
      'buyer_session_required',
      `${definition.method} ${definition.path} with a publishable key acts for a buyer: send the LiveDrop-Buyer-Session header with a credential your backend minted for its signed-in buyer (POST /v1/buyer-sessions with the secret key).`,
    );
  }
  const session = engine.store.buyerSessions.get(engine.hash(credential));
  // Another tenant's session reads as unknown: its existence is not disclosed.
  if (!session || session.tenantId !== principal.tenantId)
    throw new ApiProblem(
      'buyer_session_invalid',
      "The LiveDrop-Buyer-Session credential is not a buyer session of this key's platform; have your backend mint one (POST /v1/buyer-sessions) for the signed-in buyer.",
    );
  if (session.expiresAtMs <= engine.clock.now())
    throw new ApiProblem(
      'buyer_session_expired',
      'The buyer session has expired; have your backend mint a new one (POST /v1/buyer-sessions) and send it as LiveDrop-Buyer-Session.',
    );
  return { ...principal, buyerId: session.buyerId };
}
