import type { IssuedToken, PublicOffer, Reservation, TestPaymentMethod } from '@livedrop/browser';

/** Options of {@link mountCheckout}; the `<livedrop-checkout>` element maps its attributes onto them. */
export interface CheckoutOptions {
  /** The live session to show (`ses_…`). Attribute `session`. */
  sessionId: string;
  /** A publishable key (`pk_…`). Attribute `publishable-key`. */
  publishableKey: string;
  /** The LiveDrop API's base URL, e.g. the reference server's `http://127.0.0.1:4010`. Attribute `base-url`. */
  baseUrl: string;
  /**
   * The signed-in buyer's buyer session (`bs_…`): the credential the platform's backend minted for
   * its buyer (`buyerSessions.create`, secret key) and put in the page. The widget sends it beside
   * the publishable key to issue offer tokens and reserve for that buyer (when {@link onRequestToken}
   * is not set), and to find the buyer's hold again after a reload. Attribute `buyer-session`.
   * @default undefined (then Reserve needs `onRequestToken`)
   */
  buyerSession?: string | undefined;
  /**
   * Asks the host for an offer token for its signed-in buyer: the platform's backend issues it with
   * its secret key (`offers.issueToken`). Answer the token string or the whole issued token.
   * @default undefined (the widget requests one with the publishable key for its `buyerSession`)
   */
  onRequestToken?: ((offer: PublicOffer) => Promise<string | IssuedToken>) | undefined;
  /**
   * Hands a held reservation to the host to take payment (e.g. its own payment sheet, then a
   * capture on its backend); answer the order id. The widget shows the order id when it resolves,
   * and the hold again with a plain message when it rejects.
   * @default undefined (test mode: the widget confirms with {@link testPaymentMethod})
   */
  onCheckout?: ((reservation: Reservation, offer: PublicOffer) => Promise<{ orderId: string }>) | undefined;
  /**
   * The simulated payment method test mode confirms with. Attribute `test-payment-method`.
   * @default 'pm_test_ok'
   */
  testPaymentMethod?: TestPaymentMethod | undefined;
  /**
   * BCP 47 locale for prices. Attribute `locale`.
   * @default navigator.language, else 'en-US'
   */
  locale?: string | undefined;
  /** The fetch the API client calls (proxies, tests). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
}

/**
 * Options that change in place, without a remount: a hold stays held, its countdown running. The
 * others (session, key, base URL, buyer, fetch) say which checkout it is; changing one remounts.
 */
export type CheckoutUpdate = Partial<
  Pick<CheckoutOptions, 'testPaymentMethod' | 'locale' | 'onRequestToken' | 'onCheckout'>
>;

/** Attributes of `<livedrop-checkout>` and the options they set. */
export const CHECKOUT_ATTRIBUTES = {
  session: 'sessionId',
  'publishable-key': 'publishableKey',
  'base-url': 'baseUrl',
  'buyer-session': 'buyerSession',
  'test-payment-method': 'testPaymentMethod',
  locale: 'locale',
} as const satisfies Record<string, keyof CheckoutOptions>;
