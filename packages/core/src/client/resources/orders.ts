import type { Order, Refund, RefundCreate } from '../../schemas/order';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/** Captured reservations with their split, transfers and refunds: `/v1/orders`. */
export class Orders {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Reads an order. */
  retrieve(id: string, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('getOrder', { params: { id } }, options);
  }

  /** Refunds all (no `amount`) or part of an order; transfers are reversed proportionally. */
  refund(id: string, body: RefundCreate = {}, options?: RequestOptions): Promise<Refund> {
    return this.#transport.call('createRefund', { params: { id }, body }, options);
  }
}
