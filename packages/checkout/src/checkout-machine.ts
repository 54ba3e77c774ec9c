import type { Reservation } from '@livedrop/browser';
import { widgetFailure, type CheckoutFailure } from './failure';

/**
 * Where one offer's checkout is. A shopper walks it one step at a time:
 * `idle → reserving → held → paying → paid`, or, on a sold-out offer that takes backorders,
 * `idle → reserving (with consent) → backordered → held → …`; Release walks `held → releasing → idle`.
 * A failure is a step of its own that remembers where to go back to; a declined payment keeps the hold.
 * After a reload, `resumed` puts an idle checkout where the buyer's reservation is on the server.
 */
export type CheckoutPhase =
  | { readonly step: 'idle' }
  | { readonly step: 'reserving'; readonly backorder: boolean }
  | {
      readonly step: 'held';
      readonly reservation: Reservation;
      readonly deadline: number;
      readonly failure: CheckoutFailure | null;
    }
  | { readonly step: 'paying'; readonly reservation: Reservation; readonly deadline: number }
  | { readonly step: 'releasing'; readonly reservation: Reservation; readonly deadline: number }
  | { readonly step: 'paid'; readonly reservation: Reservation; readonly orderId: string }
  | { readonly step: 'backordered'; readonly reservation: Reservation }
  | { readonly step: 'failed'; readonly failure: CheckoutFailure };

/** What can happen to a checkout. `now` is the widget's monotonic clock (ms). */
export type CheckoutInput =
  | { readonly type: 'reserve'; readonly backorder: boolean }
  | { readonly type: 'reserved'; readonly reservation: Reservation; readonly now: number }
  /** The buyer's reservation found after a reload; `remainingMs` is `expiresAt` minus the server's now. */
  | { readonly type: 'resumed'; readonly reservation: Reservation; readonly now: number; readonly remainingMs: number }
  | { readonly type: 'pay' }
  | { readonly type: 'paid'; readonly orderId: string }
  | { readonly type: 'failed'; readonly failure: CheckoutFailure }
  | { readonly type: 'tick'; readonly now: number }
  | { readonly type: 'release' }
  | { readonly type: 'released' }
  | { readonly type: 'reset' };

/** The first phase of every offer. */
export const IDLE: CheckoutPhase = { step: 'idle' };

/** The failure shown when a hold runs out on screen (the same words the API's answer gets). */
export const HOLD_EXPIRED: CheckoutFailure = widgetFailure('reservation_expired');

/** The failure shown when a reload finds the buyer's hold released (by the platform, or another page). */
export const HOLD_RELEASED: CheckoutFailure = widgetFailure('reservation_not_held');

/**
 * When a hold ends on the widget's clock. The server's `expiresAt - updatedAt` is the hold's length
 * in its own clock, so a device clock that is off does not shorten or lengthen it.
 */
export function holdDeadline(reservation: Reservation, now: number): number {
  if (reservation.expiresAt === null) return now;
  return now + Math.max(0, Date.parse(reservation.expiresAt) - Date.parse(reservation.updatedAt));
}

/** Codes after which the hold is known to be still there, so the shopper may just pay again. */
const HOLD_KEPT = new Set(['payment_declined', 'checkout_failed', 'connection_failed', 'rate_limited']);

/**
 * The next phase. Inputs that make no sense where the checkout is (a second tap on Reserve while
 * reserving or on Release while releasing, a late tick after payment) leave it as it is, so double
 * taps and races change nothing.
 */
export function advance(phase: CheckoutPhase, input: CheckoutInput): CheckoutPhase {
  switch (input.type) {
    case 'reserve':
      return phase.step === 'idle' || phase.step === 'failed'
        ? { step: 'reserving', backorder: input.backorder }
        : phase;
    case 'reserved':
    case 'resumed': {
      // A reservation answers a Reserve (or a queue promotion); a resumed one is found on an idle card.
      const expected =
        input.type === 'resumed' ? phase.step === 'idle' : phase.step === 'reserving' || phase.step === 'backordered';
      if (!expected) return phase;
      const { reservation } = input;
      if (reservation.status === 'backordered') return { step: 'backordered', reservation };
      if (reservation.status === 'held') {
        const deadline =
          input.type === 'resumed' ? input.now + Math.max(0, input.remainingMs) : holdDeadline(reservation, input.now);
        return { step: 'held', reservation, deadline, failure: null };
      }
      if (reservation.status === 'captured' && reservation.orderId !== null)
        return { step: 'paid', reservation, orderId: reservation.orderId };
      return { step: 'failed', failure: reservation.status === 'released' ? HOLD_RELEASED : HOLD_EXPIRED };
    }
    case 'pay':
      return phase.step === 'held'
        ? { step: 'paying', reservation: phase.reservation, deadline: phase.deadline }
        : phase;
    case 'paid':
      return phase.step === 'paying' ? { step: 'paid', reservation: phase.reservation, orderId: input.orderId } : phase;
    case 'failed':
      if ((phase.step === 'paying' || phase.step === 'releasing') && HOLD_KEPT.has(input.failure.code))
        return { step: 'held', reservation: phase.reservation, deadline: phase.deadline, failure: input.failure };
      if (
        phase.step === 'reserving' ||
        phase.step === 'paying' ||
        phase.step === 'releasing' ||
        phase.step === 'held' ||
        phase.step === 'backordered'
      )
        return { step: 'failed', failure: input.failure };
      return phase;
    case 'tick':
      return phase.step === 'held' && input.now >= phase.deadline ? { step: 'failed', failure: HOLD_EXPIRED } : phase;
    case 'release':
      return phase.step === 'held'
        ? { step: 'releasing', reservation: phase.reservation, deadline: phase.deadline }
        : phase;
    case 'released':
      return phase.step === 'releasing' || phase.step === 'held' ? IDLE : phase;
    case 'reset':
      return phase.step === 'failed' ? IDLE : phase;
  }
}
