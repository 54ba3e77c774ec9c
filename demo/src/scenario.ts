import {
  ApiError,
  type Creator,
  type Entitlement,
  type LiveDropClient,
  type Offer,
  type OfferCreate,
  type Seller,
  type Session,
} from '@livedrop/node';
import type { DropPlan, PlannedOffer, SellerKey } from './drop-plan';

/** The cast of the drop as the API created them. */
export interface Cast {
  readonly sellers: Readonly<Record<SellerKey, Seller>>;
  readonly creator: Creator;
  readonly entitlements: readonly Entitlement[];
}

/** An API refusal as the SDK raised it, kept for the report. */
export interface Refusal {
  /** The SDK's error class, e.g. `UnprocessableEntityError`. */
  readonly errorName: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly requestId: string | null;
}

/** An offer of the plan and what the API made of it. */
export interface StagedOffer {
  readonly planned: PlannedOffer;
  /** The offer as created (null when refused). */
  readonly created: Offer | null;
  /** Why the API refused to create it. */
  readonly refusal: Refusal | null;
  /** The moderation hold and the moderator's approval, for offers that were escalated. */
  readonly review: { readonly escalationNote: string | null; readonly approval: Offer } | null;
}

/** Turns an SDK error into a {@link Refusal}; rethrows anything that is not an API answer. */
export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof ApiError)) throw error;
  const detail = error.problem?.detail ?? error.message;
  return {
    errorName: error.name,
    status: error.status,
    code: String(error.code),
    message: detail,
    requestId: error.requestId,
  };
}

/** Creates the sellers, the creator and the creator's entitlement to sell each seller's products. */
export async function createCast(platform: LiveDropClient, plan: DropPlan): Promise<Cast> {
  const sellers = {} as Record<SellerKey, Seller>;
  for (const seller of plan.sellers) {
    sellers[seller.key] = await platform.sellers.create({ name: seller.name, trust: { verified: true } });
  }
  const creator = await platform.creators.create({ ...plan.creator, verified: true });
  const entitlements: Entitlement[] = [];
  for (const seller of plan.sellers) {
    entitlements.push(
      await platform.creators.entitlements.create(creator.id, {
        sellerId: sellers[seller.key].id,
        commissionBps: seller.commissionBps,
        contentRights: ['live_stream', 'replay', 'clips'],
      }),
    );
  }
  return { sellers, creator, entitlements };
}

/** Schedules the session a quarter of an hour ahead, as a creator would announce it. */
export function scheduleSession(
  platform: LiveDropClient,
  plan: DropPlan,
  creatorId: string,
  nowMs: number,
): Promise<Session> {
  return platform.sessions.create({
    creatorId,
    title: plan.sessionTitle,
    scheduledStartAt: new Date(nowMs + 15 * 60_000).toISOString(),
    metadata: { campaign: 'friday-night-drop', channel: 'live' },
  });
}

function offerBody(planned: PlannedOffer, cast: Cast, ttlSeconds: number, consentAt: string): OfferCreate {
  const usd = (amount: number) => ({ amount, currency: 'USD' as const });
  return {
    sellerId: cast.sellers[planned.seller].id,
    sku: planned.sku,
    title: planned.title,
    price: usd(planned.price),
    ...(planned.compareAtPrice === null ? {} : { compareAtPrice: usd(planned.compareAtPrice) }),
    ...(planned.priceFloor === null ? {} : { priceFloor: usd(planned.priceFloor) }),
    quantity: planned.quantity,
    perBuyerLimit: 1,
    reservationTtlSeconds: ttlSeconds,
    ...(planned.backorderLimit === null
      ? {}
      : { backorder: { allowed: true, limit: planned.backorderLimit, sellerConsentAt: consentAt } }),
    ...(planned.split === null ? {} : { split: planned.split }),
  };
}

/**
 * Adds every planned offer to the session. The API's moderation holds the one with a big claimed
 * discount in `pending_review`, and a moderator (their own key) approves it; the one priced below
 * its floor is refused with 422 `price_below_floor`, which the SDK raises as a typed error.
 */
export async function stageOffers(
  platform: LiveDropClient,
  moderator: LiveDropClient,
  plan: DropPlan,
  cast: Cast,
  sessionId: string,
  nowMs: number,
): Promise<StagedOffer[]> {
  const consentAt = new Date(nowMs - 86_400_000).toISOString();
  const staged: StagedOffer[] = [];
  for (const planned of plan.offers) {
    let created: Offer;
    try {
      created = await platform.offers.create(
        sessionId,
        offerBody(planned, cast, plan.reservationTtlSeconds, consentAt),
      );
    } catch (error) {
      staged.push({ planned, created: null, refusal: refusalOf(error), review: null });
      continue;
    }
    if (created.status !== 'pending_review') {
      staged.push({ planned, created, refusal: null, review: null });
      continue;
    }
    const approval = await moderator.offers.review(created.id, {
      decision: 'approve',
      note: "Compare-at price checked against the seller's published catalogue.",
    });
    staged.push({ planned, created, refusal: null, review: { escalationNote: created.moderation.note, approval } });
  }
  return staged;
}

/** What `--serve` leaves live for a page that joins later. */
export interface Encore {
  readonly session: Session;
  readonly offer: Offer;
}

/**
 * Opens a live encore after the drop (for `--serve`): a session of the same creator with one live
 * offer and plenty of stock, so a checkout widget that joins later has something to sell.
 */
export async function openEncore(platform: LiveDropClient, plan: DropPlan, cast: Cast): Promise<Encore> {
  const hero = plan.offers.find((offer) => offer.role === 'plain')!;
  const scheduled = await platform.sessions.create({
    creatorId: cast.creator.id,
    title: `${plan.sessionTitle}: encore`,
    scheduledStartAt: new Date().toISOString(),
  });
  const session = await platform.sessions.start(scheduled.id);
  const created = await platform.offers.create(scheduled.id, {
    sellerId: cast.sellers[hero.seller].id,
    sku: `${hero.sku}-ENCORE`,
    title: hero.title,
    price: { amount: hero.price, currency: 'USD' },
    quantity: 500,
    perBuyerLimit: 2,
    reservationTtlSeconds: 600,
  });
  const offer = await platform.offers.publish(created.id);
  return { session, offer };
}
