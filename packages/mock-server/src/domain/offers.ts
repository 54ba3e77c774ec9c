import {
  formatMoney,
  type EventType,
  type Money,
  type Moderation,
  type Offer,
  type OfferStatus,
  type OfferPatch,
  type SplitRule,
} from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import type { RequestHead } from '../http/server-request';
import { newId } from '../ids';
import type { ModerationVerdict } from '../moderation';
import { ApiProblem, notFound } from '../problem';
import type { Job } from '../storage/scheduler';
import type { Transaction } from '../storage/transaction';
import type { OfferRecord, SessionRecord } from '../store';
import { setStockTotal } from './ledger';
import { entitlementInForce, isInForce } from './parties';
import {
  bumpVersion,
  checkIfMatch,
  ENDABLE_OFFER_STATUSES,
  endOffer,
  findOwnedSession,
  ownedSessionCopy,
} from './sessions';

/** How long a hold lasts when the offer doesn't say. */
const DEFAULT_RESERVATION_TTL_SECONDS = 600;

/** Whether `principal` may touch `record`: its tenant's, and its own creator's for a creator key. */
function isOwnOffer(principal: Principal, record: OfferRecord | undefined): record is OfferRecord {
  return (
    record !== undefined &&
    record.tenantId === principal.tenantId &&
    (principal.role !== 'creator' || record.creatorId === principal.creatorId)
  );
}

/** The committed offer `id` as `principal` may read it: in its tenant, and its own creator's for a creator key. */
export function findOwnedOffer(engine: Engine, principal: Principal, id: string): OfferRecord {
  const record = engine.store.offers.get(id);
  if (!isOwnOffer(principal, record)) throw notFound('offer', id);
  return record;
}

/** The working copy of offer `id` in `tx`, as `principal` may change it (see {@link findOwnedOffer}). */
function ownedOfferCopy(tx: Transaction, principal: Principal, id: string): OfferRecord {
  const record = tx.get('offers', id);
  if (!isOwnOffer(principal, record)) throw notFound('offer', id);
  return record;
}

type OfferEventType = Extract<EventType, `livedrop.offer.${string}`>;

// The transaction serializes the data at once, so the log keeps what was true then.
function emitOffer(tx: Transaction, record: OfferRecord, type: OfferEventType): void {
  tx.emit(record.tenantId, type, record.value.id, { offer: record.value });
}

function assertSessionOpen(record: SessionRecord): void {
  if (record.value.status === 'ended')
    throw new ApiProblem('invalid_state', `Session ${record.value.id} has ended; offers can no longer be added to it.`);
}

/** Refuses the amount at `path` when it is in another currency than `reference` (named `referenceName`). */
function assertSameCurrency(
  amount: Money | null | undefined,
  path: string,
  reference: Money | null | undefined,
  referenceName: string,
): void {
  if (!amount || !reference || amount.currency === reference.currency) return;
  const message = `"${path}" is ${amount.currency} but ${referenceName} is ${reference.currency}; send every amount of an offer in one currency.`;
  throw new ApiProblem('currency_mismatch', message, { errors: [{ path, code: 'currency_mismatch', message }] });
}

function assertNotBelowFloor(price: Money, floor: Money | null | undefined): void {
  if (!floor || price.amount >= floor.amount) return;
  const message = `The price ${formatMoney(price)} (${price.amount} minor units) is below the price floor ${formatMoney(floor)} (${floor.amount}); raise the price to at least the floor.`;
  throw new ApiProblem('price_below_floor', message, {
    errors: [{ path: 'price.amount', code: 'price_below_floor', message }],
  });
}

/** Why a creator key may not send each money term, and what to do instead. */
const CREATOR_MONEY_TERMS = {
  split:
    'A creator key cannot set "split": the creator\'s commission comes from the entitlement (commissionBps) and the platform fee from the platform\'s configuration. Omit "split"; to change the terms, the platform sends them with its secret key (a new entitlement, or "split" on the offer).',
  priceFloor:
    'A creator key cannot set "priceFloor": the floor of a creator\'s offers comes from the seller\'s entitlement (priceFloor). Omit "priceFloor"; the platform may set an offer\'s floor with its secret key.',
} as const;

