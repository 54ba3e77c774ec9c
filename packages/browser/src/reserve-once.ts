import {
  ApiError,
  type LiveDropClient,
  type RequestOptions,
  type Reservation,
  type ReservationCreate,
} from '@livedrop/core';

/** The part of the Web Storage API {@link reserveOnce} uses (`sessionStorage` fits). */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Options of {@link reserveOnce}. */
export interface ReserveOnceOptions extends Omit<RequestOptions, 'idempotencyKey'> {
  /**
   * Where the pending attempt is kept across reloads. Per tab, so two tabs are two checkouts.
   * @default globalThis.sessionStorage (none when it is unavailable: then only this page's retries are covered)
   */
  storage?: KeyStorage | undefined;
  /** The buyer the slot is kept under. @default the `sub` claim of `body.offerToken` */
  buyerId?: string | undefined;
}

/** What is kept between the first send and a final answer. */
interface PendingReservation {
  readonly idempotencyKey: string;
  readonly body: ReservationCreate;
}

/** The `sub` (buyer) of an offer token, read without verifying it: it only names a storage slot. */
function buyerOf(token: string): string {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : 'unknown';
  } catch {
    return 'unknown';
  }
}

function defaultStorage(): KeyStorage | undefined {
  try {
    // Reading `sessionStorage` throws in sandboxed iframes and with storage blocked.
    return (globalThis as { sessionStorage?: Storage }).sessionStorage;
  } catch {
    return undefined;
  }
}

/** A rejection that proves nothing was reserved: a 4xx that retrying cannot change. */
function isFinalRejection(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const retryable =
    error.status === 408 ||
    error.status === 429 ||
    error.status >= 500 ||
    (error.status === 409 && error.code === 'idempotency_key_in_use');
  return !retryable;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Creates a reservation so that a page reload mid-checkout cannot reserve twice.
 *
 * Before sending, it keeps the `Idempotency-Key` and the exact body in `sessionStorage` under the
 * offer and buyer. If the page reloads before the answer arrives, the next call for that offer and
 * buyer resends the kept request with the kept key: the server either completes it once or replays
 * the reservation it already made (Stripe semantics), so the buyer holds units once. The slot is
 * cleared on success and on a final rejection (a 4xx such as `sold_out` or `token_expired`, which
 * reserved nothing); after a final rejection of a kept request, `body` is sent as a fresh attempt.
 * A network error, timeout or 5xx keeps the slot, because the reservation may exist.
 *
 * The body is kept because a reload usually issues a new offer token, and the same key with a
 * different body is refused (422 `idempotency_key_reused`).
 *
 * @example
 * const { token } = await fetch('/api/offer-token', { method: 'POST', body: offerId }).then((r) => r.json());
 * const hold = await reserveOnce(ld, offerId, { offerToken: token, quantity: 1 });
 */
export async function reserveOnce(
  client: LiveDropClient,
  offerId: string,
  body: ReservationCreate,
  options: ReserveOnceOptions = {},
): Promise<Reservation> {
  const { storage = defaultStorage(), buyerId = buyerOf(body.offerToken), ...requestOptions } = options;
  const slot = `livedrop:reservation:${offerId}:${buyerId}`;
  const read = (): PendingReservation | undefined => {
    try {
      const text = storage?.getItem(slot);
      return text ? (JSON.parse(text) as PendingReservation) : undefined;
    } catch {
      return undefined;
    }
  };
  const forget = () => {
    try {
      storage?.removeItem(slot);
    } catch {
      // Storage that cannot be written to holds nothing to forget.
    }
  };
  const send = async (pending: PendingReservation): Promise<Reservation> => {
    try {
      const reservation = await client.reservations.create(pending.body, {
        ...requestOptions,
        idempotencyKey: pending.idempotencyKey,
      });
      forget();
      return reservation;
    } catch (error) {
      if (isFinalRejection(error)) forget();
      throw error;
    }
  };

  const kept = read();
  if (kept) {
    try {
      return await send(kept);
    } catch (error) {
      if (!isFinalRejection(error)) throw error;
    }
  }
  const pending: PendingReservation = { idempotencyKey: newKey(), body };
  try {
    storage?.setItem(slot, JSON.stringify(pending));
  } catch {
    // Full or blocked storage: still send; only the reload case loses its protection.
  }
  return send(pending);
}
