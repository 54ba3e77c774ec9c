import {
  ApiError,
  type LiveDropPublicClient,
  type RequestOptions,
  type Reservation,
  type ReservationCreate,
} from '@livedrop/core';

/** The client {@link reserveOnce} calls: a publishable-key client or the full one. */
export type ReservingClient = Pick<LiveDropPublicClient, 'reservations'>;

/** The part of the Web Storage API {@link reserveOnce} uses (`sessionStorage` fits). */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Options of {@link reserveOnce}. */
export interface ReserveOnceOptions extends Omit<RequestOptions, 'idempotencyKey'> {
  /**
   * Where the pending attempt is kept across reloads. Per tab, so two tabs are two checkouts.
   * @default globalThis.sessionStorage (none when it is unavailable: then only this page's retries are covered)
   */
  storage?: KeyStorage | undefined;
}

/** Options of {@link resumeReservation} and {@link forgetReservation}. */
export interface KeptReservationOptions extends Omit<RequestOptions, 'idempotencyKey'> {
  /** Where {@link reserveOnce} keeps its attempts. @default globalThis.sessionStorage */
  storage?: KeyStorage | undefined;
}

/**
 * What is kept from the first send: the key and the exact body, so the request can be replayed.
 * `answered` once the server reserved something with it: a replay then finds that reservation.
 */
interface KeptAttempt {
  /** The buyer the attempt was for: its offer token's `sub`, which the platform asserted. */
  readonly buyerId: string;
  readonly idempotencyKey: string;
  readonly body: ReservationCreate;
  readonly answered?: true;
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
  return error instanceof ApiError && !error.retryable;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// One slot per offer: a tab has one signed-in buyer at a time, and the page never names the buyer
// (its buyer session does, on the server), so a slot cannot be chosen by a buyer id the page claims.
const slotOf = (offerId: string) => `livedrop:reservation:${offerId}`;

function readSlot(storage: KeyStorage | undefined, slot: string): KeptAttempt | undefined {
  try {
    const text = storage?.getItem(slot);
    return text ? (JSON.parse(text) as KeptAttempt) : undefined;
  } catch {
    return undefined;
  }
}

function writeSlot(storage: KeyStorage | undefined, slot: string, attempt: KeptAttempt | undefined): void {
  try {
    if (attempt) storage?.setItem(slot, JSON.stringify(attempt));
    else storage?.removeItem(slot);
  } catch {
    // Full or blocked storage: the request still goes; only the reload case loses its protection.
  }
}

/**
 * Creates a reservation so that a page reload mid-checkout cannot reserve twice, and so that the
 * page after a reload can find the hold again ({@link resumeReservation}).
 *
 * Before sending, it keeps the `Idempotency-Key` and the exact body in `sessionStorage` under the
 * offer. If the page reloads before the answer arrives, the next call for that offer with a token
 * for the same buyer (the token's `sub`, asserted by the platform: a buyer session or its secret
 * key issued it) resends the kept request with the kept key: the server either completes it once or
 * replays the reservation it already made (Stripe semantics), so the buyer holds units once. The
 * server keeps a publishable key's idempotency keys per asserted buyer, so another buyer's session
 * never gets this buyer's answer. A network
 * error, timeout or 5xx keeps the slot, because the reservation may exist. A final rejection (a 4xx
 * such as `sold_out` or `token_expired`, which reserved nothing) clears it; after a final rejection
 * of a kept request, `body` is sent as a fresh attempt.
 *
 * On success the slot stays, marked answered, for as long as the tab (its `sessionStorage`) lives
 * or until {@link forgetReservation}; the server keeps the key for 24 hours. A later call for the
 * same offer is a new attempt with a new key (the buyer asked for another reservation), as is a call
 * with a token for another buyer.
 *
 * The body is kept because a reload usually issues a new offer token, and the same key with a
 * different body is refused (422 `idempotency_key_reused`).
 *
 * @example
 * const { token } = await fetch('/api/offer-token', { method: 'POST', body: offerId }).then((r) => r.json());
 * const hold = await reserveOnce(ld, offerId, { offerToken: token, quantity: 1 });
 */
export async function reserveOnce(
  client: ReservingClient,
  offerId: string,
  body: ReservationCreate,
  options: ReserveOnceOptions = {},
): Promise<Reservation> {
  const { storage = defaultStorage(), ...requestOptions } = options;
  const buyerId = buyerOf(body.offerToken);
  const slot = slotOf(offerId);
  const kept = readSlot(storage, slot);
  if (kept && !kept.answered && kept.buyerId === buyerId) {
    try {
      return await send(client, storage, slot, kept, requestOptions);
    } catch (error) {
      if (!isFinalRejection(error)) throw error;
    }
  }
  const attempt: KeptAttempt = { buyerId, idempotencyKey: newKey(), body };
  writeSlot(storage, slot, attempt);
  return send(client, storage, slot, attempt, requestOptions);
}

/** Sends a kept attempt with its key: answered on success, forgotten on a final rejection. */
async function send(
  client: ReservingClient,
  storage: KeyStorage | undefined,
  slot: string,
  attempt: KeptAttempt,
  options: RequestOptions,
): Promise<Reservation> {
  try {
    const reservation = await client.reservations.create(attempt.body, {
      ...options,
      idempotencyKey: attempt.idempotencyKey,
    });
    if (!attempt.answered) writeSlot(storage, slot, { ...attempt, answered: true });
    return reservation;
  } catch (error) {
    if (isFinalRejection(error)) writeSlot(storage, slot, undefined);
    throw error;
  }
}

/**
 * The reservation {@link reserveOnce} made (or was making) on this tab for the offer, as it is now:
 * after a reload, a page finds its buyer's hold, its real status and `expiresAt`.
 *
 * It replays the kept request with its kept key, for the buyer the client's buyer session asserts:
 * the server answers the reservation it made for that buyer (or completes a request whose answer was
 * lost), which names the reservation and its `clientSecret`; then it reads the reservation for its
 * current state (`held`, `captured`, `expired`, …). Nothing kept: `undefined`, without a request. A
 * replay the server finally refuses (it reserved nothing, or the hold was another buyer's: 401
 * `token_invalid`) clears the slot and answers `undefined`; a network error rejects and keeps it.
 *
 * @example
 * const ld = createPublicClient({ apiKey: pk, baseUrl, buyerSession });
 * const hold = await resumeReservation(ld, offerId);
 * if (hold?.status === 'held') showHold(hold, hold.expiresAt);
 */
export async function resumeReservation(
  client: ReservingClient,
  offerId: string,
  options: KeptReservationOptions = {},
): Promise<Reservation | undefined> {
  const { storage = defaultStorage(), ...requestOptions } = options;
  const slot = slotOf(offerId);
  const kept = readSlot(storage, slot);
  if (!kept) return undefined;
  let made: Reservation;
  try {
    made = await send(client, storage, slot, kept, requestOptions);
  } catch (error) {
    if (isFinalRejection(error)) return undefined;
    throw error;
  }
  return client.reservations.retrieve(made.id, { ...requestOptions, clientSecret: made.clientSecret });
}

/**
 * Forgets the attempt kept for the offer, once the page is done with its reservation (the buyer
 * released it, or saw it end), so a later reload does not find it again.
 */
export function forgetReservation(offerId: string, options: Pick<ReserveOnceOptions, 'storage'> = {}): void {
  writeSlot(options.storage ?? defaultStorage(), slotOf(offerId), undefined);
}
