import type { Offer, OfferCreate, OfferPatch, OfferReview } from '../../schemas/offer';
import type { RequestOptions } from '../options';
import type { HttpTransport } from '../http';
import { PublicOffers } from './public-offers';
import type { VersionedRequestOptions } from './resource-options';

/** Products offered during a live session, with live stock: `/v1/offers`. */
export class Offers extends PublicOffers {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    super(transport);
    this.#transport = transport;
  }

  /** Adds an offer to a session; moderation may hold it in `pending_review`. */
  create(sessionId: string, body: OfferCreate, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('createOffer', { params: { id: sessionId }, body }, options);
  }

  /** Reads an offer with live stock. */
  retrieve(id: string, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('getOffer', { params: { id } }, options);
  }

  /** Changes price or stock; `version` is sent as `If-Match` (412 `version_conflict` when stale). */
  update(id: string, patch: OfferPatch, options: VersionedRequestOptions): Promise<Offer> {
    const { version, ...rest } = options;
    return this.#transport.call(
      'updateOffer',
      { params: { id }, body: patch, headers: { 'if-match': String(version) } },
      rest,
    );
  }

  /** Puts the offer live. */
  publish(id: string, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('publishOffer', { params: { id } }, options);
  }

  /** Pauses new reservations. */
  pause(id: string, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('pauseOffer', { params: { id } }, options);
  }

  /** Ends the offer; holds already granted keep their TTL. */
  end(id: string, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('endOffer', { params: { id } }, options);
  }

  /** Approves or rejects an offer held for review (moderator key). */
  review(id: string, body: OfferReview, options?: RequestOptions): Promise<Offer> {
    return this.#transport.call('reviewOffer', { params: { id }, body }, options);
  }
}
