import type { Offer } from '@livedrop/core';

/** What a moderation hook decides about a new offer, or an offer as an edit would make it. */
export type ModerationVerdict =
  | 'approve'
  | 'reject'
  | 'escalate'
  | { decision: 'approve' | 'reject' | 'escalate'; note?: string };

/**
 * The moderation plug point: called with every new offer before it is stored, and with the offer as
 * it would be after an update that changes its title, price or compare-at price (a rejected edit is
 * refused; an escalated one takes the offer off sale). `escalate` holds the
 * offer in `pending_review` until a moderator reviews it.
 */
export type ModerateOffer = (offer: Offer) => ModerationVerdict | Promise<ModerationVerdict>;

const BLOCKED_TERMS = /\b(counterfeit|replica|knock-?off)\b/i;

/**
 * The reference server's default policy, so every path can be exercised without a custom hook:
 * titles naming counterfeit goods are rejected; a claimed discount of two thirds or more
 * (compare-at price ≥ 3× price) is escalated for review; everything else is approved.
 */
export const defaultModeration: ModerateOffer = (offer) => {
  if (BLOCKED_TERMS.test(offer.title)) return { decision: 'reject', note: 'The title names counterfeit goods.' };
  if (offer.compareAtPrice && offer.compareAtPrice.amount >= offer.price.amount * 3) {
    return {
      decision: 'escalate',
      note: 'The claimed discount is two thirds or more; a moderator must confirm the compare-at price.',
    };
  }
  return 'approve';
};
