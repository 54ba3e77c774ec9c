import type { Order } from '../../schemas/order';
import type { ReservationCapture } from '../../schemas/reservation';
import type { RequestOptions } from '../options';
import type { HttpTransport } from '../http';
import { PublicReservations } from './public-reservations';

/** Holds on units of an offer: `/v1/reservations`. */
export class Reservations extends PublicReservations {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    super(transport);
    this.#transport = transport;
  }

  /** Turns a hold into an order after the platform took payment (secret key). */
  capture(id: string, body: ReservationCapture, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('captureReservation', { params: { id }, body }, options);
  }
}
