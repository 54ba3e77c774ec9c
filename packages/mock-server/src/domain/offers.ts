import { formatMoney, type EventType, type Money, type Moderation, type Offer, type OfferStatus } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import type { ModerationVerdict } from '../moderation';
import { ApiProblem, notFound } from '../problem';
import type { OfferRecord, SessionRecord } from '../store';
import { setStockTotal } from './ledger';
import { entitlementInForce } from './parties';
import { bumpVersion, checkIfMatch, endOfferRecord, findOwnedSession } from './sessions';

/** How long a hold lasts when the offer doesn't say. */
const DEFAULT_RESERVATION_TTL_SECONDS = 600;

/** The offer `id` as `principal` may touch it: in its tenant, and its own creator's for a creator key. */
export function findOwnedOffer(engine: Engine, principal: Principal, id: string): OfferRecord {
  const record = engine.store.find(engine.store.offers, id, principal.tenantId);
  if (!record || (principal.role === 'creator' && record.creatorId !== principal.creatorId)) throw notFound('offer', id);
  return record;
}

type OfferEventType = Extract<EventType, `livedrop.offer.${string}`>;

// A snapshot, because the ledger changes stock in place and the log must keep what was true then.
function emitOffer(engine: Engine, record: OfferRecord, type: OfferEventType): void {
  engine.emit(record.tenantId, type, record.value.id, { offer: record.value });
}

function assertSessionOpen(record: SessionRecord): void {
  if (record.value.status === 'ended') throw new ApiProblem('invalid_state', `Session ${record.value.id} has ended; offers can no longer be added to it.`);
}

/** Refuses the amount at `path` when it is in another currency than `reference` (named `referenceName`). */
function assertSameCurrency(amount: Money | null | undefined, path: string, reference: Money | null | undefined, referenceName: string): void {
  if (!amount || !reference || amount.currency === reference.currency) return;
  const message = `"${path}" is ${amount.currency} but ${referenceName} is ${reference.currency}; send every amount of an offer in one currency.`;
  throw new ApiProblem('currency_mismatch', message, { errors: [{ path, code: 'currency_mismatch', message }] });
}

function assertNotBelowFloor(price: Money, floor: Money | null | undefined): void {
  if (!floor || price.amount >= floor.amount) return;
  const message = `The price ${formatMoney(price)} (${price.amount} minor units) is below the price floor ${formatMoney(floor)} (${floor.amount}); raise the price to at least the floor.`;
  throw new ApiProblem('price_below_floor', message, { errors: [{ path: 'price.amount', code: 'price_below_floor', message }] });
}

/** Turns a hook's verdict into the offer's status and moderation record. */
function moderationOutcome(verdict: ModerationVerdict, now: string): { status: OfferStatus; moderation: Moderation } {
  const { decision, note } = typeof verdict === 'string' ? { decision: verdict, note: undefined } : verdict;
  switch (decision) {
    case 'approve':
      return { status: 'draft', moderation: { decision: 'approved', note: note ?? null, reviewedAt: now } };
    case 'reject':
      return { status: 'rejected', moderation: { decision: 'rejected', note: note ?? null, reviewedAt: now } };
    case 'escalate':
      return { status: 'pending_review', moderation: { decision: 'escalated', note: note ?? null, reviewedAt: null } };
    default:
      throw new Error(`The moderate() hook answered ${JSON.stringify(verdict)}; it must answer approve, reject or escalate.`);
  }
}

/** Refuses an `endsAt` that is not in the future of the server's clock. */
function assertEndsInFuture(engine: Engine, endsAt: string | null | undefined): void {
  if (endsAt == null || Date.parse(endsAt) > engine.clock.now()) return;
  const message = `"endsAt" (${endsAt}) is not in the future (the server's clock reads ${engine.nowIso()}); send a later time, or none to run the offer until it is ended.`;
  throw new ApiProblem('validation_failed', message, { errors: [{ path: 'endsAt', code: 'too_small', message }] });
}

/**
 * Ends the offer at its `endsAt` on the injected clock, as `POST /v1/offers/{id}/end` would. Call
 * after setting `endsAt`; a timer whose `endsAt` has since moved or been cleared does nothing.
 */
