import type { OfferTokenClaims, Reservation } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { ApiProblem, notFound } from '../problem';
import type { OfferRecord, ReservationRecord } from '../store';
import { release, tryHold } from './ledger';
import { verifyOfferToken } from './token-codec';
import { sameSecret } from './client-secret';

/** How often (on the injected clock) consumed token ids past their expiry are forgotten. */
const JTI_PURGE_INTERVAL_MS = 60_000;
const nextJtiPurge = new WeakMap<Map<string, number>, number>();

/**
 * Forgets consumed token ids whose tokens would now be refused as expired anyway, at most once a
 * minute so the cost stays off the reservation path.
 */
function purgeConsumedJtis(engine: Engine): void {
  const consumed = engine.store.consumedJtis;
  const now = engine.clock.now();
  if (now < (nextJtiPurge.get(consumed) ?? 0)) return;
  nextJtiPurge.set(consumed, now + JTI_PURGE_INTERVAL_MS);
  const slackMs = engine.config.tokenClockToleranceSeconds * 1000;
  for (const [jti, expMs] of consumed) if (expMs + slackMs <= now) consumed.delete(jti);
}

/** The token's claims must describe the offer as it is now, or the buyer was shown something else. */
function checkClaimsMatch(claims: OfferTokenClaims, offer: OfferRecord): void {
  const { sessionId, sku, price } = offer.value;
  if (claims.sid !== sessionId || claims.sku !== sku) throw new ApiProblem('token_invalid', `The offer token does not describe offer ${claims.oid}; issue a new token for this offer.`);
  if (claims.price.amount !== price.amount || claims.price.currency !== price.currency) {
    throw new ApiProblem('token_invalid', 'The price changed since the offer token was issued; issue a new token so the buyer sees the current price.');
  }
}


/**
 * The reservation a key may touch: any of its tenant's for a platform key; for a publishable key
 * only with the matching `clientSecret`. Anything else is 404, so existence is never disclosed.
 */
function reservationFor(engine: Engine, principal: Principal, id: string, clientSecret: string | undefined): ReservationRecord {
  const reservation = engine.store.find(engine.store.reservations, id, principal.tenantId);
  if (!reservation) throw notFound('reservation', id);
  if (principal.role !== 'platform' && (clientSecret === undefined || !sameSecret(clientSecret, reservation.clientSecret))) {
    throw new ApiProblem('not_found', `No reservation with id "${id}" exists for this key; a publishable key must send the reservation's clientSecret as ?clientSecret=.`);
  }
  return reservation;
}

/** A reservation as a reader who holds its client secret (or a platform key) sees it. */
function withSecret(reservation: ReservationRecord): Reservation {
  return { ...reservation.value, clientSecret: reservation.clientSecret };
}

/** Refuses a token whose id a reservation already consumed. */
function refuseReplayed(engine: Engine, jti: string): void {
  purgeConsumedJtis(engine);
  if (engine.store.consumedJtis.has(jti)) {
    throw new ApiProblem('token_replayed', 'This offer token was already used; a token reserves once — issue a new one with POST /v1/offers/{id}/tokens.');
  }
}

/**
 * Reservations: hold units with a single-use offer token, read and release them. The token is
 * verified first (asynchronously); everything after that — replay check, claim checks, the hold and
 * consuming the token id — runs without yielding, so concurrent requests cannot interleave.
 */
export const reservationHandlers = {
  createReservation: async ({ engine, principal, quotas, body }) => {
    const claims = await verifyOfferToken(engine, body.offerToken);
    // A replayed token is refused before it counts against its buyer's bucket.
    refuseReplayed(engine, claims.jti);
    await engine.rateLimits.admitBuyer(quotas, 'createReservation', principal, claims.sub);
    // From here on nothing awaits: this is the critical section. The replay check runs again,
    // since another request may have used the token while the rate-limit store answered.
    refuseReplayed(engine, claims.jti);
    const offer = engine.store.find(engine.store.offers, claims.oid, principal.tenantId);
    if (!offer) throw new ApiProblem('token_invalid', 'The offer token is for an offer this key cannot reach; issue the token with a key of the platform that owns the offer.');
    checkClaimsMatch(claims, offer);
    const reservation = tryHold(engine, offer, {
      buyerId: claims.sub,
      quantity: body.quantity,
      quantityMax: claims.qmax,
      backorderConsent: body.backorderConsent === true,
      attribution: claims.att ?? null,
    });
    engine.store.consumedJtis.set(claims.jti, claims.exp * 1000);
    return created(withSecret(reservation));
  },

  getReservation: ({ engine, principal, params, query }) => ok(withSecret(reservationFor(engine, principal, params.id, query.clientSecret))),

  releaseReservation: ({ engine, principal, params, query }) => {
    const reservation = reservationFor(engine, principal, params.id, query.clientSecret);
    release(engine, reservation);
    return ok(withSecret(reservation));
  },
} satisfies Handlers;
