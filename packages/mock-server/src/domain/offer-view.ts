import type { Offer, OfferStatus, PublicSessionView, Seller, SessionView } from '@livedrop/core';
import type { Engine } from '../engine';
import type { SessionRecord } from '../store';
import { toPublicOffer, toPublicSession } from './public-projection';

/**
 * The offer statuses a viewer may see. Drafts, offers waiting for review and rejected offers are
 * the platform's business until they go live, so publishable keys never learn they exist; an offer
 * that was live and went back to review (an edit held by moderation) stays in view, off sale.
 */
export const PUBLIC_OFFER_STATUSES: ReadonlySet<OfferStatus> = new Set<OfferStatus>([
  'live',
  'paused',
  'ended',
  'pending_review',
]);

/** Whether a publishable key (a viewer's browser) may see `offer`. */
export function isPublicOffer(offer: Offer): boolean {
  // An offer ended with its session before it was ever published was never public.
  return PUBLIC_OFFER_STATUSES.has(offer.status) && offer.publishedAt !== null;
}

/** Which view of a session to build: everything, or what a viewer may see. */
export type SessionViewKind = 'full' | 'public';

/**
 * Builds the hydrated view of a session: the session, its creator, its offers (in creation order,
 * with live stock) and the distinct sellers of those offers with their trust signals. The public
 * view keeps only {@link isPublicOffer} offers, and of the session and each offer only the fields
 * of the public projection ({@link toPublicSession}, {@link toPublicOffer}).
 *
 * The view shares objects with the committed records, which are never changed in place, so it
 * stays the snapshot it was when built.
 */
export function buildSessionView(engine: Engine, record: SessionRecord, kind: 'full'): SessionView;
export function buildSessionView(engine: Engine, record: SessionRecord, kind: 'public'): PublicSessionView;
export function buildSessionView(
  engine: Engine,
  record: SessionRecord,
  kind: SessionViewKind,
): SessionView | PublicSessionView;
export function buildSessionView(
  engine: Engine,
  record: SessionRecord,
  kind: SessionViewKind,
): SessionView | PublicSessionView {
  const { store } = engine;
  const session = record.value;
  const creator = store.creators.get(session.creatorId)?.value;
  // Sessions are only created for existing creators and creators are never deleted.
  if (!creator) throw new Error(`Session ${session.id} names creator ${session.creatorId}, which is not in the store.`);
  const offers: Offer[] = [];
  const sellers = new Map<string, Seller>();
  for (const offerId of record.offerIds) {
    const offer = store.offers.get(offerId)?.value;
    if (!offer || (kind === 'public' && !isPublicOffer(offer))) continue;
    offers.push(offer);
    if (!sellers.has(offer.sellerId)) {
      const seller = store.sellers.get(offer.sellerId)?.value;
      if (seller) sellers.set(seller.id, seller);
    }
  }
  if (kind === 'full') return { object: 'session_view', session, creator, offers, sellers: [...sellers.values()] };
  return {
    object: 'session_view',
    session: toPublicSession(session),
    creator,
    offers: offers.map(toPublicOffer),
    sellers: [...sellers.values()],
  };
}
