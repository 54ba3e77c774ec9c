import { Realtime } from '../realtime/realtime';
import { checkClientOptions } from './check-options';
import { API_ROUTES } from '../contract/routes';
import { HttpTransport } from './http';
import type { ClientOptions } from './options';
import { BuyerSessions } from './resources/buyer-sessions';
import { Creators } from './resources/creators';
import { Events } from './resources/events';
import { Listings } from './resources/listings';
import { Offers } from './resources/offers';
import { Orders } from './resources/orders';
import { Reservations } from './resources/reservations';
import { Sellers } from './resources/sellers';
import { Sessions } from './resources/sessions';
import { SigningKeys } from './resources/signing-keys';
import { Transfers } from './resources/transfers';
import { WebhookEndpoints } from './resources/webhook-endpoints';

/**
 * The typed LiveDrop API client: one resource object per API area, every response checked against
 * the contract. Make one with {@link createClient}.
 */
export class LiveDropClient {
  readonly sellers: Sellers;
  readonly creators: Creators;
  readonly sessions: Sessions;
  readonly offers: Offers;
  readonly signingKeys: SigningKeys;
  /** `create({ buyerId, ttlSeconds })`: a credential that lets a buyer's browser act for that buyer. */
  readonly buyerSessions: BuyerSessions;
  readonly reservations: Reservations;
  readonly orders: Orders;
  readonly transfers: Transfers;
  readonly events: Events;
  readonly webhookEndpoints: WebhookEndpoints;
  /** Sessions as schema.org JSON-LD for search and recommendations. */
  readonly listings: Listings;
  /** Realtime streams (SSE) as typed emitters that resume and dedupe: `realtime.session(id)`, `realtime.events()`. */
  readonly realtime: Realtime;

  constructor(options: ClientOptions) {
    checkClientOptions(options, 'createClient');
    const transport = new HttpTransport(options, API_ROUTES);
    this.sellers = new Sellers(transport);
    this.creators = new Creators(transport);
    this.sessions = new Sessions(transport);
    this.offers = new Offers(transport);
    this.signingKeys = new SigningKeys(transport);
    this.buyerSessions = new BuyerSessions(transport);
    this.reservations = new Reservations(transport);
    this.orders = new Orders(transport);
    this.transfers = new Transfers(transport);
    this.events = new Events(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
    this.listings = new Listings(transport);
    this.realtime = new Realtime(options);
  }
}

/**
 * Creates a LiveDrop API client.
 * @example
 * const ld = createClient({ apiKey: process.env.LIVEDROP_SECRET_KEY!, baseUrl: 'http://127.0.0.1:4010' });
 * const session = await ld.sessions.create({ creatorId, title: 'Friday drop', scheduledStartAt });
 * const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'user_42' });
 * const hold = await ld.reservations.create({ offerToken: token, quantity: 1 });
 * @throws LiveDropError when the options are unusable, or a secret key is used in a page
 */
export function createClient(options: ClientOptions): LiveDropClient {
  return new LiveDropClient(options);
}
