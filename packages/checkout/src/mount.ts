import type { CheckoutOptions, CheckoutUpdate } from './options';
import { CheckoutWidget } from './widget';

/** A mounted widget; see {@link mountCheckout}. */
export interface CheckoutHandle {
  /** Closes the stream, cancels in-flight requests and timers, and empties the widget. Idempotent. */
  unmount(): void;
  /**
   * Changes options that do not say which checkout this is ({@link CheckoutUpdate}) in place: every
   * offer keeps its step, and a hold stays held. To change the session, key, base URL or buyer,
   * unmount and mount again.
   */
  update(options: CheckoutUpdate): void;
  /** Settles once the session is on screen (or its failure is shown): never rejects. */
  readonly ready: Promise<void>;
}

const mounted = new WeakMap<Element, CheckoutWidget>();

/**
 * Renders the checkout widget into `element`'s shadow root (made if it has none) and starts it:
 * the session's live offers, updated in real time, with one-tap reserve and pay.
 * @throws Error when a widget is already mounted on `element` (unmount it first).
 * @example
 * const widget = mountCheckout(document.querySelector('#shop')!, {
 *   sessionId: 'ses_…', publishableKey: 'pk_…', baseUrl: 'https://api.example.com',
 *   onRequestToken: async (offer) => (await fetch(`/api/offer-token?offer=${offer.id}`)).text(),
 * });
 * // later
 * widget.unmount();
 */
export function mountCheckout(element: HTMLElement, options: CheckoutOptions): CheckoutHandle {
  if (mounted.has(element))
    throw new Error(
      'A LiveDrop checkout is already mounted on this element; call unmount() on its handle before mounting again.',
    );
  for (const name of ['sessionId', 'publishableKey', 'baseUrl'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '')
      throw new TypeError(`mountCheckout: options.${name} is required (a non-empty string).`);
  }
  const widget = new CheckoutWidget(element, options);
  mounted.set(element, widget);
  return {
    ready: widget.start(),
    update(options) {
      if (mounted.get(element) === widget) widget.update(options);
    },
    unmount() {
      if (mounted.get(element) !== widget) return;
      mounted.delete(element);
      widget.destroy();
    },
  };
}
