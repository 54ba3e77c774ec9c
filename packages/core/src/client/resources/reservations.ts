import type { Order } from '../../schemas/order';
import type { ListQuery, Page } from '../../schemas/pagination';
import type { Reservation, ReservationCapture, ReservationStatus } from '../../schemas/reservation';
import type { RequestOptions } from '../options';
import type { PagePromise } from '../pagination';
import type { HttpTransport } from '../http';
import { listPages } from './list-pages';
import { PublicReservations } from './public-reservations';

/** Query of {@link Reservations.list}; the filters combine. */
export interface ReservationListQuery extends ListQuery {
  /** Only this offer's reservations. @default undefined (every offer) */
  offerId?: string | undefined;
  /** Only reservations of this session's offers. @default undefined (every session) */
  sessionId?: string | undefined;
  /** Only this buyer's reservations. @default undefined (every buyer) */
  buyerId?: string | undefined;
  /** Only reservations in this state. @default undefined (any state) */
  status?: ReservationStatus | undefined;
}

/** Holds on units of an offer: `/v1/reservations`. */
export class Reservations extends PublicReservations {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    super(transport);
    this.#transport = transport;
  }

  /**
   * Lists the tenant's reservations, newest first (secret key); await for a page or iterate for
   * all. Listed reservations carry no `clientSecret`: {@link PublicReservations.retrieve} one for it.
   */
  list(query?: ReservationListQuery, options?: RequestOptions): PagePromise<Page<Reservation>> {
    return listPages<Reservation>(this.#transport, 'listReservations', undefined, query, options);
  }

  /** Turns a hold into an order after the platform took payment (secret key). */
  capture(id: string, body: ReservationCapture, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('captureReservation', { params: { id }, body }, options);
  }
}
