import type { OfferStatus, Session } from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { RequestHead } from '../http/server-request';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { Transaction } from '../storage/transaction';
import type { OfferRecord, SessionRecord } from '../store';
import { releaseBackorders } from './ledger';
import { buildSessionView, type SessionViewKind } from './offer-view';
import { paginate } from './paginate';
import { noneMatchHits, privateViewHeaders, publicCacheHeaders } from './public-cache';
import { scheduleCooldown, scheduleWarmup, warmUpOnStart } from './session-timers';
import { countSessionEnd } from './trust';

/** Whether `principal` may touch `record`: its tenant's, and its own creator's for a creator key. */
function isOwnSession(principal: Principal, record: SessionRecord | undefined): record is SessionRecord {
  return (
    record !== undefined &&
    record.tenantId === principal.tenantId &&
    (principal.role !== 'creator' || record.value.creatorId === principal.creatorId)
  );
}

/** The committed session `id` as `principal` may read it: in its tenant, and its own creator's for a creator key. */
export function findOwnedSession(engine: Engine, principal: Principal, id: string): SessionRecord {
  const record = engine.store.sessions.get(id);
  if (!isOwnSession(principal, record)) throw notFound('session', id);
  return record;
}

/** The working copy of session `id` in `tx`, as `principal` may change it (see {@link findOwnedSession}). */
export function ownedSessionCopy(tx: Transaction, principal: Principal, id: string): SessionRecord {
  const record = tx.get('sessions', id);
  if (!isOwnSession(principal, record)) throw notFound('session', id);
  return record;
}

/** A representation of an object a client may have read, by its strong ETag, and the version it shows. */
export interface ReadRepresentation {
  readonly etag: string;
  readonly version: number;
}

/** One entity tag of an `If-Match` list: weak or strong, and its opaque value (without quotes). */
interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

const ENTITY_TAG = /\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/y;

/** `If-Match`'s entity tags (RFC 9110 §8.8.3), `*` as `'any'`, or undefined when it is not that syntax. */
function entityTagsOf(header: string): EntityTag[] | 'any' | undefined {
  const trimmed = header.trim();
  if (trimmed === '*') return 'any';
  // The version number unquoted, as the SDK has always sent it: read as the tag `"<version>"`.
  if (/^\d{1,15}$/.test(trimmed)) return [{ weak: false, opaque: trimmed }];
  const tags: EntityTag[] = [];
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < header.length) {
    const match = ENTITY_TAG.exec(header);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
  }
  return tags.length > 0 ? tags : undefined;
}

/**
 * Checks `If-Match` before a PATCH, as HTTP evaluates preconditions before the change (RFC 9110
 * §13.1.1, strong comparison): `*` matches the object; a strong tag matches its `version` (`"3"`,
 * or bare `3`) or the ETag of its representation the client read with a GET (`read`, whose
 * version must still be `current`); a weak tag never matches.
 * @throws ApiProblem `precondition_required` (428) when absent, `validation_failed` (400) when not
 * entity tags, `version_conflict` (412) when none matches
 */
export function checkIfMatch(
  request: RequestHead,
  current: number,
  kind: 'session' | 'offer',
  read?: ReadRepresentation,
): void {
  const header = request.headers.get('if-match');
  if (header === null) {
    throw new ApiProblem(
      'precondition_required',
      `Send the ${kind}'s version as \`If-Match: "${current}"\` (or the ETag of a GET) so concurrent changes cannot overwrite each other; read the ${kind} to get it.`,
    );
  }
  const tags = entityTagsOf(header);
  if (tags === undefined) {
    const message = `"If-Match" must be entity tags (e.g. \`If-Match: "${current}"\`) or \`*\`, not ${JSON.stringify(header)}.`;
    throw new ApiProblem('validation_failed', message, {
      errors: [{ path: 'If-Match', code: 'invalid_format', message }],
    });
  }
  if (tags === 'any') return;
  const matches = (tag: EntityTag) =>
    !tag.weak &&
    ((/^\d{1,15}$/.test(tag.opaque) && Number(tag.opaque) === current) ||
      (read !== undefined && read.version === current && `"${tag.opaque}"` === read.etag));
  if (tags.some(matches)) return;
  const weak = tags.every((tag) => tag.weak) ? ' A weak tag (W/) never matches: If-Match compares strongly.' : '';
  throw new ApiProblem(
    'version_conflict',
    `The ${kind} is at version ${current}; ${JSON.stringify(header)} does not match it: it changed since you read it.${weak} Read it again, reapply your change and send \`If-Match: "${current}"\`.`,
  );
}

