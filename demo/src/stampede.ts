import {
  ApiError,
  type Attribution,
  type LiveDropClient,
  type OfferTokenVerifier,
  type Reservation,
} from '@livedrop/node';
import type { LatencyRecorder } from './metrics';
import { forEachConcurrently } from './pool';
import type { Progress } from './progress';

/** What one buyer's rush for an offer came to. */
export type RushOutcome =
  | { readonly kind: 'held' | 'backordered'; readonly buyerId: string; readonly reservation: Reservation }
  /** Refused with an API error; `code` is the SDK error's code (`sold_out` is the expected one). */
  | { readonly kind: 'refused'; readonly buyerId: string; readonly code: string; readonly status: number };

/** The clients a buyer's rush goes through: the platform's backend and the buyer's browser. */
export interface RushClients {
  /** Secret key: the deal platform's backend issues the token for its signed-in buyer. */
  readonly platform: LiveDropClient;
  /** Publishable key: the buyer's browser reserves with the token. */
  readonly browser: LiveDropClient;
}

/** Options of {@link rush}. */
export interface RushOptions {
  readonly offerId: string;
  readonly buyerIds: readonly string[];
  /** Buyers tick "wait for a unit if it sells out" (offers that take backorders). */
  readonly backorderConsent: boolean;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Campaign attribution on every token (carried onto reservations, orders and events). */
  readonly attribution: Attribution;
  /** Checks each token offline before it is used, as the creator's storefront edge would (JWKS fetched once). */
  readonly verifier: OfferTokenVerifier;
  readonly latency: {
    readonly tokenIssue: LatencyRecorder;
    readonly tokenVerify: LatencyRecorder;
    readonly reserve: LatencyRecorder;
  };
  readonly progress: Progress;
}

/**
 * A stampede: every buyer at once (bounded by `concurrency`) gets an offer token from the platform,
 * has it checked offline at the edge, and reserves one unit with it, each step timed. Answers the API gives a crowd — `sold_out`
 * above all — are outcomes, not failures; anything else (a broken server) throws.
 * @returns one outcome per buyer, in buyer order
 */
export async function rush(clients: RushClients, options: RushOptions): Promise<RushOutcome[]> {
  const outcomes: RushOutcome[] = new Array(options.buyerIds.length);
  await forEachConcurrently(options.buyerIds, options.concurrency, async (buyerId, index) => {
    try {
      const { token } = await options.latency.tokenIssue.time(() =>
        clients.platform.offers.issueToken(options.offerId, {
          buyerId,
          quantityMax: 1,
          attribution: options.attribution,
        }),
      );
      options.latency.tokenVerify.timeSync(() => options.verifier.verify(token));
      const reservation = await options.latency.reserve.time(() =>
        clients.browser.reservations.create({
          offerToken: token,
          quantity: 1,
          ...(options.backorderConsent ? { backorderConsent: true } : {}),
        }),
      );
      outcomes[index] = { kind: reservation.status === 'backordered' ? 'backordered' : 'held', buyerId, reservation };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      outcomes[index] = { kind: 'refused', buyerId, code: String(error.code), status: error.status };
    } finally {
      options.progress.tick();
    }
  });
  return outcomes;
}
