import { mountCheckout, type CheckoutHandle } from './mount';
import { CHECKOUT_ATTRIBUTES, type CheckoutOptions } from './options';

/** The tag {@link defineCheckoutElement} registers by default. */
export const CHECKOUT_TAG = 'livedrop-checkout';

/** What `<livedrop-checkout>` adds to an `HTMLElement`: the callbacks attributes cannot carry. */
export interface CheckoutElement extends HTMLElement {
  /** See {@link CheckoutOptions.onRequestToken}. Setting it keeps every hold (no remount). */
  onRequestToken: CheckoutOptions['onRequestToken'];
  /** See {@link CheckoutOptions.onCheckout}. */
  onCheckout: CheckoutOptions['onCheckout'];
}

const OBSERVED = Object.keys(CHECKOUT_ATTRIBUTES) as (keyof typeof CHECKOUT_ATTRIBUTES)[];

/** Attributes that say which checkout this is: changing one remounts; the others update in place. */
const IDENTITY: ReadonlySet<string> = new Set(['session', 'publishable-key', 'base-url', 'buyer-session']);

/**
 * Registers the `<livedrop-checkout>` custom element (or the same element under `tagName`). Safe to
 * call more than once. The class is made here, not at import, so importing the package in Node
 * (server rendering, tests) needs no DOM.
 * @example
 * import { defineCheckoutElement } from '@livedrop/checkout';
 * defineCheckoutElement();
 * // <livedrop-checkout session="ses_…" publishable-key="pk_…" base-url="https://…" buyer-session="bs_…">
 */
export function defineCheckoutElement(tagName: string = CHECKOUT_TAG): void {
  if (customElements.get(tagName)) return;

  class LiveDropCheckoutElement extends HTMLElement implements CheckoutElement {
    static readonly observedAttributes = OBSERVED;
    #handle: CheckoutHandle | undefined;
    #callbacks: Pick<CheckoutOptions, 'onRequestToken' | 'onCheckout'> = {};
    #remountQueued = false;

    get onRequestToken() {
      return this.#callbacks.onRequestToken;
    }
    set onRequestToken(value) {
      this.#set('onRequestToken', value);
    }
    get onCheckout() {
      return this.#callbacks.onCheckout;
    }
    set onCheckout(value) {
      this.#set('onCheckout', value);
    }

    connectedCallback(): void {
      this.#scheduleRemount();
    }

    disconnectedCallback(): void {
      this.#handle?.unmount();
      this.#handle = undefined;
    }

    attributeChangedCallback(
      name: keyof typeof CHECKOUT_ATTRIBUTES,
      previous: string | null,
      next: string | null,
    ): void {
      if (previous === next || !this.isConnected) return;
      // A payment method or locale change must not drop the shopper's hold.
      if (this.#handle && !IDENTITY.has(name)) this.#handle.update({ [CHECKOUT_ATTRIBUTES[name]]: next || undefined });
      else this.#scheduleRemount();
    }

    #set<K extends 'onRequestToken' | 'onCheckout'>(name: K, value: CheckoutOptions[K]): void {
      this.#callbacks = { ...this.#callbacks, [name]: value };
      this.#handle?.update({ [name]: value });
    }

    /**
     * Mounts once the current task's attribute changes are in: an upgrade or a framework sets the
     * attributes one by one, and each would otherwise mount a checkout only to abort its requests.
     */
    #scheduleRemount(): void {
      if (this.#remountQueued) return;
      this.#remountQueued = true;
      queueMicrotask(() => {
        this.#remountQueued = false;
        if (this.isConnected) this.#remount();
      });
    }

    #remount(): void {
      this.#handle?.unmount();
      this.#handle = undefined;
      const options: Partial<Record<string, string>> = {};
      for (const attribute of OBSERVED) {
        const value = this.getAttribute(attribute);
        if (value !== null && value !== '') options[CHECKOUT_ATTRIBUTES[attribute]] = value;
      }
      // Until the three it needs are set, the element waits (frameworks often set attributes one by one).
      if (!options['sessionId'] || !options['publishableKey'] || !options['baseUrl']) return;
      this.#handle = mountCheckout(this, { ...(options as unknown as CheckoutOptions), ...this.#callbacks });
    }
  }

  customElements.define(tagName, LiveDropCheckoutElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'livedrop-checkout': CheckoutElement;
  }
}
