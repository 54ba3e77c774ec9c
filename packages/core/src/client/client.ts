import { LiveDropError } from '../errors/live-drop-error';
import { Realtime } from '../realtime/realtime';
import { HttpTransport } from './http';
import type { ClientOptions } from './options';
import { Creators } from './resources/creators';
import { Events } from './resources/events';
import { Offers } from './resources/offers';
import { Orders } from './resources/orders';
import { Reservations } from './resources/reservations';
import { Sellers } from './resources/sellers';
import { Sessions } from './resources/sessions';
import { SigningKeys } from './resources/signing-keys';
import { Transfers } from './resources/transfers';
import { WebhookEndpoints } from './resources/webhook-endpoints';

function isAbsoluteUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && new URL(value).protocol.startsWith('http');
  } catch {
    return false;
  }
}

function checkOptions(options: ClientOptions): void {
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new LiveDropError('createClient needs an `apiKey` (sk_… on a server, pk_… in a browser).');
  }
  if (!isAbsoluteUrl(options.baseUrl)) {
    throw new LiveDropError(`createClient's \`baseUrl\` must be an absolute URL such as "https://api.example.com", not ${JSON.stringify(options.baseUrl)}.`);
  }
  // A DOM means a page, whose source anyone can read; edge runtimes and Node have none.
  // (Checked via globalThis, never `window`, so runtimes without it are not broken.)
  const hasDom = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (hasDom && options.apiKey.startsWith('sk_') && !options.dangerouslyAllowBrowser) {
    throw new LiveDropError(
      'A secret API key (sk_…) was used where a DOM exists, which exposes it to anyone who opens the page. Use a publishable key (pk_…) in the browser, or pass `dangerouslyAllowBrowser: true` if this is not a public page.',
    );
  }
}

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
  readonly reservations: Reservations;
  readonly orders: Orders;
  readonly transfers: Transfers;
  readonly events: Events;
  readonly webhookEndpoints: WebhookEndpoints;
  /** Realtime streams (SSE) as typed emitters that resume and dedupe: `realtime.session(id)`, `realtime.events()`. */
  readonly realtime: Realtime;

  constructor(options: ClientOptions) {
    checkOptions(options);
    const transport = new HttpTransport(options);
    this.sellers = new Sellers(transport);
    this.creators = new Creators(transport);
    this.sessions = new Sessions(transport);
    this.offers = new Offers(transport);
    this.signingKeys = new SigningKeys(transport);
    this.reservations = new Reservations(transport);
    this.orders = new Orders(transport);
    this.transfers = new Transfers(transport);
    this.events = new Events(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
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
