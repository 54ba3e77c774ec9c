import * as z from 'zod/mini';
import { IssuedToken, TokenIssue } from '../schemas/token';
import { Order } from '../schemas/order';
import { Reservation, ReservationConfirm, ReservationCreate } from '../schemas/reservation';
import { PublicSessionView, SessionView } from '../schemas/session';
import type { RouteEndpoint } from './route';
import {
  BUYER_SESSION,
  CLIENT_SECRET,
  IF_NONE_MATCH,
  LAST_EVENT_ID,
  SSE,
  StreamQuery,
  created,
  ok,
  okOrNotModified,
  route,
  validated,
  withId,
} from './route-builders';

// The routes a publishable key may call: what a viewer's page needs. Each is two constants: its
// endpoint, which is all the browser's client ({@link createPublicClient}) carries, and the whole
// route that ROUTES lists. Constants rather than properties read at load time, so that bundlers
// can drop what an app does not use (docs/decisions/0004).

// The publishable key's hydrate answers the public view; the browser's client checks exactly that.
const getSessionEndpoint = {
  operationId: 'getSession',
  method: 'GET',
  path: '/v1/sessions/{id}',
  responses: okOrNotModified(PublicSessionView),
} as const satisfies RouteEndpoint;
// The whole route answers either view: the full one to platform, creator and moderator keys.
const getSessionAnyKeyEndpoint = {
  operationId: 'getSession',
  method: 'GET',
  path: '/v1/sessions/{id}',
  responses: okOrNotModified(z.union([SessionView, PublicSessionView])),
} as const satisfies RouteEndpoint;
const issueOfferTokenEndpoint = {
  operationId: 'issueOfferToken',
  method: 'POST',
  path: '/v1/offers/{id}/tokens',
  responses: created(IssuedToken),
} as const satisfies RouteEndpoint;
const createReservationEndpoint = {
  operationId: 'createReservation',
  method: 'POST',
  path: '/v1/reservations',
  responses: created(Reservation),
} as const satisfies RouteEndpoint;
const getReservationEndpoint = {
  operationId: 'getReservation',
  method: 'GET',
  path: '/v1/reservations/{id}',
  responses: ok(Reservation),
} as const satisfies RouteEndpoint;
const releaseReservationEndpoint = {
  operationId: 'releaseReservation',
  method: 'POST',
  path: '/v1/reservations/{id}/release',
  responses: ok(Reservation),
} as const satisfies RouteEndpoint;
const confirmReservationEndpoint = {
  operationId: 'confirmReservation',
  method: 'POST',
  path: '/v1/reservations/{id}/confirm',
  responses: created(Order),
} as const satisfies RouteEndpoint;
const streamSessionEndpoint = {
  operationId: 'streamSession',
  method: 'GET',
  path: '/v1/sessions/{id}/stream',
  responses: SSE,
} as const satisfies RouteEndpoint;

/** The endpoints of the routes a publishable key may call, by operation id. */
export const PUBLIC_ENDPOINTS = {
  getSession: getSessionEndpoint,
  issueOfferToken: issueOfferTokenEndpoint,
  createReservation: createReservationEndpoint,
  getReservation: getReservationEndpoint,
  releaseReservation: releaseReservationEndpoint,
  confirmReservation: confirmReservationEndpoint,
  streamSession: streamSessionEndpoint,
} as const;

/** The operation id of a route a publishable key may call. */
export type PublicOperationId = keyof typeof PUBLIC_ENDPOINTS;

const ClientSecretQuery = z.strictObject({ clientSecret: z.optional(z.string()) });

/**
 * `GET /v1/sessions/{id}`: hydrate a screen. A publishable key gets {@link PublicSessionView}, the
 * other keys {@link SessionView}.
 */
export const getSession = route(getSessionAnyKeyEndpoint, {
  auth: ['platform', 'publishable', 'creator', 'moderator'],
  params: withId('session'),
  headers: [IF_NONE_MATCH],
  errors: ['not_found'],
});
/**
 * `POST /v1/offers/{id}/tokens`: a single-use offer token, for the buyer the secret key names or the
 * one a publishable key's buyer session asserts.
 */
export const issueOfferToken = route(issueOfferTokenEndpoint, {
  auth: ['platform', 'publishable'],
  params: withId('offer'),
  headers: [BUYER_SESSION],
  body: TokenIssue,
  errors: validated(
    'not_found',
    'offer_not_live',
    'limit_exceeded',
    'velocity_exceeded',
    'buyer_session_required',
    'buyer_session_invalid',
    'buyer_session_expired',
    'buyer_id_not_allowed',
  ),
});
/** `POST /v1/reservations`: hold units with an offer token (for the buyer session's buyer, when one is sent). */
export const createReservation = route(createReservationEndpoint, {
  auth: ['platform', 'publishable'],
  headers: [BUYER_SESSION],
  body: ReservationCreate,
  errors: validated(
    'token_invalid',
    'token_expired',
    'token_replayed',
    'offer_not_live',
    'sold_out',
    'limit_exceeded',
    'buyer_session_invalid',
    'buyer_session_expired',
  ),
});
/** `GET /v1/reservations/{id}`: read a hold. */
export const getReservation = route(getReservationEndpoint, {
  auth: ['platform', 'publishable'],
  params: withId('reservation'),
  query: ClientSecretQuery,
  headers: [CLIENT_SECRET],
  errors: ['not_found'],
});
/** `POST /v1/reservations/{id}/release`: give the units back. */
export const releaseReservation = route(releaseReservationEndpoint, {
  auth: ['platform', 'publishable'],
  params: withId('reservation'),
  query: ClientSecretQuery,
  headers: [CLIENT_SECRET],
  errors: ['not_found', 'reservation_not_held'],
});
/** `POST /v1/reservations/{id}/confirm`: pay for a hold in test mode. */
export const confirmReservation = route(confirmReservationEndpoint, {
  auth: ['publishable', 'platform'],
  params: withId('reservation'),
  body: ReservationConfirm,
  errors: validated('not_found', 'payment_declined', 'reservation_expired', 'reservation_not_held', 'limit_exceeded'),
});
/** `GET /v1/sessions/{id}/stream`: the session's public stream. */
export const streamSession = route(streamSessionEndpoint, {
  auth: ['publishable', 'platform', 'creator'],
  params: withId('session'),
  query: StreamQuery,
  headers: [LAST_EVENT_ID],
  errors: ['not_found'],
});