/** Whether an `If-Match` header holds a tag other than a version number (so maybe a GET's ETag). */
function namesAnEtag(header: string | null): boolean {
  return header !== null && /"(?!\d{1,15}")[^"]*"/.test(header);
}

/**
 * The hydrated view of session `id` as `principal` reads it with a GET, its ETag, and the session
 * version it shows. A publishable key sees the public projection, which a CDN may share among
 * viewers; every other key sees the full view, which no shared cache may keep.
 */
async function sessionViewOf(engine: Engine, principal: Principal, id: string) {
  // The revision is read before the records, so a view is never older than the revision it is cached at.
  const revision = await engine.views.revision(engine, principal.tenantId);
  const record = findOwnedSession(engine, principal, id);
  const kind: SessionViewKind = principal.role === 'publishable' ? 'public' : 'full';
  const { body, etag } = engine.views.view(record.tenantId, `session/${record.value.id}/${kind}`, revision, () =>
    buildSessionView(engine, record, kind),
  );
  return { kind, body, etag };
}

/** The ETag of a hydrated view and the session version it shows (from its own bytes, which the ETag covers). */
function readRepresentation(view: { body: string; etag: string }): ReadRepresentation {
  const shown = JSON.parse(view.body) as { session: { version: number } };
  return { etag: view.etag, version: shown.session.version };
}

/** A client's RFC 3339 timestamp in the form the server writes (`2026-11-25T19:00:00.000Z`), so equal times compare equal. */
function canonicalTime(timestamp: string): string {
  return isoTime(Date.parse(timestamp));
}

/** Records one more change of a versioned object, made at `now` (RFC 3339). */
export function bumpVersion(now: string, value: { version: number; updatedAt: string }): void {
  value.version += 1;
  value.updatedAt = now;
}

/** Offer statuses that can still end (by hand, with their session or at their `endsAt`). */
export const ENDABLE_OFFER_STATUSES: ReadonlySet<OfferStatus> = new Set<OfferStatus>(['draft', 'live', 'paused']);

/**
 * Ends an offer (a working copy) and emits its `offer.ended`: the one place an offer becomes
 * `ended`, whether by hand, with its session or at its `endsAt`. Holds already granted keep their
 * TTL; the ledger refuses new ones. The backorder queue can never be served any more, so its
 * reservations are released first, and the `offer.ended` snapshot shows the final stock.
 */
export function endOffer(tx: Transaction, offer: OfferRecord): void {
  const now = isoTime(tx.now);
  offer.value.status = 'ended';
  offer.value.endedAt = now;
  releaseBackorders(tx, offer);
  bumpVersion(now, offer.value);
  tx.emit(offer.tenantId, 'livedrop.offer.ended', offer.value.id, { offer: offer.value });
}

function emitSession(
  tx: Transaction,
  record: SessionRecord,
  type: 'livedrop.session.created' | 'livedrop.session.updated' | 'livedrop.session.started' | 'livedrop.session.ended',
): void {
  tx.emit(record.tenantId, type, record.value.id, { session: record.value });
}

