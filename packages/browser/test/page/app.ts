/**
 * The test page's script, bundled with esbuild by browser.test.ts and loaded in Chromium under a
 * strict CSP. It drives the browser adapter the way a storefront would and exposes what happened on
 * `window.livedropPage` for the test to read.
 */
import {
  createClient,
  markOfferEvent,
  markOfferRendered,
  reserveOnce,
  type LiveDropClient,
  type PublicOffer,
  type SessionStream,
} from '@livedrop/browser';
// Classic zod compiles object parsers with `new Function` unless `jitless` is set: the browser
// entry, imported above, sets it for every zod schema in the page, the app's own included.
import * as z from 'zod';

const AppState = z.object({ cart: z.array(z.string()) });
AppState.parse({ cart: [] });

interface Received {
  readonly name: string;
  readonly seq: number;
  readonly offerId: string | null;
}

/** What the test reads and calls through `page.evaluate`. */
export interface PageApi {
  start(apiKey: string, sessionId: string, maxReconnectDelayMs: number): Promise<void>;
  reserve(
    apiKey: string,
    offerId: string,
    offerToken: string,
  ): Promise<{ ok: true; id: string; status: string } | { ok: false; name: string; status: number | null }>;
  pendingSlots(): string[];
  state(): {
    received: Received[];
    connects: number;
    reconnects: { attempt: number; delayMs: number; error: string }[];
    errors: string[];
    streamState: string | null;
    measures: { name: string; offerId: unknown; duration: number }[];
  };
  close(): void;
}

declare global {
  interface Window {
    livedropPage: PageApi;
  }
}

const received: Received[] = [];
const reconnects: { attempt: number; delayMs: number; error: string }[] = [];
const errors: string[] = [];
let connects = 0;
let live: SessionStream | undefined;

function row(offer: PublicOffer): HTMLElement {
  const li = document.createElement('li');
  li.id = `offer-${offer.id}`;
  li.textContent = `${offer.title} — ${(offer.price.amount / 100).toFixed(2)} ${offer.price.currency} — ${offer.stock.available} left`;
  return li;
}

function render(offer: PublicOffer): void {
  const list = document.getElementById('offers')!;
  const existing = document.getElementById(`offer-${offer.id}`);
  if (existing) existing.replaceWith(row(offer));
  else list.append(row(offer));
}

function client(apiKey: string): LiveDropClient {
  return createClient({ apiKey, baseUrl: location.origin, maxRetries: 0 });
}

window.livedropPage = {
  async start(apiKey, sessionId, maxReconnectDelayMs) {
    const ld = client(apiKey);
    const view = await ld.sessions.hydrate(sessionId);
    document.getElementById('title')!.textContent = `${view.session.title} with @${view.creator.handle}`;
    for (const offer of view.offers) render(offer);
    live = ld.realtime.session(sessionId, { maxReconnectDelayMs });
    live.on('connected', () => {
      connects++;
      document.getElementById('status')!.textContent = 'live';
    });
    live.on('reconnecting', ({ attempt, delayMs, error }) => {
      reconnects.push({ attempt, delayMs, error: error.name });
      document.getElementById('status')!.textContent = `reconnecting (attempt ${attempt})`;
    });
    live.on('error', (error) => errors.push(`${error.name}: ${error.message}`));
    live.on('session.started', ({ seq }) => received.push({ name: 'session.started', seq, offerId: null }));
    live.on('offer.published', ({ seq, offer }) => {
      markOfferEvent(offer.id);
      received.push({ name: 'offer.published', seq, offerId: offer.id });
      render(offer);
      requestAnimationFrame(() => markOfferRendered(offer.id));
    });
    live.on('stock', ({ seq, offerId }) => received.push({ name: 'stock', seq, offerId }));
  },

  async reserve(apiKey, offerId, offerToken) {
    try {
      const reservation = await reserveOnce(client(apiKey), offerId, { offerToken, quantity: 1 });
      return { ok: true, id: reservation.id, status: reservation.status };
    } catch (error) {
      const e = error as { name?: string; status?: number };
      return { ok: false, name: e.name ?? 'Error', status: e.status ?? null };
    }
  },

  pendingSlots() {
    // Pending: sent but not answered yet (an answered attempt stays kept so a reload finds its hold).
    return Object.keys(sessionStorage).filter(
      (key) => key.startsWith('livedrop:reservation:') && JSON.parse(sessionStorage.getItem(key)!).answered !== true,
    );
  },

  state() {
    return {
      received: [...received],
      connects,
      reconnects: [...reconnects],
      errors: [...errors],
      streamState: live?.state ?? null,
      measures: performance
        .getEntriesByName('livedrop:offer-rendered', 'measure')
        .map((m) => ({ name: m.name, offerId: (m as PerformanceMeasure).detail?.offerId, duration: m.duration })),
    };
  },

  close() {
    live?.close();
  },
};
document.getElementById('status')!.textContent = 'ready';
