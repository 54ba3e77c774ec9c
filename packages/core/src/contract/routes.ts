import * as z from 'zod/mini';
import { idOf } from '../schemas/common';
import { ClockControl, ClockState, ControlState, FaultsControl, SeedControl } from '../schemas/control';
import { CreatorDashboard } from '../schemas/dashboard';
import { AuditVerification, EventListQuery, EventPage } from '../schemas/event';
import { ListingEvent, ListingFeed, ListingFeedQuery } from '../schemas/listing';
import { Jwks, SigningKeyRotation } from '../schemas/token';
import { Offer, OfferCreate, OfferPatch, OfferReview } from '../schemas/offer';
import { Order, Refund, RefundCreate, Transfer } from '../schemas/order';
import { ListQuery, pageOf } from '../schemas/pagination';
import { Creator, CreatorCreate, Entitlement, EntitlementCreate, Seller, SellerCreate } from '../schemas/party';
import { ReservationCapture } from '../schemas/reservation';
import { Session, SessionCreate, SessionPatch, SessionStatus } from '../schemas/session';
import { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate, WebhookReplay, WebhookSecretRotate } from '../schemas/webhook';
import { confirmReservation, createReservation, getReservation, getSession, issueOfferToken, releaseReservation, streamSession } from './public-routes';
import type { RouteDefinition } from './route';
import { IF_MATCH, IF_NONE_MATCH, LAST_EVENT_ID, PLATFORM, SSE, StreamQuery, created, ok, okOrNotModified, validated, withId } from './route-builders';

/**
 * Every route of HTTP API v1, keyed by operation id. Human-readable docs (summaries, tags,
 * response descriptions) live beside the OpenAPI generator, so browser bundles don't carry them.
 * @see {@link RouteDefinition}
 */
