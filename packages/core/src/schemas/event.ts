import * as z from 'zod/mini';
import { named } from './named';
import { Attribution, BuyerId, Count, Timestamp, idOf } from './common';
import { Offer } from './offer';
import { Order, Refund, Transfer, TransferReversal } from './order';
import { Creator, Entitlement, Seller } from './party';
import { Reservation, TestPaymentMethod } from './reservation';
import { Session } from './session';
import { WebhookEndpoint } from './webhook';

/** The `prevhash` of the first event in a log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

const Sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'));

/** Who and what a commerce event is attributed to. */
export const CommerceAttribution = z.strictObject({
  creatorId: idOf('creator'),
  sessionId: idOf('session'),
  offerId: idOf('offer'),
  campaign: z.nullable(z.string()),
});
/** Commerce attribution; see {@link CommerceAttribution}. */
export type CommerceAttribution = z.infer<typeof CommerceAttribution>;

const SessionData = z.strictObject({ session: Session });
const OfferData = z.strictObject({ offer: Offer });
const ReservationData = z.strictObject({ reservation: Reservation, attribution: CommerceAttribution });
const WebhookEndpointData = z.strictObject({ endpoint: WebhookEndpoint });

/**
 * `data` of `livedrop.session.warmup_due`: a scheduled session is `leadTimeMs` from its start (or
 * went live before that), so platforms can prefetch its views and warm caches for the audience.
 */
export const SessionWarmupData = named(
  z.strictObject({
    sessionId: idOf('session'),
    scheduledStartAt: Timestamp,
    expectedViewers: z.nullable(Count),
    /** The server's configured lead time, in ms. */
    leadTimeMs: Count,
  }),
  'SessionWarmupData',
);
/** Warm-up data; see {@link SessionWarmupData}. */
export type SessionWarmupData = z.infer<typeof SessionWarmupData>;

/** `data` of `livedrop.session.cooldown`: an ended session's audience has gone; warmed capacity can be released. */
export const SessionCooldownData = named(
  z.strictObject({
    sessionId: idOf('session'),
    startedAt: z.nullable(Timestamp),
    endedAt: Timestamp,
    expectedViewers: z.nullable(Count),
    /** The server's configured delay between the end and this event, in ms. */
    cooldownDelayMs: Count,
  }),
  'SessionCooldownData',
);
/** Cool-down data; see {@link SessionCooldownData}. */
export type SessionCooldownData = z.infer<typeof SessionCooldownData>;

/**
 * Each event type and the schema of its `data`. The single source of truth for event types:
 * the union below, the docs and the stream filters are derived from it.
 */
export const EVENT_DATA = {
  'livedrop.seller.created': z.strictObject({ seller: Seller }),
  /** A shown trust figure of the seller changed (an order captured, refunded or aged out of the window). */
  'livedrop.seller.trust_updated': z.strictObject({ seller: Seller }),
  'livedrop.creator.created': z.strictObject({ creator: Creator }),
  /** A shown trust figure of the creator changed (a session ended, a late capture, or one aged out). */
  'livedrop.creator.trust_updated': z.strictObject({ creator: Creator }),
  'livedrop.entitlement.created': z.strictObject({ entitlement: Entitlement }),
  'livedrop.session.created': SessionData,
  'livedrop.session.updated': SessionData,
  'livedrop.session.started': SessionData,
  'livedrop.session.ended': SessionData,
  'livedrop.session.warmup_due': SessionWarmupData,
  'livedrop.session.cooldown': SessionCooldownData,
  'livedrop.offer.created': OfferData,
  'livedrop.offer.reviewed': OfferData,
  'livedrop.offer.updated': OfferData,
  'livedrop.offer.published': OfferData,
  'livedrop.offer.paused': OfferData,
  'livedrop.offer.ended': OfferData,
  'livedrop.offer.sold_out': OfferData,
  'livedrop.token.issued': z.strictObject({
    jti: z.string(),
    buyerId: BuyerId,
    quantityMax: z.int(),
    expiresAt: Timestamp,
    attribution: CommerceAttribution,
    campaign: z.nullable(Attribution),
  }),
  'livedrop.reservation.held': ReservationData,
  'livedrop.reservation.backordered': ReservationData,
  'livedrop.reservation.promoted': ReservationData,
  'livedrop.reservation.released': ReservationData,
  'livedrop.reservation.expired': ReservationData,
  'livedrop.payment.declined': z.strictObject({
    reservationId: idOf('reservation'),
    paymentMethod: TestPaymentMethod,
    attribution: CommerceAttribution,
  }),
  'livedrop.order.created': z.strictObject({ order: Order, attribution: CommerceAttribution }),
  'livedrop.transfer.paid': z.strictObject({ transfer: Transfer }),
  'livedrop.transfer.reversed': z.strictObject({ transfer: Transfer, reversal: TransferReversal }),
  'livedrop.refund.created': z.strictObject({ refund: Refund, attribution: CommerceAttribution }),
  'livedrop.signing_key.rotated': z.strictObject({ currentKid: z.string(), previousKid: z.nullable(z.string()) }),
  'livedrop.webhook_endpoint.created': WebhookEndpointData,
  'livedrop.webhook_endpoint.deleted': WebhookEndpointData,
  'livedrop.webhook_endpoint.disabled': WebhookEndpointData,
  'livedrop.webhook_endpoint.enabled': WebhookEndpointData,
  'livedrop.webhook_endpoint.secret_rotated': WebhookEndpointData,
} as const;

