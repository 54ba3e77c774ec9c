import * as z from 'zod/mini';
import { named } from './named';
import { Count, Metadata, Timestamp, idOf } from './common';
import { Offer, PublicOffer } from './offer';
import { Creator, Seller } from './party';

/** Where a live session is: `scheduled → live → ended`. */
export const SessionStatus = z.enum(['scheduled', 'live', 'ended']);
/** A session's state; see {@link SessionStatus}. */
export type SessionStatus = z.infer<typeof SessionStatus>;

/**
 * A session as a viewer sees it (the publishable hydrate and the public stream): the allowlist of
 * what a publishable key may learn about a session. The platform's bookkeeping (`metadata`) and
 * capacity planning (`expectedViewers`) stay in {@link Session}.
 */
export const PublicSession = named(
  z.strictObject({
    id: idOf('session'),
    object: z.literal('session'),
    creatorId: idOf('creator'),
    title: z.string(),
    status: SessionStatus,
    scheduledStartAt: Timestamp,
    startedAt: z.nullable(Timestamp),
    endedAt: z.nullable(Timestamp),
    /** The public page where viewers watch the session; the listing feed names it as the event's location. */
    watchUrl: z.nullable(z.string()),
    /** Incremented on every change; send it as `If-Match` to PATCH. */
    version: z.int().check(z.minimum(1)),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  'PublicSession',
);
/** A session as a viewer sees it; see {@link PublicSession}. */
export type PublicSession = z.infer<typeof PublicSession>;

/** A creator's live session ("drop"): the {@link PublicSession} fields and the platform's own. */
export const Session = named(
  z.extend(PublicSession, {
    metadata: Metadata,
    /**
     * The audience the platform expects, for capacity planning; null when not declared. Carried by
     * `livedrop.session.warmup_due` so platforms can size caches and fan-out before the start.
     */
    expectedViewers: z.nullable(Count),
  }),
  'Session',
);
/** A session; see {@link Session}. */
export type Session = z.infer<typeof Session>;

const WatchUrl = z.url({ protocol: /^https?$/ }).check(z.maxLength(2048));

/** Body of `POST /v1/sessions`. */
export const SessionCreate = z.strictObject({
  creatorId: idOf('creator'),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  scheduledStartAt: Timestamp,
  metadata: z.optional(Metadata),
  /** The audience you expect (a non-negative integer). @default null (not declared) */
  expectedViewers: z.optional(z.nullable(Count)),
  /** The public page where viewers watch (http or https). @default null */
  watchUrl: z.optional(z.nullable(WatchUrl)),
});
/** Body of `POST /v1/sessions`; see {@link SessionCreate}. */
export type SessionCreate = z.infer<typeof SessionCreate>;

/** Body of `PATCH /v1/sessions/{id}` (send `If-Match: <version>`). */
export const SessionPatch = z.strictObject({
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  scheduledStartAt: z.optional(Timestamp),
  metadata: z.optional(Metadata),
  /** The audience you expect; `null` clears it. */
  expectedViewers: z.optional(z.nullable(Count)),
  /** The public watch page; `null` clears it. */
  watchUrl: z.optional(z.nullable(WatchUrl)),
});
/** Body of `PATCH /v1/sessions/{id}`; see {@link SessionPatch}. */
export type SessionPatch = z.infer<typeof SessionPatch>;

/**
 * Everything a session's screen needs in one response (`GET /v1/sessions/{id}` with a platform,
 * creator or moderator key): the session, its creator with the verified badge, its offers with live
 * stock, and the sellers' trust signals. A publishable key gets {@link PublicSessionView}.
 */
export const SessionView = named(
  z.strictObject({
    object: z.literal('session_view'),
    session: Session,
    creator: Creator,
    offers: z.array(Offer),
    sellers: z.array(Seller),
  }),
  'SessionView',
);
/** A hydrated session; see {@link SessionView}. */
export type SessionView = z.infer<typeof SessionView>;

/**
 * What a publishable key's hydrate (`GET /v1/sessions/{id}`) answers: {@link SessionView} made of
 * the public projections only ({@link PublicSession}, {@link PublicOffer}), with the creator's and
 * sellers' trust signals. It is what a CDN may share (`Cache-Control: public`).
 */
export const PublicSessionView = named(
  z.strictObject({
    object: z.literal('session_view'),
    session: PublicSession,
    creator: Creator,
    offers: z.array(PublicOffer),
    sellers: z.array(Seller),
  }),
  'PublicSessionView',
);
/** A viewer's hydrated session; see {@link PublicSessionView}. */
export type PublicSessionView = z.infer<typeof PublicSessionView>;
