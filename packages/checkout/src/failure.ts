/**
 * What went wrong, as the widget shows it and reports it in `livedrop:error`: a machine `code`
 * (the API's problem code, or one of the widget's own) and a plain sentence for a shopper. Never a
 * stack trace or a server's internals.
 */
export interface CheckoutFailure {
  /** The API's problem code (`reservation_expired`, `payment_declined`, `token_replayed`, …) or the widget's: `connection_failed`, `token_request_failed`, `checkout_failed`, `buyer_required`, `unexpected`. */
  readonly code: string;
  /** One sentence a shopper can act on. */
  readonly message: string;
  /** The HTTP status when the API answered, else null. */
  readonly status: number | null;
  /** The API's `Request-Id` when it answered, for support; else null. */
  readonly requestId: string | null;
}

/** Plain messages per problem code; what is not listed reads as {@link FALLBACK}. */
const MESSAGES: Readonly<Record<string, string>> = {
  reservation_expired: 'Your hold expired and the item went back on sale. Reserve again to try once more.',
  reservation_not_held: 'This hold is no longer active. Reserve again to try once more.',
  payment_declined:
    'Your payment was declined and nothing was charged. Your item is still held: try again or use another payment method.',
  token_replayed: 'This reservation was already used. Tap Reserve again to start a new one.',
  token_expired: 'Your reservation took too long to start. Tap Reserve again.',
  token_invalid: 'We could not verify your reservation. Tap Reserve again.',
  sold_out: 'Sold out: the last one was just taken.',
  offer_not_live: 'This offer is not available right now.',
  limit_exceeded: 'You have reached the limit for this offer: you already hold or bought as many as one shopper may.',
  rate_limited: 'Lots of shoppers right now. Wait a moment and try again.',
  not_found: 'This item or hold could not be found. Refresh and try again.',
  unauthenticated: 'This shop is not set up to sell right now.',
  forbidden: 'This shop is not set up to sell right now.',
  connection_failed: 'We could not reach the shop. Check your connection and try again.',
  token_request_failed: 'We could not start your reservation. Try again in a moment.',
  checkout_failed: 'We could not complete your payment. Your item is still held: try again.',
  buyer_required: 'Sign in to reserve this item.',
  buyer_session_expired: 'Your sign-in has expired. Reload the page to reserve.',
};

const FALLBACK = 'Something went wrong. Please try again.';

/** Codes a second attempt by the same shopper cannot change, so the widget offers no Try again. */
const FINAL = new Set(['limit_exceeded', 'buyer_required', 'buyer_session_expired', 'unauthenticated', 'forbidden']);

/** Whether trying again could succeed (not for a reached limit or a shop that is not set up). */
export function canRetry(failure: CheckoutFailure): boolean {
  return !FINAL.has(failure.code);
}

/** The plain message for a code. */
export function messageFor(code: string): string {
  return MESSAGES[code] ?? FALLBACK;
}

/** A failure of the widget's own (no API answer behind it). */
export function widgetFailure(code: string): CheckoutFailure {
  return { code, message: messageFor(code), status: null, requestId: null };
}

/**
 * Reads any thrown value as a {@link CheckoutFailure}. API errors keep their code, status and
 * request id; connection errors and timeouts become `connection_failed`; anything else (a bug,
 * a host callback's exception) becomes `fallbackCode`, with none of its text shown.
 */
export function toFailure(error: unknown, fallbackCode = 'unexpected'): CheckoutFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    status?: unknown;
    requestId?: unknown;
  };
  if (typeof e.code === 'string' && typeof e.status === 'number') {
    return {
      code: e.code,
      message: messageFor(e.code),
      status: e.status,
      requestId: typeof e.requestId === 'string' ? e.requestId : null,
    };
  }
  if (e.name === 'ConnectionError' || e.name === 'TimeoutError') return widgetFailure('connection_failed');
  return widgetFailure(fallbackCode);
}
