/**
 * The script-tag build (`dist/livedrop-checkout.global.js`): registers `<livedrop-checkout>` on
 * load. `@livedrop/browser` comes first, so zod runs jitless before any schema is made (strict CSP).
 *
 * @module
 */
import '@livedrop/browser';
import { defineCheckoutElement } from './element';

// Loaded outside a browser (server rendering, a bundler's analysis) it does nothing.
if (typeof customElements !== 'undefined') defineCheckoutElement();
