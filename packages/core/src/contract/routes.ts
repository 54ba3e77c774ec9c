import * as z from 'zod/mini';
import { idOf } from '../schemas/common';
import { ClockControl, ClockState, ControlState, FaultsControl, SeedControl } from '../schemas/control';
import { CreatorDashboard } from '../schemas/dashboard';
import { AuditVerification, EventListQuery, EventPage } from '../schemas/event';
import { IssuedToken, Jwks, SigningKeyRotation, TokenIssue } from '../schemas/token';
import { Offer, OfferCreate, OfferPatch, OfferReview } from '../schemas/offer';
import { Order, Refund, RefundCreate, Transfer } from '../schemas/order';
import { ListQuery, pageOf } from '../schemas/pagination';
import { Creator, CreatorCreate, Entitlement, EntitlementCreate, Seller, SellerCreate } from '../schemas/party';
import { Reservation, ReservationCapture, ReservationConfirm, ReservationCreate } from '../schemas/reservation';
import { Session, SessionCreate, SessionPatch, SessionStatus, SessionView } from '../schemas/session';
import { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate, WebhookReplay, WebhookSecretRotate } from '../schemas/webhook';
import type { RouteDefinition, RouteHeader } from './route';

const IF_MATCH: RouteHeader = { name: 'If-Match', required: true, description: 'The version being changed; a stale one answers 412 version_conflict.' };
const IF_NONE_MATCH: RouteHeader = { name: 'If-None-Match', required: false, description: 'An ETag from an earlier read; answers 304 when nothing changed.' };
const LAST_EVENT_ID: RouteHeader = { name: 'Last-Event-ID', required: false, description: 'Resume after this `seq` with no gap and no duplicate (or `?lastEventId=`).' };

const PLATFORM = ['platform'] as const;
const VALIDATED = ['validation_failed', 'malformed_json', 'payload_too_large', 'idempotency_key_reused', 'idempotency_key_in_use'] as const;

const ok = (description: string, schema?: z.ZodMiniType) => (schema ? { 200: { description, schema } } : { 200: { description } });
const created = (description: string, schema: z.ZodMiniType) => ({ 201: { description, schema } });
const sse = { 200: { description: 'A `text/event-stream` of events; `id:` is the event `seq`.', contentType: 'text/event-stream' } };

const StreamQuery = z.strictObject({ lastEventId: z.optional(z.string().check(z.regex(/^\d+$/))) });
const withId = <K extends Parameters<typeof idOf>[0]>(kind: K) => ({ id: idOf(kind) });

/**
 * Every route of HTTP API v1, keyed by operation id.
 * @see {@link RouteDefinition}
 */