/** A LiveDrop event type, e.g. `livedrop.offer.published`. */
export type EventType = keyof typeof EVENT_DATA;
/** Every event type. */
export const EVENT_TYPES = Object.keys(EVENT_DATA) as [EventType, ...EventType[]];

/** The CloudEvents 1.0 context attributes and LiveDrop's extensions, shared by every event. */
const envelope = {
  specversion: z.literal('1.0'),
  id: idOf('event'),
  /** URI-reference of the producing LiveDrop deployment. */
  source: z.string().check(z.minLength(1)),
  time: Timestamp,
  /** Id of the object the event is about. */
  subject: z.string(),
  datacontenttype: z.literal('application/json'),
  /** Extension: position in the log, strictly increasing from 1. */
  seq: z.int().check(z.minimum(1)),
  /** Extension: `hash` of the previous event ({@link GENESIS_HASH} for the first). */
  prevhash: Sha256Hex,
  /** Extension: SHA-256 of this event's canonical form, chaining the log. */
  hash: Sha256Hex,
};

function eventOf<T extends EventType>(type: T) {
  return z.strictObject({ ...envelope, type: z.literal(type), data: EVENT_DATA[type] });
}

/**
 * A LiveDrop event: a CloudEvents 1.0 structured JSON event whose `type` selects the shape of `data`.
 */
export const LiveDropEvent = named(
  z.discriminatedUnion('type', [
    eventOf('livedrop.seller.created'),
    eventOf('livedrop.seller.trust_updated'),
    eventOf('livedrop.creator.created'),
    eventOf('livedrop.creator.trust_updated'),
    eventOf('livedrop.entitlement.created'),
    eventOf('livedrop.session.created'),
    eventOf('livedrop.session.updated'),
    eventOf('livedrop.session.started'),
    eventOf('livedrop.session.ended'),
    eventOf('livedrop.session.warmup_due'),
    eventOf('livedrop.session.cooldown'),
    eventOf('livedrop.offer.created'),
    eventOf('livedrop.offer.reviewed'),
    eventOf('livedrop.offer.updated'),
    eventOf('livedrop.offer.published'),
    eventOf('livedrop.offer.paused'),
    eventOf('livedrop.offer.ended'),
    eventOf('livedrop.offer.sold_out'),
    eventOf('livedrop.token.issued'),
    eventOf('livedrop.reservation.held'),
    eventOf('livedrop.reservation.backordered'),
    eventOf('livedrop.reservation.promoted'),
    eventOf('livedrop.reservation.released'),
    eventOf('livedrop.reservation.expired'),
    eventOf('livedrop.payment.declined'),
    eventOf('livedrop.order.created'),
    eventOf('livedrop.transfer.paid'),
    eventOf('livedrop.transfer.reversed'),
    eventOf('livedrop.refund.created'),
    eventOf('livedrop.signing_key.rotated'),
    eventOf('livedrop.webhook_endpoint.created'),
    eventOf('livedrop.webhook_endpoint.deleted'),
    eventOf('livedrop.webhook_endpoint.disabled'),
    eventOf('livedrop.webhook_endpoint.enabled'),
    eventOf('livedrop.webhook_endpoint.secret_rotated'),
  ]),
  'LiveDropEvent',
);
/** A LiveDrop event; see {@link LiveDropEvent}. */
export type LiveDropEvent = z.infer<typeof LiveDropEvent>;

/** The event of one type, e.g. `EventOf<'livedrop.offer.published'>`. */
export type EventOf<T extends EventType> = Extract<LiveDropEvent, { type: T }>;

/** Query of `GET /v1/events`: replay from a cursor. */
export const EventListQuery = z.strictObject({
  /** Return events with `seq` greater than this. @default 0 */
  after: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  /** Event types to keep; on the wire a comma-separated list (`?types=a,b`). @default every type */
  types: z.optional(z.array(z.enum(EVENT_TYPES))),
  /** Page size. @default 100 */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
});
/** Query of `GET /v1/events`; see {@link EventListQuery}. */
export type EventListQuery = z.infer<typeof EventListQuery>;

/** A page of events from the log: `nextAfter` is the cursor for the next page. */
export const EventPage = named(
  z.strictObject({
    object: z.literal('event_page'),
    data: z.array(LiveDropEvent),
    hasMore: z.boolean(),
    nextAfter: z.int().check(z.minimum(0)),
  }),
  'EventPage',
);
/** A page of events; see {@link EventPage}. */
export type EventPage = z.infer<typeof EventPage>;

/** Answer of `GET /v1/audit/verify`: whether the hash chain is intact (from its checkpoint, if retention trimmed it). */
export const AuditVerification = named(
  z.strictObject({
    object: z.literal('audit_verification'),
    valid: z.boolean(),
    eventsChecked: z.int().check(z.minimum(0)),
    headSeq: z.int().check(z.minimum(0)),
    headHash: Sha256Hex,
    /** The first event whose hash or link is wrong, if any. */
    firstInvalidSeq: z.nullable(z.int()),
    /**
     * The last event the log's retention dropped (exported first): the walk starts from its `hash`,
     * which the first kept event's `prevhash` must name, and `eventsChecked` counts the kept events.
     * Null while the log is whole (the walk starts from the genesis hash).
     */
    checkpoint: z.nullable(z.strictObject({ seq: z.int().check(z.minimum(1)), hash: Sha256Hex })),
  }),
  'AuditVerification',
);
/** An audit verification; see {@link AuditVerification}. */
export type AuditVerification = z.infer<typeof AuditVerification>;
