import { PublicRealtime } from '../realtime/realtime';
import { checkClientOptions } from './check-options';
import { PUBLIC_ENDPOINTS } from '../contract/public-routes';
import { HttpTransport } from './http';
import type { ClientOptions } from './options';
import { PublicOffers } from './resources/public-offers';
import { PublicReservations } from './resources/public-reservations';
import { PublicSessions } from './resources/public-sessions';

/**
 * The browser's LiveDrop client: what a publishable key may call, with the same methods, types,
 * retries, errors and response validation as {@link LiveDropClient}. Make one with
 * {@link createPublicClient}.
 */
export class LiveDropPublicClient {
  /** `hydrate(id, options)`: a viewer's whole screen in one read, with a 304/ETag cache. */
  readonly sessions: PublicSessions;
  /** `issueToken(id, body, options)`: a single-use offer token for the signed-in buyer. */
  readonly offers: PublicOffers;
  /** `create`, `retrieve`, `release`, `confirm`: holds and test-mode checkout with a client secret. */
  readonly reservations: PublicReservations;
  /** `session(id, options)`: a session's public stream as a typed emitter that resumes and dedupes. */
  readonly realtime: PublicRealtime;

  constructor(options: ClientOptions) {
    checkClientOptions(options, 'createPublicClient');
    const transport = new HttpTransport(options, PUBLIC_ENDPOINTS);
    this.sessions = new PublicSessions(transport);
    this.offers = new PublicOffers(transport);
    this.reservations = new PublicReservations(transport);
    this.realtime = new PublicRealtime(options);
  }
}

/**
 * Creates the browser's LiveDrop client: the publishable-key subset of {@link createClient}
 * (session hydrate, offer tokens, reservations, confirm, the session stream), sharing its options,
 * checks and implementation.
 * @example
 * // buyerSession: minted by your backend with `buyerSessions.create` for the signed-in buyer
 * const ld = createPublicClient({ apiKey: 'pk_test_…', baseUrl: 'https://api.example.com', buyerSession });
 * const view = await ld.sessions.hydrate(sessionId);
 * const { token: offerToken } = await ld.offers.issueToken(offerId);
 * const hold = await ld.reservations.create({ offerToken, quantity: 1 });
 * const order = await ld.reservations.confirm(hold.id, { clientSecret: hold.clientSecret!, paymentMethod: 'pm_test_ok' });
 * @throws LiveDropError when the options are unusable, or a secret key is used in a page
 */
export function createPublicClient(options: ClientOptions): LiveDropPublicClient {
  return new LiveDropPublicClient(options);
}
