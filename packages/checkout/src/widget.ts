import {
  forgetReservation,
  markOfferEvent,
  markOfferRendered,
  reserveOnce,
  resumeReservation,
  type PublicOffer,
  type PublicStockMessage,
  type Reservation,
  type Seller,
  type SessionStream,
  type PublicSessionView,
} from '@livedrop/browser';
import { createCheckoutClient, type CheckoutClient } from './api';
import { IDLE, advance, type CheckoutInput, type CheckoutPhase } from './checkout-machine';
import { dispatchCheckoutEvent } from './events';
import { toFailure, widgetFailure, type CheckoutFailure } from './failure';
import { describeCountdown } from './format';
import { LiveRegion } from './live-region';
import type { CheckoutOptions, CheckoutUpdate } from './options';
import { checkoutStyleSheet } from './styles';
import { h } from './view/dom';
import { OfferCard } from './view/offer-card';
import { ServerClock } from './server-clock';
import { SessionHeader } from './view/session-header';

/** Moments of a hold's last minute worth announcing (seconds left). */
const ANNOUNCE_AT = new Set([60, 30, 10]);

/**
 * One widget on one element: hydrates the session, follows its public stream, and walks each
 * offer's checkout. Everything it made goes away in {@link CheckoutWidget.destroy}.
 */
