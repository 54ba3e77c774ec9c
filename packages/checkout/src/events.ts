import type { PublicOffer, Reservation } from '@livedrop/browser';
import type { CheckoutFailure } from './failure';

/**
 * The DOM events the widget dispatches on its host element, by name, with the type of each
 * `event.detail`. They bubble and cross shadow roots (`composed`), so a listener on `document` hears
 * every widget on the page.
 * @example
 * el.addEventListener('livedrop:checkout', (e) => analytics.track('order', e.detail.orderId));
 */
export interface CheckoutEventMap {
  /** The session is on screen: hydrated, stream opening. */
  'livedrop:ready': CustomEvent<{ readonly sessionId: string; readonly offerCount: number }>;
  /** A published offer reached the screen; `duration` is the `livedrop:offer-rendered` measure (offer event → frame), in ms. */
  'livedrop:offer-rendered': CustomEvent<{ readonly offerId: string; readonly duration: number }>;
  /** Units are held for the shopper until `reservation.expiresAt`. */
  'livedrop:reserved': CustomEvent<{ readonly offer: PublicOffer; readonly reservation: Reservation }>;
  /** The shopper consented to wait and is in the backorder queue at `queuePosition`. */
  'livedrop:backordered': CustomEvent<{
    readonly offer: PublicOffer;
    readonly reservation: Reservation;
    readonly queuePosition: number;
  }>;
  /** The shopper gave a hold back. */
  'livedrop:released': CustomEvent<{ readonly offer: PublicOffer; readonly reservation: Reservation }>;
  /** Paid: the hold became order `orderId`. */
  'livedrop:checkout': CustomEvent<{
    readonly offer: PublicOffer;
    readonly reservation: Reservation;
    readonly orderId: string;
  }>;
  /** Something failed; the widget shows `failure.message`. `offerId` is null for session-level failures (hydrate, stream). */
  'livedrop:error': CustomEvent<{ readonly offerId: string | null; readonly failure: CheckoutFailure }>;
}

/** The name of a widget event. */
export type CheckoutEventName = keyof CheckoutEventMap;

/** The `detail` of the widget event `K`. */
export type CheckoutEventDetail<K extends CheckoutEventName> = CheckoutEventMap[K]['detail'];

/** Dispatches a widget event on `target`. */
export function dispatchCheckoutEvent<K extends CheckoutEventName>(
  target: EventTarget,
  name: K,
  detail: CheckoutEventDetail<K>,
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap extends CheckoutEventMap {}
}