/** Refuses money terms (`split`, `priceFloor`) in a creator key's body: they are the platform's and the entitlement's. */
function assertNoCreatorMoneyTerms(principal: Principal, body: { split?: unknown; priceFloor?: unknown }): void {
  if (principal.role !== 'creator') return;
  for (const path of ['split', 'priceFloor'] as const) {
    if (body[path] === undefined) continue;
    const message = CREATOR_MONEY_TERMS[path];
    throw new ApiProblem('forbidden', message, { errors: [{ path, code: 'forbidden', message }] });
  }
}

/**
 * The split `rule` asks for, its omitted creator commission taken from `fallback`, or refused when
 * fee and commission add up to more than the gross.
 */
function resolveSplit(
  rule: SplitRule,
  fallback: number,
  fallbackSource: string,
): { platformFeeBps: number; creatorCommissionBps: number } {
  const split = { platformFeeBps: rule.platformFeeBps, creatorCommissionBps: rule.creatorCommissionBps ?? fallback };
  if (split.platformFeeBps + split.creatorCommissionBps > 10_000) {
    const message = `The platform fee (${split.platformFeeBps} bps) and creator commission (${split.creatorCommissionBps} bps${rule.creatorCommissionBps === undefined ? `, ${fallbackSource}` : ''}) add up to more than 10000 bps; lower one of them in "split".`;
    throw new ApiProblem('validation_failed', message, { errors: [{ path: 'split', code: 'too_big', message }] });
  }
  return split;
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
      throw new Error(
        `The moderate() hook answered ${JSON.stringify(verdict)}; it must answer approve, reject or escalate.`,
      );
  }
}

/** Refuses an `endsAt` that is not in the future of `now`, the server's clock (epoch ms). */
function assertEndsInFuture(now: number, endsAt: string | null | undefined): void {
  if (endsAt == null || Date.parse(endsAt) > now) return;
  const message = `"endsAt" (${endsAt}) is not in the future (the server's clock reads ${isoTime(now)}); send a later time, or none to run the offer until it is ended.`;
  throw new ApiProblem('validation_failed', message, { errors: [{ path: 'endsAt', code: 'too_small', message }] });
}

/**
 * Ends the offer (a working copy) at its `endsAt` on the injected clock, as
 * `POST /v1/offers/{id}/end` would: schedules an `offer_end` job. Call after setting `endsAt`; a job
 * whose `endsAt` has since moved or been cleared does nothing (see {@link endOfferAt}).
 */
function scheduleOfferEnd(tx: Transaction, offer: OfferRecord): void {
  const { endsAt } = offer.value;
  if (endsAt === null) return;
  tx.schedule(Date.parse(endsAt), { kind: 'offer_end', tenantId: offer.tenantId, offerId: offer.value.id, endsAt });
}

/**
 * The `offer_end` job: ends a flash offer at its `endsAt`, unless the job went stale — the offer is
 * gone (a reset), its `endsAt` moved or was cleared, or it is no longer draft, live or paused.
 * @returns whether the offer ended
 */
export function endOfferAt(engine: Engine, job: Extract<Job, { kind: 'offer_end' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const offer = tx.get('offers', job.offerId);
    if (
      !offer ||
      offer.tenantId !== job.tenantId ||
      offer.value.endsAt !== job.endsAt ||
      !ENDABLE_OFFER_STATUSES.has(offer.value.status)
    )
      return false;
    endOffer(tx, offer);
    return true;
  });
}

