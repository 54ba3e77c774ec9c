/**
 * The embeddable LiveDrop checkout widget: the `<livedrop-checkout>` custom element
 * ({@link defineCheckoutElement}) and {@link mountCheckout} for any element. It shows a live
 * session's offers as they are published, with stock, countdowns and trust signals, and takes a
 * shopper from Reserve to an order id. Shadow DOM, themable with `--livedrop-*` custom properties
 * and `::part()`, and safe under a strict Content-Security-Policy.
 *
 * For a `<script>` tag, use the IIFE build `dist/livedrop-checkout.global.js`: it registers the
 * element on load and defines no other global.
 *
 * @module
 */
export { CHECKOUT_TAG, defineCheckoutElement } from './element';
export type { CheckoutElement } from './element';
export { mountCheckout } from './mount';
export type { CheckoutHandle } from './mount';
export { CHECKOUT_ATTRIBUTES } from './options';
export type { CheckoutOptions, CheckoutUpdate } from './options';
export type { CheckoutEventDetail, CheckoutEventMap, CheckoutEventName } from './events';
export type { CheckoutFailure } from './failure';
export { advance as advanceCheckout, IDLE as CHECKOUT_IDLE } from './checkout-machine';
export type { CheckoutInput, CheckoutPhase } from './checkout-machine';
export { describeCountdown, formatCountdown, formatPrice } from './format';
