import type { PublicOffer, Seller } from '@livedrop/browser';
import type { CheckoutPhase } from '../checkout-machine';
import { canRetry } from '../failure';
import { describeCountdown, formatCountdown, formatPrice, formatRate } from '../format';
import { button, h, present, setText, type MaybeNode } from './dom';

/** What a shopper can do on a card; the widget wires each to its checkout. */
export interface OfferCardActions {
  reserve(backorder: boolean): void;
  pay(): void;
  release(): void;
  reset(): void;
}

/** Where an offer stands for a shopper, from its status and stock. */
export type OfferAvailability = 'available' | 'sold-out' | 'backorder' | 'paused' | 'ended';

/** Below this many units left, the stock reads as low. */
const LOW_STOCK = 5;

/** The availability of an offer as the card shows it. */
export function availabilityOf(offer: PublicOffer): OfferAvailability {
  if (offer.status === 'ended') return 'ended';
  if (offer.status === 'paused') return 'paused';
  if (offer.soldOut || offer.stock.available === 0) return offer.backorder?.allowed ? 'backorder' : 'sold-out';
  return 'available';
}

/** One offer on screen: stable nodes for the data that changes often, actions rebuilt per step. */
export class OfferCard {
  readonly element: HTMLLIElement;
  readonly #title = h('h3', 'offer-title');
  readonly #seller = h('div', 'seller');
  readonly #price = h('span', 'price');
  readonly #compareAt = h('s', 'compare-at');
  readonly #stock = h('span', 'stock');
  readonly #ends = h('span', { name: 'ends', attrs: { role: 'timer' } });
  readonly #actions = h('div', 'actions');
  #locale: string;
  readonly #on: OfferCardActions;
  #actionsKey = '';
  #timer: HTMLElement | null = null;

