import type { LiveDropEvent, Offer, PublicStreamData, PublicStreamEventName } from '@livedrop/core';
import { isPublicOffer } from '../domain/offer-view';
import { toPublicOffer, toPublicSession } from '../domain/public-projection';
import type { Engine } from '../engine';
import { encodeSseFrame } from './sse-frame';

/** What one log event means to a session's public stream. */
export type SessionProjection =
  /** A message sent as is, built from the event's own snapshot. */
  | {
      readonly kind: 'message';
      readonly name: PublicStreamEventName;
      readonly data: PublicStreamData<PublicStreamEventName>;
    }
  /** The event moved an offer's stock: a coalesced `stock` message will follow. */
  | { readonly kind: 'stock'; readonly offerId: string };

/** Log event types that become offer messages, and the public name of each. */
const OFFER_MESSAGES: Partial<Record<LiveDropEvent['type'], PublicStreamEventName>> = {
  'livedrop.offer.published': 'offer.published',
  'livedrop.offer.updated': 'offer.updated',
  'livedrop.offer.paused': 'offer.paused',
  'livedrop.offer.sold_out': 'offer.sold_out',
  'livedrop.offer.ended': 'offer.ended',
};

/**
 * Whether viewers may hear about `offer`: a public status, and published at some point. Ending a
 * session also ends its drafts, and a viewer must not learn of an offer that never went live.
 */
export function isViewerVisible(offer: Offer): boolean {
  return isPublicOffer(offer) && offer.publishedAt !== null;
}

/**
 * Projects one log event onto the public stream of `sessionId`, or answers undefined when the
 * event is none of a viewer's business. Offers appear only once published and in the statuses
 * the public hydrate shows (never draft, pending review or rejected); sessions and offers carry only
 * the public projection's fields, as in the public hydrate; reservation and order events contribute only the offer whose stock they moved, so no
 * buyer id or client secret ever reaches a viewer.
 */
export function projectSessionEvent(event: LiveDropEvent, sessionId: string): SessionProjection | undefined {
  switch (event.type) {
    case 'livedrop.session.started':
    case 'livedrop.session.ended': {
      const { session } = event.data;
      if (session.id !== sessionId) return undefined;
      const name = event.type === 'livedrop.session.started' ? 'session.started' : 'session.ended';
      return { kind: 'message', name, data: { seq: event.seq, session: toPublicSession(session) } };
    }
    case 'livedrop.offer.published':
    case 'livedrop.offer.updated':
    case 'livedrop.offer.paused':
    case 'livedrop.offer.sold_out':
    case 'livedrop.offer.ended': {
      const { offer } = event.data;
      if (offer.sessionId !== sessionId || !isViewerVisible(offer)) return undefined;
      return {
        kind: 'message',
        name: OFFER_MESSAGES[event.type]!,
        data: { seq: event.seq, offer: toPublicOffer(offer) },
      };
    }
    case 'livedrop.reservation.held':
    case 'livedrop.reservation.promoted':
    case 'livedrop.reservation.released':
    case 'livedrop.reservation.expired':
    case 'livedrop.order.created': {
      const { attribution } = event.data;
      return attribution.sessionId === sessionId ? { kind: 'stock', offerId: attribution.offerId } : undefined;
    }
    default:
      return undefined;
  }
}

/** Encodes a projected message as its SSE frame. */
export function encodeSessionMessage(
  seq: number,
  name: PublicStreamEventName,
  data: PublicStreamData<PublicStreamEventName>,
): Uint8Array {
  return encodeSseFrame(seq, name, JSON.stringify(data));
}

/**
 * Encodes a `stock` message with the offer's levels as they are now (the latest, which is what a
 * viewer wants), marked with `seq`, the last log event it reflects. Undefined when the offer is
 * gone (a reset) or no longer public.
 */
export function encodeStockMessage(engine: Engine, offerId: string, seq: number): Uint8Array | undefined {
  const offer = engine.store.offers.get(offerId)?.value;
  if (!offer || !isViewerVisible(offer)) return undefined;
  const { available, reserved, sold, total } = offer.stock;
  const data: PublicStreamData<'stock'> = { seq, offerId, available, reserved, sold, total, soldOut: offer.soldOut };
  return encodeSseFrame(seq, 'stock', JSON.stringify(data));
}

/**
 * Collects the offers whose stock moved since the last drain, keeping for each only the last log
 * position, so a burst of reservations becomes one `stock` message per offer.
 */
export class StockCoalescer {
  readonly #lastSeq = new Map<string, number>();

  /** Notes that `seq` moved `offerId`'s stock. */
  note(offerId: string, seq: number): void {
    this.#lastSeq.set(offerId, seq);
  }

  /** True when nothing is waiting. */
  get empty(): boolean {
    return this.#lastSeq.size === 0;
  }

  /** The waiting offers in `seq` order (so SSE ids stay increasing), and forgets them. */
  drain(): { offerId: string; seq: number }[] {
    const drained = [...this.#lastSeq].map(([offerId, seq]) => ({ offerId, seq })).sort((a, b) => a.seq - b.seq);
    this.#lastSeq.clear();
    return drained;
  }
}
