import type { Seller, SellerCreate } from '../../schemas/party';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/** Merchants whose products creators sell (`/v1/sellers`). */
export class Sellers {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Creates a seller. */
  create(body: SellerCreate, options?: RequestOptions): Promise<Seller> {
    return this.#transport.call('createSeller', { body }, options);
  }

  /** Reads a seller with its trust signals. */
  retrieve(id: string, options?: RequestOptions): Promise<Seller> {
    return this.#transport.call('getSeller', { params: { id } }, options);
  }
}
