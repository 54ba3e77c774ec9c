import type { Session } from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { OfferRecord, SessionRecord } from '../store';
import { releaseBackorders } from './ledger';
import { buildSessionView, type SessionProjection } from './offer-view';
import type { EventLog } from '../event-log';
import { paginate } from './paginate';

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
export function checkIfMatch(request: Request, current: number, kind: 'session' | 'offer'): void {
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

/**
 * A strong ETag for a serialized body: two 32-bit multiply-xor lanes (cyrb53's mixing) and the
 * length. Not cryptographic, and needn't be: it only tells a client whether its copy is current.
 */
function etagOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `"${text.length.toString(16)}-${hex(h2)}${hex(h1)}"`;
}

/**
 * The last serialized view of each session and projection, with its ETag, per event log. Every
 * change a view can show appends an event, so the log's head is the view's revision: while it has
 * not moved, a read (200 or 304) reuses the bytes instead of rebuilding, serializing and hashing.
 */
const viewCache = new WeakMap<EventLog, Map<string, { readonly revision: number; readonly body: string; readonly etag: string }>>();

function cachedView(engine: Engine, record: SessionRecord, projection: SessionProjection): { readonly body: string; readonly etag: string } {
  const log = engine.log(record.tenantId);
  let views = viewCache.get(log);
  if (!views) viewCache.set(log, (views = new Map()));
  const key = `${record.value.id}/${projection}`;
  const cached = views.get(key);
  if (cached?.revision === log.headSeq) return cached;
  const body = JSON.stringify(buildSessionView(engine, record, projection));
  const fresh = { revision: log.headSeq, body, etag: etagOf(body) };
  views.set(key, fresh);
  return fresh;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for GET). */
function noneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
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
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const record: SessionRecord = { tenantId: principal.tenantId, value: session, offerIds: [] };
    engine.store.sessions.set(session.id, record);
    emitSession(engine, record, 'livedrop.session.created');
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
    const { body, etag } = cachedView(engine, record, principal.role === 'publishable' ? 'public' : 'full');
    // The view depends on the key's role, so shared caches must key on it too.
    const headers = { etag, 'cache-control': 'no-cache', vary: 'Authorization' };
    if (noneMatchHits(request.headers.get('if-none-match'), etag)) return { status: 304, headers };
    // Already serialized: answered as is, not serialized a second time by the pipeline.
    return { status: 200, json: body, headers };
  },

  updateSession({ engine, principal, params, request, body }) {
    const record = findOwnedSession(engine, principal, params.id);
    const session = record.value;
    checkIfMatch(request, session.version, 'session');
    if (session.status === 'ended') throw new ApiProblem('invalid_state', `Session ${session.id} has ended and can no longer change.`);
    if (body.title === undefined && body.scheduledStartAt === undefined && body.metadata === undefined) return ok(session);
    if (body.title !== undefined) session.title = body.title;
    if (body.scheduledStartAt !== undefined) session.scheduledStartAt = canonicalTime(body.scheduledStartAt);
    if (body.metadata !== undefined) session.metadata = { ...body.metadata };
    bumpVersion(engine, session);
    emitSession(engine, record, 'livedrop.session.updated');
    return ok(session);
  },

  startSession({ engine, principal, params }) {
    const record = findOwnedSession(engine, principal, params.id);
    const session = record.value;
    if (session.status !== 'scheduled') throw new ApiProblem('invalid_state', `Session ${session.id} is ${session.status}; only a scheduled session can start.`);
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
    return ok(session);
  },
} satisfies Handlers;
