import type { Order } from '../../schemas/order';
import type { Reservation, ReservationCapture, ReservationConfirm, ReservationCreate } from '../../schemas/reservation';
import type { RequestOptions } from '../options';
import type { HttpTransport } from '../http';
import type { ClientSecretRequestOptions } from './resource-options';

function split(options: ClientSecretRequestOptions) {
  const { clientSecret, ...rest } = options;
  return { query: clientSecret === undefined ? {} : { clientSecret }, rest };
}

/** Holds on units of an offer: `/v1/reservations`. */
export class Reservations {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /**
   * Holds units with an offer token: `held` with a `clientSecret` and `expiresAt`, or `backordered`.
   * Retries are safe: the `Idempotency-Key` is the same on every attempt, so a lost response never double-reserves.
   */
  create(body: ReservationCreate, options?: RequestOptions): Promise<Reservation> {
    return this.#transport.call('createReservation', { body }, options);
  }

  /** Reads a reservation (a publishable key needs its `clientSecret`). */
  retrieve(id: string, options: ClientSecretRequestOptions = {}): Promise<Reservation> {
    const { query, rest } = split(options);
    return this.#transport.call('getReservation', { params: { id }, query }, rest);
  }

  /** Gives the units back (exactly once; a second release is 409 `reservation_not_held`). */
  release(id: string, options: ClientSecretRequestOptions = {}): Promise<Reservation> {
    const { query, rest } = split(options);
    return this.#transport.call('releaseReservation', { params: { id }, query }, rest);
  }

  /** Turns a hold into an order after the platform took payment (secret key). */
  capture(id: string, body: ReservationCapture, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('captureReservation', { params: { id }, body }, options);
  }

  /** Pays for a hold with a test payment method (publishable key + client secret). */
  confirm(id: string, body: ReservationConfirm, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('confirmReservation', { params: { id }, body }, options);
  }
}