export const ROUTES = {
  createSeller: { operationId: 'createSeller', method: 'POST', path: '/v1/sellers', auth: PLATFORM, body: SellerCreate, responses: created(Seller), errors: validated() },
  getSeller: { operationId: 'getSeller', method: 'GET', path: '/v1/sellers/{id}', auth: PLATFORM, params: withId('seller'), responses: ok(Seller), errors: ['not_found'] },
  createCreator: { operationId: 'createCreator', method: 'POST', path: '/v1/creators', auth: PLATFORM, body: CreatorCreate, responses: created(Creator), errors: validated() },
  getCreator: { operationId: 'getCreator', method: 'GET', path: '/v1/creators/{id}', auth: ['platform', 'creator'], params: withId('creator'), responses: ok(Creator), errors: ['not_found'] },
  createEntitlement: { operationId: 'createEntitlement', method: 'POST', path: '/v1/creators/{id}/entitlements', auth: PLATFORM, params: withId('creator'), body: EntitlementCreate, responses: created(Entitlement), errors: validated('not_found') },
  listEntitlements: { operationId: 'listEntitlements', method: 'GET', path: '/v1/creators/{id}/entitlements', auth: ['platform', 'creator'], params: withId('creator'), query: ListQuery, responses: ok(pageOf(Entitlement)), errors: ['validation_failed', 'not_found'] },

  createSession: { operationId: 'createSession', method: 'POST', path: '/v1/sessions', auth: ['platform', 'creator'], body: SessionCreate, responses: created(Session), errors: validated('not_found') },
  listSessions: { operationId: 'listSessions', method: 'GET', path: '/v1/sessions', auth: ['platform', 'creator'], query: z.extend(ListQuery, { status: z.optional(SessionStatus), creatorId: z.optional(idOf('creator')) }), responses: ok(pageOf(Session)), errors: ['validation_failed'] },
  getSession,
  updateSession: { operationId: 'updateSession', method: 'PATCH', path: '/v1/sessions/{id}', auth: ['platform', 'creator'], params: withId('session'), headers: [IF_MATCH], body: SessionPatch, responses: ok(Session), errors: validated('not_found', 'version_conflict', 'precondition_required', 'invalid_state') },
  startSession: { operationId: 'startSession', method: 'POST', path: '/v1/sessions/{id}/start', auth: ['platform', 'creator'], params: withId('session'), responses: ok(Session), errors: ['not_found', 'invalid_state'] },
  endSession: { operationId: 'endSession', method: 'POST', path: '/v1/sessions/{id}/end', auth: ['platform', 'creator'], params: withId('session'), responses: ok(Session), errors: ['not_found', 'invalid_state'] },

  createOffer: { operationId: 'createOffer', method: 'POST', path: '/v1/sessions/{id}/offers', auth: ['platform', 'creator'], params: withId('session'), body: OfferCreate, responses: created(Offer), errors: validated('not_found', 'price_below_floor', 'currency_mismatch', 'entitlement_missing', 'invalid_state') },
  getOffer: { operationId: 'getOffer', method: 'GET', path: '/v1/offers/{id}', auth: ['platform', 'creator', 'moderator'], params: withId('offer'), responses: ok(Offer), errors: ['not_found'] },
  updateOffer: { operationId: 'updateOffer', method: 'PATCH', path: '/v1/offers/{id}', auth: ['platform', 'creator'], params: withId('offer'), headers: [IF_MATCH], body: OfferPatch, responses: ok(Offer), errors: validated('not_found', 'version_conflict', 'precondition_required', 'price_below_floor', 'currency_mismatch', 'quantity_below_committed', 'invalid_state') },
  publishOffer: { operationId: 'publishOffer', method: 'POST', path: '/v1/offers/{id}/publish', auth: ['platform', 'creator'], params: withId('offer'), responses: ok(Offer), errors: ['not_found', 'invalid_state'] },
  pauseOffer: { operationId: 'pauseOffer', method: 'POST', path: '/v1/offers/{id}/pause', auth: ['platform', 'creator'], params: withId('offer'), responses: ok(Offer), errors: ['not_found', 'invalid_state'] },
  endOffer: { operationId: 'endOffer', method: 'POST', path: '/v1/offers/{id}/end', auth: ['platform', 'creator'], params: withId('offer'), responses: ok(Offer), errors: ['not_found', 'invalid_state'] },
  reviewOffer: { operationId: 'reviewOffer', method: 'POST', path: '/v1/offers/{id}/review', auth: ['moderator'], params: withId('offer'), body: OfferReview, responses: ok(Offer), errors: validated('not_found', 'invalid_state') },
  issueOfferToken,
  getJwks: { operationId: 'getJwks', method: 'GET', path: '/.well-known/jwks.json', auth: 'public', responses: ok(Jwks), errors: [] },
  rotateSigningKey: { operationId: 'rotateSigningKey', method: 'POST', path: '/v1/signing-keys/rotate', auth: PLATFORM, responses: ok(SigningKeyRotation), errors: [] },

  createReservation,
  getReservation,
  releaseReservation,
  captureReservation: { operationId: 'captureReservation', method: 'POST', path: '/v1/reservations/{id}/capture', auth: PLATFORM, params: withId('reservation'), body: ReservationCapture, responses: created(Order), errors: validated('not_found', 'reservation_expired', 'reservation_not_held', 'limit_exceeded') },
  confirmReservation,

  getOrder: { operationId: 'getOrder', method: 'GET', path: '/v1/orders/{id}', auth: PLATFORM, params: withId('order'), responses: ok(Order), errors: ['not_found'] },
  createRefund: { operationId: 'createRefund', method: 'POST', path: '/v1/orders/{id}/refunds', auth: PLATFORM, params: withId('order'), body: RefundCreate, responses: created(Refund), errors: validated('not_found', 'refund_exceeds_capture', 'currency_mismatch') },
  listTransfers: { operationId: 'listTransfers', method: 'GET', path: '/v1/transfers', auth: ['platform', 'creator'], query: z.extend(ListQuery, { orderId: z.optional(idOf('order')), destination: z.optional(z.string().check(z.maxLength(100))) }), responses: ok(pageOf(Transfer)), errors: ['validation_failed'] },

  listEvents: { operationId: 'listEvents', method: 'GET', path: '/v1/events', auth: PLATFORM, query: EventListQuery, responses: ok(EventPage), errors: ['validation_failed'] },
  verifyAudit: { operationId: 'verifyAudit', method: 'GET', path: '/v1/audit/verify', auth: PLATFORM, responses: ok(AuditVerification), errors: [] },
  exportEvents: { operationId: 'exportEvents', method: 'GET', path: '/v1/exports/events.ndjson', auth: PLATFORM, query: z.pick(EventListQuery, { after: true }), responses: { 200: { contentType: 'application/x-ndjson' } }, errors: ['validation_failed'] },
  streamEvents: { operationId: 'streamEvents', method: 'GET', path: '/v1/events/stream', auth: PLATFORM, query: StreamQuery, headers: [LAST_EVENT_ID], responses: SSE, errors: [] },
  getSessionListing: { operationId: 'getSessionListing', method: 'GET', path: '/v1/sessions/{id}/listing', auth: ['publishable', 'platform', 'creator'], params: withId('session'), headers: [IF_NONE_MATCH], responses: okOrNotModified(ListingEvent, 'application/ld+json'), errors: ['not_found'] },
  listListings: { operationId: 'listListings', method: 'GET', path: '/v1/listings', auth: ['publishable', 'platform', 'creator'], query: ListingFeedQuery, headers: [IF_NONE_MATCH], responses: okOrNotModified(ListingFeed, 'application/ld+json'), errors: ['validation_failed'] },
  streamSession,

  createWebhookEndpoint: { operationId: 'createWebhookEndpoint', method: 'POST', path: '/v1/webhook-endpoints', auth: PLATFORM, body: WebhookEndpointCreate, responses: created(WebhookEndpoint), errors: validated() },
  listWebhookEndpoints: { operationId: 'listWebhookEndpoints', method: 'GET', path: '/v1/webhook-endpoints', auth: PLATFORM, query: ListQuery, responses: ok(pageOf(WebhookEndpoint)), errors: ['validation_failed'] },
  getWebhookEndpoint: { operationId: 'getWebhookEndpoint', method: 'GET', path: '/v1/webhook-endpoints/{id}', auth: PLATFORM, params: withId('webhookEndpoint'), responses: ok(WebhookEndpoint), errors: ['not_found'] },
  deleteWebhookEndpoint: { operationId: 'deleteWebhookEndpoint', method: 'DELETE', path: '/v1/webhook-endpoints/{id}', auth: PLATFORM, params: withId('webhookEndpoint'), responses: ok(WebhookEndpoint), errors: ['not_found'] },
  listWebhookDeliveries: { operationId: 'listWebhookDeliveries', method: 'GET', path: '/v1/webhook-endpoints/{id}/deliveries', auth: PLATFORM, params: withId('webhookEndpoint'), query: ListQuery, responses: ok(pageOf(WebhookDelivery)), errors: ['not_found', 'validation_failed'] },
  replayWebhookEndpoint: { operationId: 'replayWebhookEndpoint', method: 'POST', path: '/v1/webhook-endpoints/{id}/replay', auth: PLATFORM, params: withId('webhookEndpoint'), body: WebhookReplay, responses: ok(WebhookEndpoint), errors: validated('not_found') },
  rotateWebhookSecret: { operationId: 'rotateWebhookSecret', method: 'POST', path: '/v1/webhook-endpoints/{id}/rotate-secret', auth: PLATFORM, params: withId('webhookEndpoint'), body: WebhookSecretRotate, responses: ok(WebhookEndpoint), errors: validated('not_found') },

  getCreatorDashboard: { operationId: 'getCreatorDashboard', method: 'GET', path: '/v1/creators/{id}/dashboard', auth: ['platform', 'creator'], params: withId('creator'), query: z.strictObject({ sessionId: z.optional(idOf('session')) }), responses: ok(CreatorDashboard), errors: ['not_found', 'validation_failed'] },

  getOpenApi: { operationId: 'getOpenApi', method: 'GET', path: '/openapi.json', auth: 'public', responses: ok(), errors: [] },

  controlReset: { operationId: 'controlReset', method: 'POST', path: '/__control/reset', auth: 'control', responses: ok(ControlState), errors: [] },
  controlClock: { operationId: 'controlClock', method: 'POST', path: '/__control/clock', auth: 'control', body: ClockControl, responses: ok(ClockState), errors: ['validation_failed', 'malformed_json', 'invalid_state'] },
  controlFaults: { operationId: 'controlFaults', method: 'POST', path: '/__control/faults', auth: 'control', body: FaultsControl, responses: ok(ControlState), errors: ['validation_failed', 'malformed_json'] },
  controlSeed: { operationId: 'controlSeed', method: 'POST', path: '/__control/seed', auth: 'control', body: SeedControl, responses: ok(ControlState), errors: ['validation_failed', 'malformed_json'] },
  controlState: { operationId: 'controlState', method: 'GET', path: '/__control/state', auth: 'control', responses: ok(ControlState), errors: [] },
} as const satisfies Record<string, RouteDefinition>;

/** The operation id of a route. */
export type OperationId = keyof typeof ROUTES;
