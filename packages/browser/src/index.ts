/**
 * LiveDrop for browsers. Re-exports everything in `@livedrop/core`, so a storefront installs one
 * package, and adds what pages need: zod without `eval` (strict CSP), reconnecting realtime streams
 * when the network or the tab comes back, reservations that survive a reload, and render timings.
 *
 * Realtime streams use core's `fetch` streaming transport, which sends the API key in the
 * `Authorization` header; see docs/decisions/0005-browser-stream-transport.md for why not EventSource.
 *
 * @module
 */
// First, before core makes its schemas: kept a separate file in dist by tsup.config.ts.
import './jitless';
import { reconnectManager } from '@livedrop/core';
import { listenForReconnectSignals } from './reconnect-signals';

export * from '@livedrop/core';
export { listenForReconnectSignals } from './reconnect-signals';
export { forgetReservation, reserveOnce, resumeReservation } from './reserve-once';
export type { KeptReservationOptions, KeyStorage, ReserveOnceOptions, ReservingClient } from './reserve-once';
export { OFFER_RENDERED_MEASURE, markOfferEvent, markOfferRendered } from './timing';

reconnectManager.setEventListener(listenForReconnectSignals);
