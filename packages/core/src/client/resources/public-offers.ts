import type { IssuedToken, TokenIssue } from '../../schemas/token';
import type { PublicOperationId } from '../../contract/public-routes';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/**
 * What a publishable key may do with offers: issue an offer token for its buyer. The full
 * client's {@link Offers} extends it with the platform's methods.
 */
export class PublicOffers {
  readonly #transport: HttpTransport<PublicOperationId>;

  /** @internal Made by {@link LiveDropPublicClient} and {@link LiveDropClient}. */
  constructor(transport: HttpTransport<PublicOperationId>) {
    this.#transport = transport;
  }

  /**
   * Issues a single-use offer token for one signed-in buyer: the one the client's `buyerSession`
   * asserts (publishable key), or `body.buyerId` (secret key).
   * @example const { token } = await ld.offers.issueToken(offerId, { quantityMax: 2 });
   */
  issueToken(id: string, body: TokenIssue = {}, options?: RequestOptions): Promise<IssuedToken> {
    return this.#transport.call('issueOfferToken', { params: { id }, body }, options);
  }
}
