import type { Session } from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { RequestHead } from '../http/server-request';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { OfferRecord, SessionRecord } from '../store';
import { releaseBackorders } from './ledger';
import { buildSessionView } from './offer-view';
import { paginate } from './paginate';
import { cachedView, noneMatchHits, privateViewHeaders, publicCacheHeaders } from './public-cache';
import { scheduleCooldown, scheduleWarmup, warmUpOnStart } from './session-timers';

/** The session `id` as `principal` may touch it: in its tenant, and its own creator's for a creator key. */
export function findOwnedSession(engine: Engine, principal: Principal, id: string): SessionRecord {
  const record = engine.store.find(engine.store.sessions, id, principal.tenantId);
  if (!record || (principal.role === 'creator' && record.value.creatorId !== principal.creatorId)) throw notFound('session', id);
  return record;
}

/**
 * Checks `If-Match: <version>` before a PATCH, as HTTP evaluates preconditions before the change.
 * @throws ApiProblem `precondition_required` (428) when absent, `validation_failed` when not a
 * version, `version_conflict` (412) when stale
 */
export function checkIfMatch(request: RequestHead, current: number, kind: 'session' | 'offer'): void {
  const header = request.headers.get('if-match');
  if (header === null) {
    throw new ApiProblem('precondition_required', `Send the ${kind}'s version as \`If-Match: ${current}\` so concurrent changes cannot overwrite each other; read the ${kind} to get it.`);
  }
  const match = /^\s*"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    const message = `"If-Match" must be the ${kind}'s integer version (e.g. \`If-Match: ${current}\`), not ${JSON.stringify(header)}.`;
    throw new ApiProblem('validation_failed', message, { errors: [{ path: 'If-Match', code: 'invalid_format', message }] });
  }
  const sent = Number(match[1]);
  if (sent !== current) {
    throw new ApiProblem('version_conflict', `The ${kind} is at version ${current}, not ${sent}: it changed since you read it. Read it again, reapply your change and send \`If-Match: ${current}\`.`);
  }
}

/** A client's RFC 3339 timestamp in the form the server writes (`2026-11-25T19:00:00.000Z`), so equal times compare equal. */
function canonicalTime(timestamp: string): string {
  return isoTime(Date.parse(timestamp));
}

/** Records one more change of a versioned object. */
export function bumpVersion(engine: Engine, value: { version: number; updatedAt: string }): void {
  value.version += 1;
  value.updatedAt = engine.nowIso();
}

/**
 * Ends an offer and emits its `offer.ended`: the one place an offer becomes `ended`, whether on its
 * own or with its session. Holds already granted keep their TTL; the ledger refuses new ones. The
 * backorder queue can never be served any more, so its reservations are released first, and the
 * `offer.ended` snapshot shows the final stock.
 */
export function endOfferRecord(engine: Engine, record: OfferRecord): void {
  const offer = record.value;
  offer.status = 'ended';
  offer.endedAt = engine.nowIso();
  releaseBackorders(engine, record);
  bumpVersion(engine, offer);
  engine.emit(record.tenantId, 'livedrop.offer.ended', offer.id, { offer: offer });
}

function emitSession(engine: Engine, record: SessionRecord, type: 'livedrop.session.created' | 'livedrop.session.updated' | 'livedrop.session.started' | 'livedrop.session.ended'): void {
  engine.emit(record.tenantId, type, record.value.id, { session: record.value });
}

/** Live sessions: schedule, list, hydrate, change, start and end. */
export const sessionHandlers = {
  createSession({ engine, principal, body }) {
    if (principal.role === 'creator' && body.creatorId !== principal.creatorId) {
      throw new ApiProblem('forbidden', `A creator key can only schedule sessions for its own creator (${principal.creatorId ?? 'none'}); send that creatorId or use a secret key.`);
    }
    if (!engine.store.find(engine.store.creators, body.creatorId, principal.tenantId)) throw notFound('creator', body.creatorId);
    const now = engine.nowIso();
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
    const record: SessionRecord = { tenantId: principal.tenantId, value: session, offerIds: [] };
    engine.store.sessions.set(session.id, record);
    emitSession(engine, record, 'livedrop.session.created');
    scheduleWarmup(engine, record);
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

  getSession({ engine, principal, params, request }) {
    const record = findOwnedSession(engine, principal, params.id);
    // A publishable key sees the public projection, which a CDN may share among viewers; every
    // other key sees the full view, which no shared cache may keep.
    const projection = principal.role === 'publishable' ? 'public' : 'full';
    const { body, etag } = cachedView(engine, record.tenantId, `session/${record.value.id}/${projection}`, () => buildSessionView(engine, record, projection));
    const headers = projection === 'public' ? publicCacheHeaders(engine, etag) : privateViewHeaders(etag);
    if (noneMatchHits(request.headers.get('if-none-match'), etag)) return { status: 304, headers };
    // Already serialized: answered as is, not serialized a second time by the pipeline.
    return { status: 200, json: body, headers };
  },

  updateSession({ engine, principal, params, request, body }) {
    const record = findOwnedSession(engine, principal, params.id);
    const session = record.value;
    checkIfMatch(request, session.version, 'session');
    if (session.status === 'ended') throw new ApiProblem('invalid_state', `Session ${session.id} has ended and can no longer change.`);
    if (Object.values(body).every((value) => value === undefined)) return ok(session);
    const startBefore = session.scheduledStartAt;
    if (body.title !== undefined) session.title = body.title;
    if (body.scheduledStartAt !== undefined) session.scheduledStartAt = canonicalTime(body.scheduledStartAt);
    if (body.metadata !== undefined) session.metadata = { ...body.metadata };
    if (body.expectedViewers !== undefined) session.expectedViewers = body.expectedViewers;
    if (body.watchUrl !== undefined) session.watchUrl = body.watchUrl;
    bumpVersion(engine, session);
    emitSession(engine, record, 'livedrop.session.updated');
    if (session.scheduledStartAt !== startBefore) scheduleWarmup(engine, record);
    return ok(session);
  },

  startSession({ engine, principal, params }) {
    const record = findOwnedSession(engine, principal, params.id);
    const session = record.value;
    if (session.status !== 'scheduled') throw new ApiProblem('invalid_state', `Session ${session.id} is ${session.status}; only a scheduled session can start.`);
    warmUpOnStart(engine, record);
    session.status = 'live';
    session.startedAt = engine.nowIso();
    bumpVersion(engine, session);
    emitSession(engine, record, 'livedrop.session.started');
    return ok(session);
  },

  endSession({ engine, principal, params }) {
    const record = findOwnedSession(engine, principal, params.id);
    const session = record.value;
    if (session.status === 'ended') throw new ApiProblem('invalid_state', `Session ${session.id} has already ended.`);
    for (const offerId of record.offerIds) {
      const offer = engine.store.offers.get(offerId);
      if (offer && (offer.value.status === 'live' || offer.value.status === 'paused' || offer.value.status === 'draft')) endOfferRecord(engine, offer);
    }
    session.status = 'ended';
    session.endedAt = engine.nowIso();
    bumpVersion(engine, session);
    emitSession(engine, record, 'livedrop.session.ended');
    scheduleCooldown(engine, record);
    return ok(session);
  },
} satisfies Handlers;