/** The refusal of an offer whose creator may not sell the seller's products. */
function entitlementMissing(creatorId: string, sellerId: string): ApiProblem {
  return new ApiProblem(
    'entitlement_missing',
    `Creator ${creatorId} has no entitlement in force to sell seller ${sellerId}'s products; create one with POST /v1/creators/${creatorId}/entitlements.`,
  );
}

/** The fields of an offer the moderation hook judges: what a buyer is told about the product. */
const MODERATED_FIELDS = ['title', 'price', 'compareAtPrice'] as const;
type ModeratedField = (typeof MODERATED_FIELDS)[number];
type ModerationOutcome = ReturnType<typeof moderationOutcome>;

/** The moderated fields `patch` sets to a value other than the offer's. */
function changedContent(offer: Offer, patch: OfferPatch): ModeratedField[] {
  return MODERATED_FIELDS.filter(
    (field) => patch[field] !== undefined && JSON.stringify(patch[field]) !== JSON.stringify(offer[field]),
  );
}

/** Sets the moderated fields `patch` sends on `offer` (a working copy); returns it. */
function applyContent(offer: Offer, patch: OfferPatch): Offer {
  if (patch.title !== undefined) offer.title = patch.title;
  if (patch.price !== undefined) offer.price = { ...patch.price };
  if (patch.compareAtPrice !== undefined) offer.compareAtPrice = patch.compareAtPrice && { ...patch.compareAtPrice };
  return offer;
}

/**
 * Refuses a PATCH the offer cannot take as it is: without a matching `If-Match`, once ended or
 * rejected, a price below the (new) floor or in another currency, an `endsAt` in the past.
 */