/** Live sessions: schedule, list, hydrate, change, start and end. */
export const sessionHandlers = {
  async createSession({ engine, principal, body }) {
    if (principal.role === 'creator' && body.creatorId !== principal.creatorId) {
      throw new ApiProblem(
        'forbidden',
        `A creator key can only schedule sessions for its own creator (${principal.creatorId ?? 'none'}); send that creatorId or use a secret key.`,
      );
    }
    const { edge } = engine.config;
    const session = await engine.transact((tx) => {
      const creator = tx.get('creators', body.creatorId);
      if (!creator || creator.tenantId !== principal.tenantId) throw notFound('creator', body.creatorId);
      const now = isoTime(tx.now);
      const session: Session = {
        id: newId('session'),
        object: 'session',
        creatorId: body.creatorId,
        title: body.title,
        status: 'scheduled',
        scheduledStartAt: canonicalTime(body.scheduledStartAt),
        startedAt: null,
        endedAt: null,
        metadata: { ...body.metadata },
        expectedViewers: body.expectedViewers ?? null,
        watchUrl: body.watchUrl ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const record: SessionRecord = {
        tenantId: principal.tenantId,
        value: session,
        offerIds: [],
        warmupDueAt: null,
        warmedUp: false,
        cooledDown: false,
      };
      tx.put('sessions', session.id, record);
      emitSession(tx, record, 'livedrop.session.created');
      scheduleWarmup(tx, record, edge);
      return session;
    });
    return created(session);
  },

  listSessions({ engine, principal, query }) {
    const sessions: Session[] = [];
    for (const record of engine.store.sessions.values()) {
      const session = record.value;
      if (record.tenantId !== principal.tenantId) continue;
      if (principal.role === 'creator' && session.creatorId !== principal.creatorId) continue;
      if (query.creatorId !== undefined && session.creatorId !== query.creatorId) continue;
      if (query.status !== undefined && session.status !== query.status) continue;
      sessions.push(session);
    }
    // The store keeps creation order; newest first is its reverse.
    return ok(paginate(sessions.reverse(), query));
  },

  async getSession({ engine, principal, params, request }) {
    const { kind, body, etag } = await sessionViewOf(engine, principal, params.id);
    const headers = kind === 'public' ? publicCacheHeaders(engine, etag) : privateViewHeaders(etag);
    if (noneMatchHits(request.headers.get('if-none-match'), etag)) return { status: 304, headers };
    // Already serialized: answered as is, not serialized a second time by the pipeline.
    return { status: 200, json: body, headers };
  },

  async updateSession({ engine, principal, params, request, body }) {
    const { edge } = engine.config;
    // The representation a GET answers now, for an If-Match that names its ETag (read before the
    // transaction, which then checks the version it showed is still the session's).
    const read = namesAnEtag(request.headers.get('if-match'))
      ? readRepresentation(await sessionViewOf(engine, principal, params.id))
      : undefined;
    const session = await engine.transact((tx) => {
      const record = ownedSessionCopy(tx, principal, params.id);
      const session = record.value;
      checkIfMatch(request, session.version, 'session', read);
      if (session.status === 'ended')
        throw new ApiProblem('invalid_state', `Session ${session.id} has ended and can no longer change.`);
      if (Object.values(body).every((value) => value === undefined)) return session;
      const startBefore = session.scheduledStartAt;
      if (body.title !== undefined) session.title = body.title;
      if (body.scheduledStartAt !== undefined) session.scheduledStartAt = canonicalTime(body.scheduledStartAt);
      if (body.metadata !== undefined) session.metadata = { ...body.metadata };
      if (body.expectedViewers !== undefined) session.expectedViewers = body.expectedViewers;
      if (body.watchUrl !== undefined) session.watchUrl = body.watchUrl;
      bumpVersion(isoTime(tx.now), session);
      emitSession(tx, record, 'livedrop.session.updated');
      if (session.scheduledStartAt !== startBefore) scheduleWarmup(tx, record, edge);
      return session;
    });
    return ok(session);
  },

  async startSession({ engine, principal, params }) {
    const { edge } = engine.config;
    const session = await engine.transact((tx) => {
      const record = ownedSessionCopy(tx, principal, params.id);
      const session = record.value;
      if (session.status !== 'scheduled')
        throw new ApiProblem(
          'invalid_state',
          `Session ${session.id} is ${session.status}; only a scheduled session can start.`,
        );
      warmUpOnStart(tx, record, edge);
      const now = isoTime(tx.now);
      session.status = 'live';
      session.startedAt = now;
      bumpVersion(now, session);
      emitSession(tx, record, 'livedrop.session.started');
      return session;
    });
    return ok(session);
  },

  async endSession({ engine, principal, params }) {
    const { edge } = engine.config;
    const session = await engine.transact((tx) => {
      const record = ownedSessionCopy(tx, principal, params.id);
      const session = record.value;
      if (session.status === 'ended') throw new ApiProblem('invalid_state', `Session ${session.id} has already ended.`);
      // Its open offers end in the same transaction: no reader sees an ended session with a live offer.
      for (const offerId of record.offerIds) {
        const offer = tx.get('offers', offerId);
        if (offer && ENDABLE_OFFER_STATUSES.has(offer.value.status)) endOffer(tx, offer);
      }
      const now = isoTime(tx.now);
      session.status = 'ended';
      session.endedAt = now;
      bumpVersion(now, session);
      emitSession(tx, record, 'livedrop.session.ended');
      countSessionEnd(tx, record);
      scheduleCooldown(tx, record, edge);
      return session;
    });
    return ok(session);
  },
} satisfies Handlers;
