import type { Transfer } from '../../schemas/order';
import type { ListQuery, Page } from '../../schemas/pagination';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import type { PagePromise } from '../pagination';
import { listPages } from './list-pages';

/** Query of {@link Transfers.list}. */
export interface TransferListQuery extends ListQuery {
  /** Only this order's transfers. @default undefined (any order) */
  orderId?: string | undefined;
  /** Only transfers to `platform`, a creator id or a seller id. @default undefined (any destination) */
  destination?: string | undefined;
}

/** Payouts of split legs: `/v1/transfers`. */
export class Transfers {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Lists transfers by order or destination; await for a page or iterate for all. */
  list(query?: TransferListQuery, options?: RequestOptions): PagePromise<Page<Transfer>> {
    return listPages<Transfer>(this.#transport, 'listTransfers', undefined, query, options);
  }
}