export const ROUTES = {
  createSeller: { operationId: 'createSeller', method: 'POST', path: '/v1/sellers', tag: 'Parties', summary: 'Create a seller', auth: PLATFORM, body: SellerCreate, responses: created('The seller.', Seller), errors: [...VALIDATED] },
  getSeller: { operationId: 'getSeller', method: 'GET', path: '/v1/sellers/{id}', tag: 'Parties', summary: 'Read a seller and its trust signals', auth: PLATFORM, params: withId('seller'), responses: ok('The seller.', Seller), errors: ['not_found'] },
  createCreator: { operationId: 'createCreator', method: 'POST', path: '/v1/creators', tag: 'Parties', summary: 'Create a creator', auth: PLATFORM, body: CreatorCreate, responses: created('The creator.', Creator), errors: [...VALIDATED] },
  getCreator: { operationId: 'getCreator', method: 'GET', path: '/v1/creators/{id}', tag: 'Parties', summary: 'Read a creator', auth: ['platform', 'creator'], params: withId('creator'), responses: ok('The creator.', Creator), errors: ['not_found'] },
  createEntitlement: { operationId: 'createEntitlement', method: 'POST', path: '/v1/creators/{id}/entitlements', tag: 'Parties', summary: "Let a creator sell a seller's products", auth: PLATFORM, params: withId('creator'), body: EntitlementCreate, responses: created('The entitlement.', Entitlement), errors: [...VALIDATED, 'not_found'] },
  listEntitlements: { operationId: 'listEntitlements', method: 'GET', path: '/v1/creators/{id}/entitlements', tag: 'Parties', summary: "List a creator's entitlements", auth: ['platform', 'creator'], params: withId('creator'), query: ListQuery, responses: ok('A page of entitlements.', pageOf(Entitlement)), errors: ['validation_failed', 'not_found'] },

  createSession: { operationId: 'createSession', method: 'POST', path: '/v1/sessions', tag: 'Sessions', summary: 'Schedule a live session', auth: ['platform', 'creator'], body: SessionCreate, responses: created('The session, `scheduled`.', Session), errors: [...VALIDATED, 'not_found'] },
  listSessions: { operationId: 'listSessions', method: 'GET', path: '/v1/sessions', tag: 'Sessions', summary: 'List sessions', auth: ['platform', 'creator'], query: z.strictObject({ ...ListQuery.shape, status: z.optional(SessionStatus), creatorId: z.optional(idOf('creator')) }), responses: ok('A page of sessions, newest first.', pageOf(Session)), errors: ['validation_failed'] },
  getSession: { operationId: 'getSession', method: 'GET', path: '/v1/sessions/{id}', tag: 'Sessions', summary: 'Hydrate a session: offers with live stock, badges and trust signals in one response', auth: ['platform', 'publishable', 'creator', 'moderator'], params: withId('session'), headers: [IF_NONE_MATCH], responses: { ...ok('The hydrated view, with an `ETag`.', SessionView), 304: { description: 'Not modified since the `If-None-Match` ETag.' } }, errors: ['not_found'] },
  updateSession: { operationId: 'updateSession', method: 'PATCH', path: '/v1/sessions/{id}', tag: 'Sessions', summary: 'Change a session', auth: ['platform', 'creator'], params: withId('session'), headers: [IF_MATCH], body: SessionPatch, responses: ok('The session.', Session), errors: [...VALIDATED, 'not_found', 'version_conflict', 'precondition_required', 'invalid_state'] },
  startSession: { operationId: 'startSession', method: 'POST', path: '/v1/sessions/{id}/start', tag: 'Sessions', summary: 'Go live', auth: ['platform', 'creator'], params: withId('session'), responses: ok('The session, `live`.', Session), errors: ['not_found', 'invalid_state'] },
  endSession: { operationId: 'endSession', method: 'POST', path: '/v1/sessions/{id}/end', tag: 'Sessions', summary: 'End the session and its offers', auth: ['platform', 'creator'], params: withId('session'), responses: ok('The session, `ended`.', Session), errors: ['not_found', 'invalid_state'] },

  createOffer: { operationId: 'createOffer', method: 'POST', path: '/v1/sessions/{id}/offers', tag: 'Offers', summary: 'Add an offer to a session (moderated)', auth: ['platform', 'creator'], params: withId('session'), body: OfferCreate, responses: created('The offer: `draft`, `pending_review` or `rejected` by moderation.', Offer), errors: [...VALIDATED, 'not_found', 'price_below_floor', 'currency_mismatch', 'entitlement_missing', 'invalid_state'] },
  getOffer: { operationId: 'getOffer', method: 'GET', path: '/v1/offers/{id}', tag: 'Offers', summary: 'Read an offer with live stock', auth: ['platform', 'creator', 'moderator'], params: withId('offer'), responses: ok('The offer.', Offer), errors: ['not_found'] },
  updateOffer: { operationId: 'updateOffer', method: 'PATCH', path: '/v1/offers/{id}', tag: 'Offers', summary: 'Change price or stock', auth: ['platform', 'creator'], params: withId('offer'), headers: [IF_MATCH], body: OfferPatch, responses: ok('The offer.', Offer), errors: [...VALIDATED, 'not_found', 'version_conflict', 'precondition_required', 'price_below_floor', 'currency_mismatch', 'quantity_below_committed', 'invalid_state'] },
  publishOffer: { operationId: 'publishOffer', method: 'POST', path: '/v1/offers/{id}/publish', tag: 'Offers', summary: 'Put an offer live', auth: ['platform', 'creator'], params: withId('offer'), responses: ok('The offer, `live`.', Offer), errors: ['not_found', 'invalid_state'] },
  pauseOffer: { operationId: 'pauseOffer', method: 'POST', path: '/v1/offers/{id}/pause', tag: 'Offers', summary: 'Pause new reservations', auth: ['platform', 'creator'], params: withId('offer'), responses: ok('The offer, `paused`.', Offer), errors: ['not_found', 'invalid_state'] },
  endOffer: { operationId: 'endOffer', method: 'POST', path: '/v1/offers/{id}/end', tag: 'Offers', summary: 'End an offer (holds keep their TTL)', auth: ['platform', 'creator'], params: withId('offer'), responses: ok('The offer, `ended`.', Offer), errors: ['not_found', 'invalid_state'] },
  reviewOffer: { operationId: 'reviewOffer', method: 'POST', path: '/v1/offers/{id}/review', tag: 'Offers', summary: 'Approve or reject an offer held for review', auth: ['moderator'], params: withId('offer'), body: OfferReview, responses: ok('The offer: `draft` or `rejected`.', Offer), errors: [...VALIDATED, 'not_found', 'invalid_state'] },
  issueOfferToken: { operationId: 'issueOfferToken', method: 'POST', path: '/v1/offers/{id}/tokens', tag: 'Tokens', summary: 'Issue a single-use offer token for one buyer', auth: ['platform', 'publishable'], params: withId('offer'), body: TokenIssue, responses: created('The signed token.', IssuedToken), errors: [...VALIDATED, 'not_found', 'offer_not_live', 'limit_exceeded'] },
  getJwks: { operationId: 'getJwks', method: 'GET', path: '/.well-known/jwks.json', tag: 'Tokens', summary: 'Public keys that verify offer tokens (current and previous)', auth: 'public', responses: ok('The JWKS.', Jwks), errors: [] },
  rotateSigningKey: { operationId: 'rotateSigningKey', method: 'POST', path: '/v1/signing-keys/rotate', tag: 'Tokens', summary: 'Rotate the token signing key; the previous key keeps verifying', auth: PLATFORM, responses: ok('The rotation.', SigningKeyRotation), errors: [] },

  createReservation: { operationId: 'createReservation', method: 'POST', path: '/v1/reservations', tag: 'Reservations', summary: 'Hold units with an offer token', auth: ['platform', 'publishable'], body: ReservationCreate, responses: created('The reservation: `held`, or `backordered` with a queue position.', Reservation), errors: [...VALIDATED, 'token_invalid', 'token_expired', 'token_replayed', 'offer_not_live', 'sold_out', 'limit_exceeded'] },
  getReservation: { operationId: 'getReservation', method: 'GET', path: '/v1/reservations/{id}', tag: 'Reservations', summary: 'Read a reservation (publishable keys need its client secret)', auth: ['platform', 'publishable'], params: withId('reservation'), query: z.strictObject({ clientSecret: z.optional(z.string()) }), responses: ok('The reservation.', Reservation), errors: ['not_found'] },
  releaseReservation: { operationId: 'releaseReservation', method: 'POST', path: '/v1/reservations/{id}/release', tag: 'Reservations', summary: 'Give the units back (exactly once)', auth: ['platform', 'publishable'], params: withId('reservation'), query: z.strictObject({ clientSecret: z.optional(z.string()) }), responses: ok('The reservation, `released`.', Reservation), errors: ['not_found', 'reservation_not_held'] },
  captureReservation: { operationId: 'captureReservation', method: 'POST', path: '/v1/reservations/{id}/capture', tag: 'Reservations', summary: 'Turn a hold into an order after taking payment', auth: PLATFORM, params: withId('reservation'), body: ReservationCapture, responses: created('The order.', Order), errors: [...VALIDATED, 'not_found', 'reservation_expired', 'reservation_not_held'] },
  confirmReservation: { operationId: 'confirmReservation', method: 'POST', path: '/v1/reservations/{id}/confirm', tag: 'Reservations', summary: 'Pay for a hold with a test payment method', auth: ['publishable', 'platform'], params: withId('reservation'), body: ReservationConfirm, responses: created('The order.', Order), errors: [...VALIDATED, 'not_found', 'payment_declined', 'reservation_expired', 'reservation_not_held'] },

  getOrder: { operationId: 'getOrder', method: 'GET', path: '/v1/orders/{id}', tag: 'Orders', summary: 'Read an order with its split, transfers and refunds', auth: PLATFORM, params: withId('order'), responses: ok('The order.', Order), errors: ['not_found'] },
  createRefund: { operationId: 'createRefund', method: 'POST', path: '/v1/orders/{id}/refunds', tag: 'Orders', summary: 'Refund all or part of an order; transfers are reversed proportionally', auth: PLATFORM, params: withId('order'), body: RefundCreate, responses: created('The refund.', Refund), errors: [...VALIDATED, 'not_found', 'refund_exceeds_capture', 'currency_mismatch'] },
  listTransfers: { operationId: 'listTransfers', method: 'GET', path: '/v1/transfers', tag: 'Orders', summary: 'List transfers by order or destination', auth: ['platform', 'creator'], query: z.strictObject({ ...ListQuery.shape, orderId: z.optional(idOf('order')), destination: z.optional(z.string().check(z.maxLength(100))) }), responses: ok('A page of transfers.', pageOf(Transfer)), errors: ['validation_failed'] },

  listEvents: { operationId: 'listEvents', method: 'GET', path: '/v1/events', tag: 'Events', summary: 'Replay the event log from a cursor', auth: PLATFORM, query: EventListQuery, responses: ok('A page of events.', EventPage), errors: ['validation_failed'] },
  verifyAudit: { operationId: 'verifyAudit', method: 'GET', path: '/v1/audit/verify', tag: 'Events', summary: "Walk the log's SHA-256 hash chain", auth: PLATFORM, responses: ok('Whether the chain is intact.', AuditVerification), errors: [] },
  exportEvents: { operationId: 'exportEvents', method: 'GET', path: '/v1/exports/events.ndjson', tag: 'Events', summary: 'Stream the log as NDJSON CloudEvents', auth: PLATFORM, query: z.strictObject({ after: EventListQuery.shape.after }), responses: { 200: { description: 'One CloudEvent per line.', contentType: 'application/x-ndjson' } }, errors: ['validation_failed'] },
  streamEvents: { operationId: 'streamEvents', method: 'GET', path: '/v1/events/stream', tag: 'Realtime', summary: 'Every event, live (Server-Sent Events)', auth: PLATFORM, query: StreamQuery, headers: [LAST_EVENT_ID], responses: sse, errors: [] },
  streamSession: { operationId: 'streamSession', method: 'GET', path: '/v1/sessions/{id}/stream', tag: 'Realtime', summary: "A session's public projection, live (Server-Sent Events)", auth: ['publishable', 'platform', 'creator'], params: withId('session'), query: StreamQuery, headers: [LAST_EVENT_ID], responses: sse, errors: ['not_found'] },

  createWebhookEndpoint: { operationId: 'createWebhookEndpoint', method: 'POST', path: '/v1/webhook-endpoints', tag: 'Webhooks', summary: 'Register a webhook endpoint', auth: PLATFORM, body: WebhookEndpointCreate, responses: created('The endpoint with its `whsec_` secret.', WebhookEndpoint), errors: [...VALIDATED] },
  deleteWebhookEndpoint: { operationId: 'deleteWebhookEndpoint', method: 'DELETE', path: '/v1/webhook-endpoints/{id}', tag: 'Webhooks', summary: 'Remove a webhook endpoint', auth: PLATFORM, params: withId('webhookEndpoint'), responses: ok('The removed endpoint.', WebhookEndpoint), errors: ['not_found'] },
  listWebhookDeliveries: { operationId: 'listWebhookDeliveries', method: 'GET', path: '/v1/webhook-endpoints/{id}/deliveries', tag: 'Webhooks', summary: "List an endpoint's deliveries", auth: PLATFORM, params: withId('webhookEndpoint'), query: ListQuery, responses: ok('A page of deliveries.', pageOf(WebhookDelivery)), errors: ['not_found', 'validation_failed'] },
  replayWebhookEndpoint: { operationId: 'replayWebhookEndpoint', method: 'POST', path: '/v1/webhook-endpoints/{id}/replay', tag: 'Webhooks', summary: 'Redeliver matching events after a cursor', auth: PLATFORM, params: withId('webhookEndpoint'), body: WebhookReplay, responses: ok('The endpoint.', WebhookEndpoint), errors: [...VALIDATED, 'not_found'] },
  rotateWebhookSecret: { operationId: 'rotateWebhookSecret', method: 'POST', path: '/v1/webhook-endpoints/{id}/rotate-secret', tag: 'Webhooks', summary: 'Rotate the signing secret; both sign during the overlap', auth: PLATFORM, params: withId('webhookEndpoint'), body: WebhookSecretRotate, responses: ok('The endpoint with its new secret.', WebhookEndpoint), errors: [...VALIDATED, 'not_found'] },

  getCreatorDashboard: { operationId: 'getCreatorDashboard', method: 'GET', path: '/v1/creators/{id}/dashboard', tag: 'Dashboards', summary: "A creator's conversions, GMV and earnings", auth: ['platform', 'creator'], params: withId('creator'), query: z.strictObject({ sessionId: z.optional(idOf('session')) }), responses: ok('The dashboard.', CreatorDashboard), errors: ['not_found', 'validation_failed'] },

  getOpenApi: { operationId: 'getOpenApi', method: 'GET', path: '/openapi.json', tag: 'Meta', summary: 'This API as an OpenAPI 3.1 document', auth: 'public', responses: ok('The OpenAPI document.'), errors: [] },

  controlReset: { operationId: 'controlReset', method: 'POST', path: '/__control/reset', tag: 'Control', summary: 'Reference server: forget everything and reseed the test keys', auth: 'control', responses: ok('The state after the reset.', ControlState), errors: [] },
  controlClock: { operationId: 'controlClock', method: 'POST', path: '/__control/clock', tag: 'Control', summary: 'Reference server: advance or set the clock (expiries fire)', auth: 'control', body: ClockControl, responses: ok('The new time.', ClockState), errors: ['validation_failed', 'malformed_json', 'invalid_state'] },
  controlFaults: { operationId: 'controlFaults', method: 'POST', path: '/__control/faults', tag: 'Control', summary: 'Reference server: inject latency, errors and dropped streams', auth: 'control', body: FaultsControl, responses: ok('The state with the faults in force.', ControlState), errors: ['validation_failed', 'malformed_json'] },
  controlSeed: { operationId: 'controlSeed', method: 'POST', path: '/__control/seed', tag: 'Control', summary: 'Reference server: load a fixture', auth: 'control', body: SeedControl, responses: ok('The state after seeding.', ControlState), errors: ['validation_failed', 'malformed_json'] },
  controlState: { operationId: 'controlState', method: 'GET', path: '/__control/state', tag: 'Control', summary: 'Reference server: what it holds', auth: 'control', responses: ok('The state.', ControlState), errors: [] },
} as const satisfies Record<string, RouteDefinition>;

/** The operation id of a route. */
export type OperationId = keyof typeof ROUTES;
