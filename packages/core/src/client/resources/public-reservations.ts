import type { Order } from '../../schemas/order';
import type { Reservation, ReservationConfirm, ReservationCreate } from '../../schemas/reservation';
import type { PublicOperationId } from '../../contract/public-routes';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import type { ClientSecretRequestOptions } from './resource-options';

/** The client secret goes in the `LiveDrop-Client-Secret` header, never in the URL (where logs and proxies keep it). */
function split(options: ClientSecretRequestOptions) {
  const { clientSecret, ...rest } = options;
  return { headers: clientSecret === undefined ? {} : { 'livedrop-client-secret': clientSecret }, rest };
}

/**
 * What a publishable key may do with reservations: hold units with an offer token, read, release
 * and confirm them with the hold's `clientSecret`. The full client's {@link Reservations} extends
 * it with capture.
 */
export class PublicReservations {
  readonly #transport: HttpTransport<PublicOperationId>;

  /** @internal Made by {@link LiveDropPublicClient} and {@link LiveDropClient}. */
  constructor(transport: HttpTransport<PublicOperationId>) {
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
    const { headers, rest } = split(options);
    return this.#transport.call('getReservation', { params: { id }, headers }, rest);
  }

  /** Gives the units back (exactly once; a second release is 409 `reservation_not_held`). */
  release(id: string, options: ClientSecretRequestOptions = {}): Promise<Reservation> {
    const { headers, rest } = split(options);
    return this.#transport.call('releaseReservation', { params: { id }, headers }, rest);
  }

  /** Pays for a hold with a test payment method (publishable key + client secret). */
  confirm(id: string, body: ReservationConfirm, options?: RequestOptions): Promise<Order> {
    return this.#transport.call('confirmReservation', { params: { id }, body }, options);
  }
}