  constructor(offer: PublicOffer, locale: string, on: OfferCardActions) {
    this.#locale = locale;
    this.#on = on;
    const titleId = `offer-title-${offer.id}`;
    this.#title.id = titleId;
    this.element = h(
      'li',
      { name: 'offer', attrs: { 'aria-labelledby': titleId, 'data-offer-id': offer.id } },
      this.#title,
      this.#seller,
      h('div', { class: 'prices' }, this.#price, this.#compareAt),
      h('div', { class: 'meta' }, this.#stock, this.#ends),
      this.#actions,
    );
  }

  /** Formats prices for `locale` from the next {@link update} on (the actions are rebuilt for it). */
  setLocale(locale: string): void {
    this.#locale = locale;
    this.#actionsKey = '';
    delete this.#seller.dataset['key'];
  }

  /** Shows the offer, its seller and the shopper's step; keeps focus inside the actions when they change. */
  update(
    offer: PublicOffer,
    seller: Seller | undefined,
    phase: CheckoutPhase,
    now: number,
    endsInMs: number | null,
  ): void {
    const availability = availabilityOf(offer);
    this.element.dataset['state'] = availability;
    setText(this.#title, offer.title);
    this.#renderSeller(seller);
    setText(this.#price, formatPrice(offer.price, this.#locale));
    const compareAt =
      offer.compareAtPrice && offer.compareAtPrice.amount > offer.price.amount
        ? formatPrice(offer.compareAtPrice, this.#locale)
        : '';
    this.#compareAt.hidden = compareAt === '';
    this.#compareAt.replaceChildren(...(compareAt ? [h('span', { class: 'visually-hidden' }, 'was '), compareAt] : []));
    setText(this.#stock, stockText(offer, availability));
    if (availability === 'available' && offer.stock.available <= LOW_STOCK) this.#stock.setAttribute('data-low', '');
    else this.#stock.removeAttribute('data-low');

    const key = `${phase.step}|${availability}|${phase.step === 'held' ? (phase.failure?.code ?? '') : ''}`;
    if (key !== this.#actionsKey) {
      this.#actionsKey = key;
      const root = this.element.getRootNode() as ShadowRoot | Document;
      const hadFocus = this.#actions.contains(root.activeElement);
      this.#timer = null;
      this.#actions.replaceChildren(...present(this.#actionsFor(availability, phase)));
      if (hadFocus) focusFirst(this.#actions);
    }
    this.tick(phase, now, endsInMs);
  }

  /** Moves the hold timer and the "ends in" countdown; `endsInMs` null hides the latter. */
  tick(phase: CheckoutPhase, now: number, endsInMs: number | null): void {
    if (this.#timer && (phase.step === 'held' || phase.step === 'paying' || phase.step === 'releasing')) {
      const left = phase.deadline - now;
      setText(this.#timer, formatCountdown(left));
      this.#timer.setAttribute('aria-label', `${describeCountdown(left)} left`);
    }
    setText(this.#ends, endsInMs === null ? '' : endsInMs > 0 ? `Ends in ${formatCountdown(endsInMs)}` : 'Ending now');
  }

  #renderSeller(seller: Seller | undefined): void {
    const key = seller
      ? `${seller.id}|${seller.name}|${seller.trust.verified}|${seller.trust.completedOrders}|${seller.trust.disputeRateBps}`
      : '';
    if (this.#seller.dataset['key'] === key) return;
    this.#seller.dataset['key'] = key;
    if (!seller) return void this.#seller.replaceChildren();
    const { trust } = seller;
    this.#seller.replaceChildren(
      ...present([
        h('span', { part: 'seller-name' }, `Sold by ${seller.name}`),
        trust.verified && h('span', { class: 'badge', part: 'badge seller-badge' }, 'Verified seller'),
        h(
          'span',
          { part: 'trust' },
          // Orders and disputes as the server derived them (see `TrustSignals.basis`); bps kept exact until shown.
          `${trust.completedOrders.toLocaleString(this.#locale)} ${trust.completedOrders === 1 ? 'order' : 'orders'} · ${formatRate(trust.disputeRateBps / 10_000)} disputed`,
        ),
      ]),
    );
  }

  #actionsFor(availability: OfferAvailability, phase: CheckoutPhase): MaybeNode[] {
    const on = this.#on;
    switch (phase.step) {
      case 'idle':
        if (availability === 'available') return [button('Reserve', 'primary', 'reserve', () => on.reserve(false))];
        if (availability === 'backorder') return this.#consent();
        if (availability === 'paused')
          return [h('p', { class: 'queue', part: 'notice' }, 'Paused for a moment. Stay tuned.')];
        return [];
      case 'reserving':
        return [button(phase.backorder ? 'Joining the queue…' : 'Reserving…', 'primary', 'reserve', null)];
      case 'held':
      case 'paying':
      case 'releasing': {
        this.#timer = h('span', { name: 'timer', attrs: { role: 'timer' } });
        const total = formatPrice(phase.reservation.amount, this.#locale);
        return [
          h('div', 'hold', 'Held for you', this.#timer),
          phase.step === 'held' &&
            phase.failure &&
            h(
              'p',
              { name: 'message', attrs: { role: 'alert', 'data-code': phase.failure.code } },
              phase.failure.message,
            ),
          h(
            'div',
            { class: 'row' },
            phase.step === 'paying'
              ? button('Paying…', 'primary', 'pay', null)
              : button(`Pay ${total}`, 'primary', 'pay', phase.step === 'held' ? () => on.pay() : null),
            phase.step === 'releasing'
              ? button('Releasing…', 'secondary', 'release', null)
              : button('Release', 'secondary', 'release', phase.step === 'held' ? () => on.release() : null),
          ),
        ];
      }
      case 'paid':
        return [
          h(
            'p',
            { name: 'success', attrs: { tabindex: '-1' } },
            'Order placed: ',
            h('span', 'order-id', phase.orderId),
          ),
        ];
      case 'backordered':
        return [
          h(
            'p',
            { name: 'queue', attrs: { tabindex: '-1' } },
            `You are number ${phase.reservation.queuePosition ?? '?'} in the queue. If a unit frees up, it is held for you here.`,
          ),
        ];
      case 'failed':
        return [
          h('p', { name: 'message', attrs: { role: 'alert', 'data-code': phase.failure.code } }, phase.failure.message),
          (availability === 'available' || availability === 'backorder') && canRetry(phase.failure)
            ? button('Try again', 'secondary', 'retry', () => on.reset())
            : null,
        ];
    }
  }

  /** Sold out with a backorder queue: joining needs the shopper's explicit consent first. */
  #consent(): MaybeNode[] {
    const box = h('input', { attrs: { type: 'checkbox', 'data-action': 'consent' } });
    const join = button('Join the queue', 'primary', 'backorder', () => {
      if (box.checked) this.#on.reserve(true);
    });
    join.setAttribute('aria-disabled', 'true');
    box.addEventListener('change', () => join.setAttribute('aria-disabled', String(!box.checked)));
    return [
      h('p', { class: 'queue', part: 'notice' }, 'Sold out. You can wait in the backorder queue.'),
      h(
        'label',
        'consent',
        box,
        h(
          'span',
          {},
          'I agree to wait in the queue. If a unit frees up it is held for me to pay; nothing is charged until I pay.',
        ),
      ),
      join,
    ];
  }
}

function stockText(offer: PublicOffer, availability: OfferAvailability): string {
  if (availability === 'ended') return 'Ended';
  if (availability === 'paused') return 'Paused';
  if (availability === 'sold-out' || availability === 'backorder') return 'Sold out';
  return `${offer.stock.available} left`;
}

function focusFirst(container: HTMLElement): void {
  const target = container.querySelector<HTMLElement>('button, input, [tabindex="-1"]');
  target?.focus();
}
