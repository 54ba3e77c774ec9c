import type { BuyerSession, BuyerSessionCreate } from '../../schemas/buyer-session';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/** Buyer sessions: the platform asserts which of its signed-in buyers a browser acts for. */
export class BuyerSessions {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /**
   * Mints a short-lived buyer session for your signed-in buyer (secret key only). Hand its
   * `credential` to that buyer's page: `createPublicClient({ apiKey: pk, buyerSession })` or the
   * widget's `buyer-session` attribute.
   * @example
   * const { credential } = await ld.buyerSessions.create({ buyerId: user.id, ttlSeconds: 900 });
   */
  create(body: BuyerSessionCreate, options?: RequestOptions): Promise<BuyerSession> {
    return this.#transport.call('createBuyerSession', { body }, options);
  }
}
