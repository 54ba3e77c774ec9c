/**
 * The embeddable LiveDrop checkout widget. The `<livedrop-checkout>` element and `mountCheckout()`
 * arrive with the widget; until then this entry exports nothing.
 *
 * @module
 */
export {};