export class CheckoutWidget {
  readonly #host: HTMLElement;
  readonly #root: ShadowRoot;
  #options: CheckoutOptions;
  readonly #client: CheckoutClient;
  readonly #abort = new AbortController();
  readonly #clock = new ServerClock();
  /** Options of every API call: cancelled with the widget, and each response sets the server's clock. */
  readonly #call = {
    signal: this.#abort.signal,
    onResponse: ({ headers }: { headers: Headers }) => this.#clock.sync(headers.get('date')),
  };
  #locale: string;
  readonly #header = new SessionHeader();
  readonly #live = new LiveRegion();
  readonly #list = h('ul', { name: 'offers', attrs: { 'aria-label': 'Live offers' } });
  readonly #banner = h('p', { name: 'message', attrs: { role: 'alert' } });
  readonly #offers = new Map<string, PublicOffer>();
  readonly #sellers = new Map<string, Seller>();
  readonly #phases = new Map<string, CheckoutPhase>();
  readonly #cards = new Map<string, OfferCard>();
  #stream: SessionStream | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(host: HTMLElement, options: CheckoutOptions) {
    this.#host = host;
    this.#options = options;
    this.#locale = localeOf(options);
    this.#client = createCheckoutClient({
      apiKey: options.publishableKey,
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      buyerSession: options.buyerSession,
    });
    this.#root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [checkoutStyleSheet()];
    this.#banner.hidden = true;
    this.#list.append(h('li', 'empty', 'Loading the live drop…'));
    this.#root.replaceChildren(
      h(
        'section',
        { class: 'root', part: 'container', attrs: { 'aria-label': 'LiveDrop checkout' } },
        this.#header.element,
        this.#banner,
        this.#list,
      ),
      this.#live.element,
    );
  }

  /** Hydrates the session, then follows its stream. */
  async start(): Promise<void> {
    let view: PublicSessionView;
    try {
      view = await this.#client.sessions.hydrate(this.#options.sessionId, this.#call);
    } catch (error) {
      this.#fail(null, toFailure(error));
      return;
    }
    await this.#resume(view.offers);
    if (this.#abort.signal.aborted) return;
    this.#header.update(view.session, view.creator);
    for (const seller of view.sellers) this.#sellers.set(seller.id, seller);
    const newestFirst = [...view.offers].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
    for (const offer of newestFirst) this.#upsert(offer, 'append');
    this.#renderEmpty();
    dispatchCheckoutEvent(this.#host, 'livedrop:ready', { sessionId: view.session.id, offerCount: view.offers.length });
    this.#follow();
    this.#ticker = setInterval(() => this.#tick(), 1000);
  }

  /**
   * Takes options that do not change which checkout this is (payment method, locale, callbacks):
   * every offer keeps its step, a hold its countdown.
   */
  update(patch: CheckoutUpdate): void {
    this.#options = { ...this.#options, ...patch };
    const locale = localeOf(this.#options);
    if (locale === this.#locale) return;
    this.#locale = locale;
    for (const [offerId, card] of this.#cards) {
      card.setLocale(locale);
      this.#render(offerId);
    }
  }

  /**
   * After a reload (or a remount): the reservation this tab made for the buyer on each offer, as the
   * server has it now. A hold comes back with the time the server gives it; one that ended says why.
   */
  async #resume(offers: readonly PublicOffer[]): Promise<void> {
    // Only a buyer session lets the server tell whose hold it is (the replay is scoped to its buyer).
    if (!this.#options.buyerSession) return;
    await Promise.all(
      offers.map(async (offer) => {
        let reservation: Reservation | undefined;
        try {
          reservation = await resumeReservation(this.#client, offer.id, this.#call);
        } catch {
          return; // Unreachable now: the card offers Reserve, and reserveOnce replays the kept request.
        }
        if (!reservation) return;
        const remainingMs = Date.parse(reservation.expiresAt ?? '') - this.#clock.now() || 0;
        const phase = advance(IDLE, { type: 'resumed', reservation, now: performance.now(), remainingMs });
        this.#phases.set(offer.id, phase);
        if (phase.step === 'failed') forgetReservation(offer.id);
        if (phase.step === 'held')
          this.#live.announce(`${offer.title} is still held for you: ${describeCountdown(remainingMs)} left`);
      }),
    );
  }

  /** Closes the stream, cancels requests and timers, and empties the shadow root. */
  destroy(): void {
    this.#abort.abort();
    this.#stream?.close();
    clearInterval(this.#ticker);
    this.#root.replaceChildren();
  }

  #follow(): void {
    const live = this.#client.realtime.session(this.#options.sessionId, { signal: this.#abort.signal });
    this.#stream = live;
    live.on('offer.published', ({ offer }) => {
      markOfferEvent(offer.id);
      const isNew = !this.#offers.has(offer.id);
      this.#upsert(offer, 'prepend');
      if (isNew) this.#live.announce(`New offer: ${offer.title}`);
      requestAnimationFrame(() => {
        const measure = markOfferRendered(offer.id);
        if (measure)
          dispatchCheckoutEvent(this.#host, 'livedrop:offer-rendered', {
            offerId: offer.id,
            duration: measure.duration,
          });
      });
    });
    for (const name of ['offer.updated', 'offer.paused', 'offer.sold_out', 'offer.ended'] as const) {
      live.on(name, ({ offer }) => this.#upsert(offer, 'prepend'));
    }
    live.on('stock', (message) => this.#stock(message));
    live.on('session.started', ({ session }) => this.#header.setStatus(session.status));
    live.on('session.ended', ({ session }) => this.#header.setStatus(session.status));
    live.on('connected', () => {
      this.#banner.hidden = true;
    });
    live.on('error', (error) => {
      if (live.state === 'closed') this.#fail(null, toFailure(error));
    });
  }

  #upsert(offer: PublicOffer, where: 'append' | 'prepend'): void {
    const before = this.#offers.get(offer.id);
    this.#offers.set(offer.id, offer);
    let card = this.#cards.get(offer.id);
    if (!card) {
      card = new OfferCard(offer, this.#locale, {
        reserve: (backorder) => void this.#reserve(offer.id, backorder),
        pay: () => void this.#pay(offer.id),
        release: () => void this.#release(offer.id),
        reset: () => this.#step(offer.id, { type: 'reset' }),
      });
      this.#cards.set(offer.id, card);
      if (where === 'prepend') this.#list.prepend(card.element);
      else this.#list.append(card.element);
      this.#renderEmpty();
    }
    this.#render(offer.id);
    if (before && !before.soldOut && offer.soldOut) this.#live.announce(`${offer.title} is sold out`);
  }

  #stock(message: PublicStockMessage): void {
    const offer = this.#offers.get(message.offerId);
    if (!offer) return;
    const { available, reserved, sold, total, soldOut } = message;
    this.#upsert({ ...offer, soldOut, stock: { ...offer.stock, available, reserved, sold, total } }, 'prepend');
    if (available > 0 && available <= 3 && available !== offer.stock.available)
      this.#live.announce(`${offer.title}: ${available} left`);
    const phase = this.#phases.get(offer.id);
    // Units came back: a backordered shopper may have been promoted to a hold.
    if (phase?.step === 'backordered' && available !== offer.stock.available)
      void this.#refreshBackorder(offer.id, phase.reservation.id, phase.reservation.clientSecret);
  }

  async #refreshBackorder(offerId: string, id: string, clientSecret: string | undefined): Promise<void> {
    if (clientSecret === undefined) return;
    try {
      const reservation = await this.#client.reservations.retrieve(id, { clientSecret, ...this.#call });
      if (reservation.status === 'held') {
        this.#step(offerId, { type: 'reserved', reservation, now: performance.now() });
        this.#live.announce(`A unit freed up: ${this.#offers.get(offerId)?.title ?? 'your item'} is held for you`);
      }
    } catch {
      // The next stock message tries again; a failed peek changes nothing for the shopper.
    }
  }

  #step(offerId: string, input: CheckoutInput): CheckoutPhase {
    const next = advance(this.#phase(offerId), input);
    this.#phases.set(offerId, next);
    this.#render(offerId);
    return next;
  }

  #phase(offerId: string): CheckoutPhase {
    return this.#phases.get(offerId) ?? IDLE;
  }

  #render(offerId: string): void {
    const offer = this.#offers.get(offerId);
    const card = this.#cards.get(offerId);
    if (!offer || !card) return;
    card.update(offer, this.#sellers.get(offer.sellerId), this.#phase(offerId), performance.now(), this.#endsIn(offer));
  }

  #renderEmpty(): void {
    const placeholder = this.#list.querySelector('.empty');
    if (this.#cards.size > 0) placeholder?.remove();
    else if (placeholder) placeholder.textContent = 'No offers yet. They appear here the moment they go live.';
  }

  /** Time left until a live offer's scheduled end on the server's clock; null when it has none. */
  #endsIn(offer: PublicOffer): number | null {
    if (offer.status !== 'live' || offer.endsAt === null) return null;
    return Date.parse(offer.endsAt) - this.#clock.now();
  }

  #tick(): void {
    const now = performance.now();
    for (const [offerId, card] of this.#cards) {
      const phase = this.#phase(offerId);
      const offer = this.#offers.get(offerId)!;
      if (phase.step === 'held') {
        const next = this.#step(offerId, { type: 'tick', now });
        if (next.step === 'failed') {
          this.#report(offerId, next.failure);
          continue;
        }
        const left = Math.ceil((phase.deadline - now) / 1000);
        if (ANNOUNCE_AT.has(left))
          this.#live.announce(`${describeCountdown(left * 1000)} left to pay for ${offer.title}`);
      }
      card.tick(this.#phase(offerId), now, this.#endsIn(offer));
    }
  }

  async #reserve(offerId: string, backorder: boolean): Promise<void> {
    const offer = this.#offers.get(offerId);
    if (!offer || this.#step(offerId, { type: 'reserve', backorder }).step !== 'reserving') return;
    await this.#attempt(offerId, 'unexpected', async () => {
      const offerToken = await this.#token(offer);
      if (typeof offerToken !== 'string') return this.#fail(offerId, offerToken);
      const reservation = await reserveOnce(
        this.#client,
        offer.id,
        { offerToken, quantity: 1, ...(backorder ? { backorderConsent: true } : {}) },
        this.#call,
      );
      const phase = this.#step(offerId, { type: 'reserved', reservation, now: performance.now() });
      if (phase.step === 'held') {
        this.#live.announce(
          `${offer.title} is held for you for ${describeCountdown(phase.deadline - performance.now())}`,
        );
        dispatchCheckoutEvent(this.#host, 'livedrop:reserved', { offer, reservation });
      } else if (phase.step === 'backordered') {
        const queuePosition = reservation.queuePosition ?? 0;
        this.#live.announce(`You are number ${queuePosition} in the queue for ${offer.title}`);
        dispatchCheckoutEvent(this.#host, 'livedrop:backordered', { offer, reservation, queuePosition });
      }
    });
  }

  /**
   * An offer token from the host, or in test mode from the API with the publishable key. A token
   * the host or the widget itself cannot give comes back as the shopper's failure; the API's
   * errors are thrown.
   */
  async #token(offer: PublicOffer): Promise<string | CheckoutFailure> {
    const { onRequestToken, buyerSession } = this.#options;
    if (onRequestToken) {
      try {
        const answer = await onRequestToken(offer);
        return typeof answer === 'string' ? answer : answer.token;
      } catch (error) {
        return toFailure(error, 'token_request_failed');
      }
    }
    if (!buyerSession) return widgetFailure('buyer_required');
    return (await this.#client.offers.issueToken(offer.id, {}, this.#call)).token;
  }

  async #pay(offerId: string): Promise<void> {
    const offer = this.#offers.get(offerId);
    const phase = this.#step(offerId, { type: 'pay' });
    if (!offer || phase.step !== 'paying') return;
    const { reservation } = phase;
    const { onCheckout } = this.#options;
    await this.#attempt(offerId, onCheckout ? 'checkout_failed' : 'unexpected', async () => {
      let orderId: string;
      if (onCheckout) orderId = (await onCheckout(reservation, offer)).orderId;
      else {
        const clientSecret = reservation.clientSecret ?? '';
        const paymentMethod = this.#options.testPaymentMethod ?? 'pm_test_ok';
        orderId = (await this.#client.reservations.confirm(reservation.id, { clientSecret, paymentMethod }, this.#call))
          .id;
      }
      if (this.#abort.signal.aborted) return;
      this.#step(offerId, { type: 'paid', orderId });
      this.#live.announce(`Order placed for ${offer.title}. Order number ${orderId}`);
      dispatchCheckoutEvent(this.#host, 'livedrop:checkout', { offer, reservation, orderId });
    });
  }

  async #release(offerId: string): Promise<void> {
    const offer = this.#offers.get(offerId);
    // Only a held checkout starts a release; a second tap while it is in flight (or after it) does nothing.
    if (!offer || this.#phase(offerId).step !== 'held') return;
    const phase = this.#step(offerId, { type: 'release' });
    if (phase.step !== 'releasing') return;
    const { reservation } = phase;
    await this.#attempt(offerId, 'unexpected', async () => {
      await this.#client.reservations.release(reservation.id, {
        clientSecret: reservation.clientSecret,
        ...this.#call,
      });
      this.#step(offerId, { type: 'released' });
      // Released on purpose: a reload shows Reserve again, not this hold.
      forgetReservation(offerId);
      this.#live.announce(`Released ${offer.title}`);
      dispatchCheckoutEvent(this.#host, 'livedrop:released', { offer, reservation });
    });
  }

  /** Runs one step of an offer's checkout; what it throws shows on the offer's card. */
  async #attempt(offerId: string, fallbackCode: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.#fail(offerId, toFailure(error, fallbackCode));
    }
  }

  /**
   * Shows a failure (on the offer's card, or as the widget's banner) and reports it; once the
   * widget is destroyed, a failure it caused itself (a cancelled request) is not shown.
   */
  #fail(offerId: string | null, failure: CheckoutFailure): void {
    if (this.#abort.signal.aborted) return;
    if (offerId === null) {
      this.#banner.textContent = failure.message;
      this.#banner.hidden = false;
    } else {
      this.#step(offerId, { type: 'failed', failure });
    }
    this.#report(offerId, failure);
  }

  #report(offerId: string | null, failure: CheckoutFailure): void {
    dispatchCheckoutEvent(this.#host, 'livedrop:error', { offerId, failure });
  }
}

function localeOf(options: CheckoutOptions): string {
  return options.locale ?? globalThis.navigator?.language ?? 'en-US';
}
