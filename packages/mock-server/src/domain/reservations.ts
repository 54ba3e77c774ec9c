import type { OfferTokenClaims, Reservation } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { ApiProblem, notFound } from '../problem';
import type { OfferRecord, ReservationRecord } from '../store';
import { release, tryHold } from './ledger';
import { verifyOfferToken } from './token-codec';
import { paginate } from './paginate';
import type { RequestHead } from '../http/server-request';
import { CLIENT_SECRET_HEADER, sameSecret } from './client-secret';

function replayed(): ApiProblem {
  return new ApiProblem(
    'token_replayed',
    'This offer token was already used; a token reserves once — issue a new one with POST /v1/offers/{id}/tokens.',
  );
}

/** The token's claims must describe the offer as it is now, or the buyer was shown something else. */
function checkClaimsMatch(claims: OfferTokenClaims, offer: OfferRecord): void {
  const { sessionId, sku, price } = offer.value;
  if (claims.sid !== sessionId || claims.sku !== sku)
    throw new ApiProblem(
      'token_invalid',
      `The offer token does not describe offer ${claims.oid}; issue a new token for this offer.`,
    );
  if (claims.price.amount !== price.amount || claims.price.currency !== price.currency) {
    throw new ApiProblem(
      'token_invalid',
      'The price changed since the offer token was issued; issue a new token so the buyer sees the current price.',
    );
  }
}

/**
 * The reservation a key may touch: any of its tenant's for a platform key; for a publishable key
 * only with the matching `clientSecret`. Anything else is 404, so existence is never disclosed.
 */
function reservationFor(
  engine: Engine,
  principal: Principal,
  id: string,
  clientSecret: string | undefined,
): ReservationRecord {
  const reservation = engine.store.find(engine.store.reservations, id, principal.tenantId);
  if (!reservation) throw notFound('reservation', id);
  if (
    principal.role !== 'platform' &&
    (clientSecret === undefined || !sameSecret(clientSecret, reservation.clientSecret))
  ) {
    throw new ApiProblem(
      'not_found',
      `No reservation with id "${id}" exists for this key; a publishable key must send the reservation's clientSecret in the LiveDrop-Client-Secret header (or as ?clientSecret=).`,
    );
  }
  return reservation;
}

/** The client secret a request carries: the `LiveDrop-Client-Secret` header, or the documented `?clientSecret=`. */
function clientSecretOf(request: RequestHead, query: { clientSecret?: string | undefined }): string | undefined {
  return request.headers.get(CLIENT_SECRET_HEADER) ?? query.clientSecret;
}

/** A reservation as a reader who holds its client secret (or a platform key) sees it. */
function withSecret(reservation: ReservationRecord): Reservation {
  return { ...reservation.value, clientSecret: reservation.clientSecret };
}

/**
 * Reservations: hold units with a single-use offer token, read and release them. The token is
 * verified first (asynchronously); then one transaction checks the claims against the offer as it
 * is, spends the token id and makes the hold — so a token is never spent without its hold, nor a
 * hold made without spending its token, whatever runs concurrently.
 */
export const reservationHandlers = {
  createReservation: async ({ engine, principal, quotas, body }) => {
    const claims = await verifyOfferToken(engine, principal.tenantId, body.offerToken);
    // The token already names a buyer the platform asserted; beside a buyer session it must be that one.
    if (principal.buyerId !== undefined && claims.sub !== principal.buyerId)
      throw new ApiProblem(
        'token_invalid',
        "The offer token was issued for another buyer than the LiveDrop-Buyer-Session's; issue a token with this buyer session.",
      );
    // A cheap early refusal; the transaction below is what guarantees a token is spent once.
    if (engine.store.spentTokenIds.has(claims.jti)) throw replayed();
    await engine.rateLimits.admitBuyer(quotas, 'createReservation', principal, claims.sub);
    // Kept while the token could still pass the expiry check, i.e. through its clock tolerance.
    const forgetAtMs = (claims.exp + engine.config.tokenClockToleranceSeconds) * 1000;
    const reservation = await engine.transact((tx) => {
      const offer = tx.get('offers', claims.oid);
      if (!offer || offer.tenantId !== principal.tenantId) {
        throw new ApiProblem(
          'token_invalid',
          'The offer token is for an offer this key cannot reach; issue the token with a key of the platform that owns the offer.',
        );
      }
      checkClaimsMatch(claims, offer);
      // Spent first so a replay is told as such; if the hold is refused the whole transaction, spend included, is void.
      if (!tx.spendTokenId(claims.jti, forgetAtMs)) throw replayed();
      return tryHold(tx, offer, {
        buyerId: claims.sub,
        quantity: body.quantity,
        quantityMax: claims.qmax,
        backorderConsent: body.backorderConsent === true,
        attribution: claims.att ?? null,
      });
    });
    return created(withSecret(reservation));
  },

  listReservations({ engine, principal, query }) {
    const reservations: Reservation[] = [];
    for (const record of engine.store.reservations.values()) {
      const reservation = record.value;
      if (record.tenantId !== principal.tenantId) continue;
      if (query.offerId !== undefined && reservation.offerId !== query.offerId) continue;
      if (query.sessionId !== undefined && reservation.sessionId !== query.sessionId) continue;
      if (query.buyerId !== undefined && reservation.buyerId !== query.buyerId) continue;
      if (query.status !== undefined && reservation.status !== query.status) continue;
      // Client secrets are the buyers'; a list hands them to no one (GET by id does, to this key).
      reservations.push(reservation);
    }
    // The store keeps creation order; newest first is its reverse.
    return ok(paginate(reservations.reverse(), query));
  },

  getReservation: ({ engine, principal, params, query, request }) =>
    ok(withSecret(reservationFor(engine, principal, params.id, clientSecretOf(request, query)))),

  releaseReservation: async ({ engine, principal, params, query, request }) => {
    reservationFor(engine, principal, params.id, clientSecretOf(request, query));
    const reservation = await engine.transact((tx) => {
      const working = tx.get('reservations', params.id);
      if (!working) throw notFound('reservation', params.id);
      release(tx, working);
      return working;
    });
    return ok(withSecret(reservation));
  },
} satisfies Handlers;