function scheduleOfferEnd(engine: Engine, record: OfferRecord): void {
  const { endsAt } = record.value;
  if (endsAt === null) return;
  engine.timers.schedule(Date.parse(endsAt), () => {
    const offer = record.value;
    if (engine.store.offers.get(offer.id) !== record || offer.endsAt !== endsAt) return false;
    if (offer.status !== 'draft' && offer.status !== 'live' && offer.status !== 'paused') return false;
    endOfferRecord(engine, record);
    return undefined;
  });
}

/** Offers: create (moderated), read, change, publish, pause, end and review. */
export const offerHandlers = {
  async createOffer({ engine, principal, params, body }) {
    const { store } = engine;
    const sessionRecord = findOwnedSession(engine, principal, params.id);
    assertSessionOpen(sessionRecord);
    const creatorId = sessionRecord.value.creatorId;
    if (!store.find(store.sellers, body.sellerId, principal.tenantId)) throw notFound('seller', body.sellerId);
    const entitlement = entitlementInForce(engine, principal.tenantId, creatorId, body.sellerId);
    if (!entitlement) {
      throw new ApiProblem('entitlement_missing', `Creator ${creatorId} has no entitlement in force to sell seller ${body.sellerId}'s products; create one with POST /v1/creators/${creatorId}/entitlements.`);
    }
    assertSameCurrency(body.compareAtPrice, 'compareAtPrice.currency', body.price, 'the price');
    assertSameCurrency(body.priceFloor, 'priceFloor.currency', body.price, 'the price');
    assertNotBelowFloor(body.price, body.priceFloor);
    assertEndsInFuture(engine, body.endsAt);
    const split = {
      platformFeeBps: body.split?.platformFeeBps ?? engine.config.platformFeeBps,
      creatorCommissionBps: body.split?.creatorCommissionBps ?? entitlement.commissionBps,
    };
    if (split.platformFeeBps + split.creatorCommissionBps > 10_000) {
      const message = `The platform fee (${split.platformFeeBps} bps) and creator commission (${split.creatorCommissionBps} bps${body.split?.creatorCommissionBps === undefined ? ', from the entitlement' : ''}) add up to more than 10000 bps; lower one of them in "split".`;
      throw new ApiProblem('validation_failed', message, { errors: [{ path: 'split', code: 'too_big', message }] });
    }

    const now = engine.nowIso();
    const offer: Offer = {
      id: newId('offer'),
      object: 'offer',
      sessionId: sessionRecord.value.id,
      sellerId: body.sellerId,
      sku: body.sku,
      title: body.title,
      price: { ...body.price },
      compareAtPrice: body.compareAtPrice ? { ...body.compareAtPrice } : null,
      priceFloor: body.priceFloor ? { ...body.priceFloor } : null,
      // The hook sees the offer as what it is while it decides: under review.
      status: 'pending_review',
      soldOut: false,
      stock: { total: body.quantity, available: body.quantity, reserved: 0, sold: 0, backordered: 0 },
      perBuyerLimit: body.perBuyerLimit ?? null,
      reservationTtlSeconds: body.reservationTtlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
      backorder: body.backorder ? { ...body.backorder } : null,
      split,
      moderation: { decision: 'escalated', note: null, reviewedAt: null },
      version: 1,
      publishedAt: null,
      endsAt: body.endsAt ?? null,
      endedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    // A copy, so a hook cannot change the offer behind the validation above.
    const verdict = await engine.moderate(structuredClone(offer));
    const outcome = moderationOutcome(verdict, engine.nowIso());

    // Other requests ran during the await: the session may have ended, or the server been reset.
    if (store.find(store.sessions, sessionRecord.value.id, principal.tenantId) !== sessionRecord) throw notFound('session', params.id);
    assertSessionOpen(sessionRecord);
    offer.status = outcome.status;
    offer.moderation = outcome.moderation;
    const record: OfferRecord = { tenantId: principal.tenantId, value: offer, creatorId, queue: [], unitsByBuyer: new Map() };
    store.offers.set(offer.id, record);
    sessionRecord.offerIds.push(offer.id);
    emitOffer(engine, record, 'livedrop.offer.created');
    scheduleOfferEnd(engine, record);
    return created(offer);
  },

  getOffer({ engine, principal, params }) {
    return ok(findOwnedOffer(engine, principal, params.id).value);
  },

  updateOffer({ engine, principal, params, request, body }) {
    const record = findOwnedOffer(engine, principal, params.id);
    const offer = record.value;
    checkIfMatch(request, offer.version, 'offer');
    if (offer.status === 'ended' || offer.status === 'rejected') throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status} and can no longer change.`);
    const price = body.price ?? offer.price;
    assertSameCurrency(body.price, 'price.currency', offer.priceFloor, 'the price floor');
    if (body.compareAtPrice === undefined) assertSameCurrency(body.price, 'price.currency', offer.compareAtPrice, 'the compare-at price');
    else assertSameCurrency(body.compareAtPrice, 'compareAtPrice.currency', price, 'the price');
    assertNotBelowFloor(price, offer.priceFloor);
    assertEndsInFuture(engine, body.endsAt);
    if (Object.keys(body).length === 0) return ok(offer);

    // The ledger's own check is the last refusal, so nothing has changed if it throws.
    if (body.quantity !== undefined) setStockTotal(engine, record, body.quantity);
    if (body.title !== undefined) offer.title = body.title;
    if (body.price !== undefined) offer.price = { ...body.price };
    if (body.compareAtPrice !== undefined) offer.compareAtPrice = body.compareAtPrice && { ...body.compareAtPrice };
    if (body.perBuyerLimit !== undefined) offer.perBuyerLimit = body.perBuyerLimit;
    if (body.endsAt !== undefined) offer.endsAt = body.endsAt;
    bumpVersion(engine, offer);
    emitOffer(engine, record, 'livedrop.offer.updated');
    if (body.endsAt != null) scheduleOfferEnd(engine, record);
    return ok(offer);
  },

  publishOffer({ engine, principal, params }) {
    const record = findOwnedOffer(engine, principal, params.id);
    const offer = record.value;
    if (offer.status !== 'draft' && offer.status !== 'paused') {
      const hint = offer.status === 'pending_review' ? '; a moderator must approve it first' : '';
      throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status}; only a draft or paused offer can be published${hint}.`);
    }
    const session = engine.store.sessions.get(offer.sessionId)?.value;
    if (session?.status !== 'live') {
      throw new ApiProblem('invalid_state', `Session ${offer.sessionId} is ${session?.status ?? 'gone'}, not live; start the session first (POST /v1/sessions/${offer.sessionId}/start).`);
    }
    offer.status = 'live';
    offer.publishedAt ??= engine.nowIso();
    bumpVersion(engine, offer);
    emitOffer(engine, record, 'livedrop.offer.published');
    return ok(offer);
  },

  pauseOffer({ engine, principal, params }) {
    const record = findOwnedOffer(engine, principal, params.id);
    const offer = record.value;
    if (offer.status !== 'live') throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status}; only a live offer can be paused.`);
    offer.status = 'paused';
    bumpVersion(engine, offer);
    emitOffer(engine, record, 'livedrop.offer.paused');
    return ok(offer);
  },

  endOffer({ engine, principal, params }) {
    const record = findOwnedOffer(engine, principal, params.id);
    const { status, id } = record.value;
    if (status !== 'draft' && status !== 'live' && status !== 'paused') {
      throw new ApiProblem('invalid_state', `Offer ${id} is ${status}; only a draft, live or paused offer can be ended.`);
    }
    endOfferRecord(engine, record);
    return ok(record.value);
  },

  reviewOffer({ engine, principal, params, body }) {
    const record = findOwnedOffer(engine, principal, params.id);
    const offer = record.value;
    if (offer.status !== 'pending_review') throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status}; only an offer in pending_review can be reviewed.`);
    const approved = body.decision === 'approve';
    offer.status = approved ? 'draft' : 'rejected';
    offer.moderation = { decision: approved ? 'approved' : 'rejected', note: body.note ?? null, reviewedAt: engine.nowIso() };
    bumpVersion(engine, offer);
    emitOffer(engine, record, 'livedrop.offer.reviewed');
    return ok(offer);
  },
} satisfies Handlers;