function assertPatchAllowed(offer: Offer, body: OfferPatch, request: RequestHead, now: number): void {
  checkIfMatch(request, offer.version, 'offer');
  if (offer.status === 'ended' || offer.status === 'rejected')
    throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status} and can no longer change.`);
  const price = body.price ?? offer.price;
  const floor = body.priceFloor === undefined ? offer.priceFloor : body.priceFloor;
  if (body.priceFloor) assertSameCurrency(body.priceFloor, 'priceFloor.currency', price, 'the price');
  else assertSameCurrency(body.price, 'price.currency', floor, 'the price floor');
  if (body.compareAtPrice === undefined)
    assertSameCurrency(body.price, 'price.currency', offer.compareAtPrice, 'the compare-at price');
  else assertSameCurrency(body.compareAtPrice, 'compareAtPrice.currency', price, 'the price');
  assertNotBelowFloor(price, floor);
  assertEndsInFuture(now, body.endsAt);
}

/** The refusal of an edit the moderation hook rejected. */
function moderationRejected(id: string, fields: readonly ModeratedField[], note: string | null): ApiProblem {
  const named = fields.map((field) => `"${field}"`).join(', ');
  const message = `Moderation rejected the new ${named} of offer ${id}${note ? `: ${note}` : ''} The offer is unchanged; send different content.`;
  return new ApiProblem('moderation_rejected', message, {
    errors: fields.map((path) => ({
      path,
      code: 'moderation_rejected',
      message: `Moderation rejected the new "${path}".`,
    })),
  });
}

/**
 * Records the hook's verdict on an edit (approve or escalate; a rejection was refused). Escalated,
 * the offer goes to `pending_review` — off sale: reservations and tokens are refused — until a
 * moderator reviews it. An offer already waiting for review keeps waiting, whatever the hook says.
 */
function applyEditModeration(offer: Offer, outcome: ModerationOutcome): void {
  if (outcome.status === 'pending_review') {
    offer.status = 'pending_review';
    offer.moderation = outcome.moderation;
  } else if (offer.status !== 'pending_review') offer.moderation = outcome.moderation;
}

/** Offers: create (moderated), read, change, publish, pause, end and review. */
export const offerHandlers = {
  async createOffer({ engine, principal, params, body }) {
    const { store } = engine;
    const sessionRecord = findOwnedSession(engine, principal, params.id);
    assertSessionOpen(sessionRecord);
    const creatorId = sessionRecord.value.creatorId;
    if (!store.find(store.sellers, body.sellerId, principal.tenantId)) throw notFound('seller', body.sellerId);
    assertNoCreatorMoneyTerms(principal, body);
    const entitlement = entitlementInForce(engine, principal.tenantId, creatorId, body.sellerId);
    if (!entitlement) throw entitlementMissing(creatorId, body.sellerId);
    // The platform's own floor, else the seller's from the entitlement (the only one a creator's offer has).
    const priceFloor = body.priceFloor ?? entitlement.priceFloor;
    assertSameCurrency(body.compareAtPrice, 'compareAtPrice.currency', body.price, 'the price');
    if (body.priceFloor) assertSameCurrency(body.priceFloor, 'priceFloor.currency', body.price, 'the price');
    else assertSameCurrency(body.price, 'price.currency', priceFloor, "the entitlement's price floor");
    assertNotBelowFloor(body.price, priceFloor);
    assertEndsInFuture(engine.clock.now(), body.endsAt);
    const split = resolveSplit(
      body.split ?? { platformFeeBps: engine.config.platformFeeBps },
      entitlement.commissionBps,
      'from the entitlement',
    );

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
      priceFloor: priceFloor ? { ...priceFloor } : null,
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

    const stored = await engine.transact((tx) => {
      // Other requests ran during the await: the session may have ended, the seller or the
      // entitlement be gone (or the entitlement have expired), or the server been reset.
      const session = ownedSessionCopy(tx, principal, params.id);
      assertSessionOpen(session);
      const seller = tx.get('sellers', body.sellerId);
      if (!seller || seller.tenantId !== principal.tenantId) throw notFound('seller', body.sellerId);
      const granted = tx.get('entitlements', entitlement.id);
      if (!granted || granted.tenantId !== principal.tenantId || !isInForce(granted.value, tx.now))
        throw entitlementMissing(creatorId, body.sellerId);
      const record: OfferRecord = {
        tenantId: principal.tenantId,
        value: { ...offer, status: outcome.status, moderation: outcome.moderation },
        creatorId,
        queue: [],
      };
      tx.put('offers', offer.id, record);
      session.offerIds.push(offer.id);
      emitOffer(tx, record, 'livedrop.offer.created');
      scheduleOfferEnd(tx, record);
      return record.value;
    });
    return created(stored);
  },

  getOffer({ engine, principal, params }) {
    return ok(findOwnedOffer(engine, principal, params.id).value);
  },

  async updateOffer({ engine, principal, params, request, body }) {
    assertNoCreatorMoneyTerms(principal, body);
    // Refuse what the offer as it is refuses before asking the hook; the transaction asks again.
    const seen = findOwnedOffer(engine, principal, params.id).value;
    assertPatchAllowed(seen, body, request, engine.clock.now());
    const edited = changedContent(seen, body);
    let outcome: ModerationOutcome | undefined;
    if (edited.length > 0) {
      // A copy, so a hook cannot change the offer behind the validation above.
      const verdict = await engine.moderate(structuredClone(applyContent({ ...seen }, body)));
      outcome = moderationOutcome(verdict, engine.nowIso());
    }

    const updated = await engine.transact((tx) => {
      const record = ownedOfferCopy(tx, principal, params.id);
      const offer = record.value;
      // If-Match held before the hook and holds again here, so the hook judged this very version:
      // an offer changed during the await is 412 version_conflict, never an unmoderated edit.
      assertPatchAllowed(offer, body, request, tx.now);
      if (outcome?.status === 'rejected') throw moderationRejected(offer.id, edited, outcome.moderation.note);
      if (Object.keys(body).length === 0) return offer;

      // The ledger's own check is the last refusal; if it throws, the transaction changes nothing.
      if (body.quantity !== undefined) setStockTotal(tx, record, body.quantity);
      applyContent(offer, body);
      if (body.perBuyerLimit !== undefined) offer.perBuyerLimit = body.perBuyerLimit;
      if (body.endsAt !== undefined) offer.endsAt = body.endsAt;
      if (body.priceFloor !== undefined) offer.priceFloor = body.priceFloor && { ...body.priceFloor };
      if (body.split !== undefined)
        offer.split = resolveSplit(body.split, offer.split.creatorCommissionBps, "the offer's current commission");
      if (outcome) applyEditModeration(offer, outcome);
      bumpVersion(isoTime(tx.now), offer);
      emitOffer(tx, record, 'livedrop.offer.updated');
      if (body.endsAt != null) scheduleOfferEnd(tx, record);
      return offer;
    });
    return ok(updated);
  },

  async publishOffer({ engine, principal, params }) {
    const published = await engine.transact((tx) => {
      const record = ownedOfferCopy(tx, principal, params.id);
      const offer = record.value;
      if (offer.status !== 'draft' && offer.status !== 'paused') {
        const hint = offer.status === 'pending_review' ? '; a moderator must approve it first' : '';
        throw new ApiProblem(
          'invalid_state',
          `Offer ${offer.id} is ${offer.status}; only a draft or paused offer can be published${hint}.`,
        );
      }
      const session = tx.get('sessions', offer.sessionId)?.value;
      if (session?.status !== 'live') {
        throw new ApiProblem(
          'invalid_state',
          `Session ${offer.sessionId} is ${session?.status ?? 'gone'}, not live; start the session first (POST /v1/sessions/${offer.sessionId}/start).`,
        );
      }
      const now = isoTime(tx.now);
      offer.status = 'live';
      offer.publishedAt ??= now;
      bumpVersion(now, offer);
      emitOffer(tx, record, 'livedrop.offer.published');
      return offer;
    });
    return ok(published);
  },

  async pauseOffer({ engine, principal, params }) {
    const paused = await engine.transact((tx) => {
      const record = ownedOfferCopy(tx, principal, params.id);
      const offer = record.value;
      if (offer.status !== 'live')
        throw new ApiProblem('invalid_state', `Offer ${offer.id} is ${offer.status}; only a live offer can be paused.`);
      offer.status = 'paused';
      bumpVersion(isoTime(tx.now), offer);
      emitOffer(tx, record, 'livedrop.offer.paused');
      return offer;
    });
    return ok(paused);
  },

  async endOffer({ engine, principal, params }) {
    const ended = await engine.transact((tx) => {
      const record = ownedOfferCopy(tx, principal, params.id);
      const { status, id } = record.value;
      if (!ENDABLE_OFFER_STATUSES.has(status)) {
        throw new ApiProblem(
          'invalid_state',
          `Offer ${id} is ${status}; only a draft, live or paused offer can be ended.`,
        );
      }
      endOffer(tx, record);
      return record.value;
    });
    return ok(ended);
  },

  async reviewOffer({ engine, principal, params, body }) {
    const reviewed = await engine.transact((tx) => {
      const record = ownedOfferCopy(tx, principal, params.id);
      const offer = record.value;
      if (offer.status !== 'pending_review')
        throw new ApiProblem(
          'invalid_state',
          `Offer ${offer.id} is ${offer.status}; only an offer in pending_review can be reviewed.`,
        );
      const now = isoTime(tx.now);
      const approved = body.decision === 'approve';
      // An edit held for review took a published offer off sale: approved, it waits paused for its
      // creator to publish it again; an offer never published becomes a draft.
      offer.status = approved ? (offer.publishedAt === null ? 'draft' : 'paused') : 'rejected';
      offer.moderation = { decision: approved ? 'approved' : 'rejected', note: body.note ?? null, reviewedAt: now };
      bumpVersion(now, offer);
      emitOffer(tx, record, 'livedrop.offer.reviewed');
      return offer;
    });
    return ok(reviewed);
  },
} satisfies Handlers;
