import { OFFER_TOKEN_AUDIENCE, type IssuedToken, type OfferTokenClaims, type SigningKeyRotation } from '@livedrop/core';
import { isoTime } from '../clock';
import { created, ok, type Handlers } from '../http/handler';
import { randomToken } from '../ids';
import { ApiProblem, notFound } from '../problem';
import { OFFER_TOKEN_ISSUER, signOfferToken } from './token-codec';

/** Token lifetime when the request names none, in seconds. */
const DEFAULT_TTL_SECONDS = 120;
/** Most units a token may reserve when neither the request nor the offer says. */
const DEFAULT_QUANTITY_MAX = 10;

/**
 * Offer tokens: issuing single-use tokens for one buyer, the public keys that verify them, and
 * rotating the signing key (the previous key keeps verifying until the next rotation). Every tenant
 * has keys of its own: the JWKS and a rotation are the asking key's tenant's.
 */
export const tokenHandlers = {
  issueOfferToken: async ({ engine, principal, params, body }) => {
    const offer = engine.store.find(engine.store.offers, params.id, principal.tenantId);
    if (!offer) throw notFound('offer', params.id);
    // The pipeline saw to it that there is one: asserted by a buyer session, or named by the platform.
    const buyerId = (principal.buyerId ?? body.buyerId)!;
    const value = offer.value;
    if (value.status !== 'live')
      throw new ApiProblem(
        'offer_not_live',
        `Offer ${value.id} is ${value.status}; tokens are issued only for live offers — publish it first.`,
      );
    const limit = value.perBuyerLimit;
    if (limit !== null && body.quantityMax !== undefined && body.quantityMax > limit) {
      throw new ApiProblem(
        'limit_exceeded',
        `quantityMax ${body.quantityMax} is above the offer's perBuyerLimit of ${limit}; send ${limit} or less, or omit it.`,
        {
          errors: [
            {
              path: 'quantityMax',
              code: 'too_big',
              message: `quantityMax must be at most the offer's perBuyerLimit (${limit}).`,
            },
          ],
        },
      );
    }

    const now = Math.floor(engine.clock.now() / 1000);
    const exp = now + (body.ttlSeconds ?? DEFAULT_TTL_SECONDS);
    const claims: OfferTokenClaims = {
      iss: OFFER_TOKEN_ISSUER,
      aud: OFFER_TOKEN_AUDIENCE,
      sub: buyerId,
      sid: value.sessionId,
      oid: value.id,
      sku: value.sku,
      price: value.price,
      qmax: body.quantityMax ?? limit ?? DEFAULT_QUANTITY_MAX,
      jti: randomToken(32),
      iat: now,
      nbf: now,
      exp,
      ...(body.attribution ? { att: body.attribution } : {}),
    };
    const token = await signOfferToken(await engine.signing.of(principal.tenantId).current(), claims);
    const expiresAt = isoTime(exp * 1000);
    await engine.record(principal.tenantId, 'livedrop.token.issued', value.id, {
      jti: claims.jti,
      buyerId: claims.sub,
      quantityMax: claims.qmax,
      expiresAt,
      attribution: {
        creatorId: offer.creatorId,
        sessionId: value.sessionId,
        offerId: value.id,
        campaign: body.attribution?.campaign ?? null,
      },
      campaign: body.attribution ?? null,
    });
    const issued: IssuedToken = { object: 'offer_token', token, jti: claims.jti, expiresAt };
    return created(issued);
  },

  // The key chooses the tenant, so the answer varies with Authorization: no shared cache may keep it.
  getJwks: async ({ engine, principal }) =>
    ok(await engine.signing.of(principal.tenantId).jwks(), {
      'cache-control': 'private, max-age=60',
      vary: 'Authorization',
    }),

  rotateSigningKey: async ({ engine, principal }) => {
    // Only the asking tenant's keys rotate; other tenants' tokens are untouched.
    const { current, previous } = await engine.signing.of(principal.tenantId).rotate();
    await engine.record(principal.tenantId, 'livedrop.signing_key.rotated', current.kid, {
      currentKid: current.kid,
      previousKid: previous.kid,
    });
    const rotation: SigningKeyRotation = {
      object: 'signing_key_rotation',
      currentKid: current.kid,
      previousKid: previous.kid,
      rotatedAt: engine.nowIso(),
    };
    return ok(rotation);
  },
} satisfies Handlers;
