import * as z from 'zod/mini';
import { named } from './named';
import { Count, idOf } from './common';
import { PublicOffer } from './offer';
import { PublicSession } from './session';

/**
 * The log position a public stream message reflects. It is also the message's SSE `id:`, so a
 * client that resumes with `Last-Event-ID: <seq>` gets what came after, with no gap and no duplicate.
 */
const Seq = z.int().check(z.minimum(1));

/** `data` of the offer messages of a session's public stream: the offer as a viewer sees it. */
export const PublicOfferMessage = named(
  z.strictObject({
    seq: Seq,
    offer: PublicOffer,
  }),
  'PublicOfferMessage',
);
/** An offer message of the public stream; see {@link PublicOfferMessage}. */
export type PublicOfferMessage = z.infer<typeof PublicOfferMessage>;

/**
 * `data` of a `stock` message: an offer's latest stock levels. Reservations change stock many times
 * a second during a drop, so the stream coalesces them: at most one `stock` message per offer per
 * short window, always carrying the levels at the time it is sent.
 */
export const PublicStockMessage = named(
  z.strictObject({
    seq: Seq,
    offerId: idOf('offer'),
    available: Count,
    reserved: Count,
    sold: Count,
    total: Count,
    /** True while nothing is available. */
    soldOut: z.boolean(),
  }),
  'PublicStockMessage',
);
/** A `stock` message of the public stream; see {@link PublicStockMessage}. */
export type PublicStockMessage = z.infer<typeof PublicStockMessage>;

/** `data` of the session messages of the public stream: the session as a viewer sees it. */
export const PublicSessionMessage = named(
  z.strictObject({
    seq: Seq,
    session: PublicSession,
  }),
  'PublicSessionMessage',
);
/** A session message of the public stream; see {@link PublicSessionMessage}. */
export type PublicSessionMessage = z.infer<typeof PublicSessionMessage>;

/**
 * The messages of `GET /v1/sessions/{id}/stream` by SSE `event:` name, and the schema of each
 * one's JSON `data`. Drafts, offers waiting for review and rejected offers never appear, nor does
 * anything about buyers.
 */
export const PUBLIC_STREAM_EVENTS = {
  'offer.published': PublicOfferMessage,
  'offer.updated': PublicOfferMessage,
  'offer.paused': PublicOfferMessage,
  'offer.sold_out': PublicOfferMessage,
  'offer.ended': PublicOfferMessage,
  stock: PublicStockMessage,
  'session.started': PublicSessionMessage,
  'session.ended': PublicSessionMessage,
} as const;

/** The SSE `event:` name of a public stream message, e.g. `offer.published` or `stock`. */
export type PublicStreamEventName = keyof typeof PUBLIC_STREAM_EVENTS;
/** Every public stream event name. */
export const PUBLIC_STREAM_EVENT_NAMES = Object.keys(PUBLIC_STREAM_EVENTS) as [
  PublicStreamEventName,
  ...PublicStreamEventName[],
];

/**
 * One message of a session's public stream: its `event` name selects the shape of `data`.
 * @example
 * function onMessage(message: PublicStreamEvent) {
 *   if (message.event === 'stock') render(message.data.offerId, message.data.available);
 * }
 */
export type PublicStreamEvent = {
  [K in PublicStreamEventName]: { readonly event: K; readonly data: z.infer<(typeof PUBLIC_STREAM_EVENTS)[K]> };
}[PublicStreamEventName];

/** The `data` of the public stream message named `K`. */
export type PublicStreamData<K extends PublicStreamEventName> = z.infer<(typeof PUBLIC_STREAM_EVENTS)[K]>;
