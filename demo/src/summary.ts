import type { Refund, Session } from '@livedrop/node';
import type { DemoOptions } from './args';
import type { OfferRole } from './drop-plan';
import type { FeedTally } from './event-feed';
import type { LatencyDistribution } from './metrics';
import type { OfferWindow } from './offer-window';
import type { Cast, Refusal, StagedOffer } from './scenario';
import type { WebhookTally } from './webhook-receiver';

/** Everything the run itself recorded (what the API answered as it went), for {@link buildSummary}. */
export interface DropRecord {
  readonly options: DemoOptions;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly serverUrl: string;
  readonly cast: Cast;
  readonly session: Session;
  readonly staged: readonly StagedOffer[];
  readonly windows: ReadonlyMap<string, OfferWindow>;
  readonly refund: { readonly orderId: string; readonly reason: string; readonly refund: Refund };
  readonly payoutRuns: number;
  readonly payoutEveryMinutes: number;
  readonly latency: {
    readonly tokenIssue: LatencyDistribution;
    /** Offline verification of each token at the edge (`createOfferTokenVerifier`). */
    readonly tokenVerify: LatencyDistribution;
    readonly reserve: LatencyDistribution;
    readonly confirm: LatencyDistribution;
    readonly publishToReceived: LatencyDistribution;
  };
  readonly webhooks: WebhookTally & {
    readonly expected: number;
    readonly missing: number;
    readonly unexpected: number;
    readonly eventTypes: readonly string[];
  };
  readonly feed: FeedTally;
  readonly audience: { readonly viewers: number; readonly stockMessages: number };
}

/** One offer's story and numbers. */
export interface OfferSummary {
  readonly slot: number;
  readonly role: OfferRole;
  readonly title: string;
  readonly sku: string;
  readonly seller: string;
  readonly offerId: string | null;
  readonly price: number;
  readonly compareAtPrice: number | null;
  readonly priceFloor: number | null;
  readonly stock: number;
  readonly status: string;
  readonly split: { readonly platformFeeBps: number; readonly creatorCommissionBps: number } | null;
  readonly refusal: Refusal | null;
  readonly moderation: { readonly escalationNote: string | null; readonly approvalNote: string | null } | null;
  /** Minutes into the show. */
  readonly publishedAtMin: number | null;
  readonly endedAtMin: number | null;
  readonly viewersReached: number;
  /** Buyers who rushed it when it went live. */
  readonly demand: number;
  readonly rush: {
    readonly held: number;
    readonly backordered: number;
    readonly soldOut: number;
    readonly otherRefusals: number;
  };
  /** Buyers per second through the stampede (token + reserve each), in real time. */
  readonly rushRate: number;
  readonly promoted: number;
  readonly lastCall: { readonly returned: number; readonly held: number; readonly soldOut: number };
  /** Final state of every reservation of the offer, from the event log. */
  readonly reservations: {
    readonly captured: number;
    readonly expired: number;
    readonly released: number;
    readonly held: number;
    readonly backordered: number;
  };
  readonly declines: number;
  /** What became of each buyer who rushed the offer (their last reservation of it, from the log). */
  readonly fates: BuyerFates;
  readonly orders: number;
  readonly unitsSold: number;
  readonly sellThrough: number;
  readonly gmv: number;
  /** Stock levels through the offer's time on stage, at most one point per second of show time. */
  readonly timeline: readonly TimelinePoint[];
  readonly marks: readonly { readonly label: string; readonly atMin: number }[];
}

/** An offer's stock at a moment of the show. */
export interface TimelinePoint {
  /** Minutes since the session started. */
  readonly atMin: number;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly backordered: number;
}

/** Where the buyers of an offer ended up; the counts add up to the offer's buyers. */
export interface BuyerFates {
  readonly bought: number;
  /** Paid with a second card after the first was declined. */
  readonly boughtAfterDecline: number;
  /** Had a card declined and let the hold lapse. */
  readonly lapsedAfterDecline: number;
  /** Walked away; the hold lapsed at its TTL. */
  readonly lapsed: number;
  /** Gave the unit back before paying. */
  readonly released: number;
  /** Waited in the backorder queue and was never served before the offer ended. */
  readonly waitlisted: number;
  /** Never got a hold: sold out. */
  readonly turnedAway: number;
  /** Still held or queued (0 once the show is over). */
  readonly open: number;
}

/** One destination's payouts. */
export interface PayoutSummary {
  readonly party: 'platform' | 'creator' | 'seller';
  readonly destination: string;
  readonly label: string;
  readonly transfers: number;
  readonly gross: number;
  readonly reversed: number;
  readonly net: number;
  readonly paid: number;
  readonly pending: number;
  readonly firstTransferId: string | null;
  readonly lastTransferId: string | null;
}

/** A pass/fail line of the integrity section. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * What the drop came to with a given seed: counts and money only — no ids, times or latencies —
 * so two runs with the same seed compare equal.
 */
export interface BusinessOutcome {
  readonly offers: readonly {
    readonly sku: string;
    readonly outcome: 'sold' | 'refused';
    readonly refusalCode: string | null;
    readonly stock: number;
    readonly demand: number;
    readonly held: number;
    readonly backordered: number;
    readonly soldOut: number;
    readonly promoted: number;
    readonly lastCallReturned: number;
    readonly lastCallHeld: number;
    readonly captured: number;
    readonly expired: number;
    readonly released: number;
    readonly declines: number;
    readonly fates: BuyerFates;
    readonly unitsSold: number;
    readonly gmv: number;
  }[];
  readonly totals: {
    readonly orders: number;
    readonly unitsSold: number;
    readonly gmv: number;
    readonly refunded: number;
    readonly declines: number;
    readonly expired: number;
    readonly released: number;
  };
  readonly payouts: readonly {
    readonly party: string;
    readonly label: string;
    readonly gross: number;
    readonly reversed: number;
    readonly net: number;
    readonly transfers: number;
  }[];
  readonly refund: { readonly amount: number; readonly reversals: Readonly<Record<string, number>> };
}

/** The summary of a run: printed as a table, written as JSON (`--json`) and drawn in the report. */
export interface Summary {
  readonly run: {
    readonly seed: number;
    readonly buyers: number;
    readonly offers: number;
    readonly viewers: number;
    readonly concurrency: number;
    readonly startedAt: string;
    readonly durationMs: number;
    readonly serverUrl: string;
    readonly node: string;
  };
  readonly drop: {
    readonly sessionId: string;
    readonly title: string;
    readonly creator: { readonly id: string; readonly handle: string; readonly displayName: string };
    readonly sellers: readonly { readonly id: string; readonly name: string; readonly commissionBps: number }[];
    readonly showMinutes: number;
    /** How long a hold lasts, as the offers say. */
    readonly holdTtlSeconds: number;
  };
  readonly offers: readonly OfferSummary[];
  readonly funnel: {
    readonly buyers: number;
    readonly tokensIssued: number;
    readonly reserveAttempts: number;
    readonly held: number;
    readonly backordered: number;
    readonly promoted: number;
    readonly soldOut: number;
    readonly orders: number;
  };
  readonly reservations: {
    readonly captured: number;
    readonly expired: number;
    readonly released: number;
    readonly held: number;
    readonly backordered: number;
    readonly declines: number;
  };
  readonly money: {
    readonly currency: 'USD';
    readonly gmv: number;
    readonly refunded: number;
    readonly netGmv: number;
    readonly averageOrder: number;
    /** Buyers who bought, of all buyers. */
    readonly conversion: number;
    readonly payouts: readonly PayoutSummary[];
    readonly refund: {
      readonly id: string;
      readonly orderId: string;
      readonly buyerId: string;
      readonly offerTitle: string;
      readonly reason: string;
      readonly amount: number;
      readonly orderGross: number;
      readonly reversals: readonly {
        readonly id: string;
        readonly transferId: string;
        readonly party: string;
        readonly amount: number;
      }[];
      /** The refunded order's transfers after the refund: each leg, what was reversed, what it paid. */
      readonly legs: readonly {
        readonly party: string;
        readonly transferId: string;
        readonly amount: number;
        readonly reversed: number;
        readonly reversalIds: readonly string[];
        readonly status: string;
      }[];
    };
  };
  readonly settlement: {
    readonly orders: number;
    readonly settled: number;
    readonly payoutRuns: number;
    /** Minutes between payout runs. */
    readonly payoutEveryMinutes: number;
    /** Capture → transfers payable, as the transfers say (`availableAt`). */
    readonly delayMs: number | null;
    readonly medianMs: number | null;
    readonly minMs: number | null;
    readonly maxMs: number | null;
    readonly p95Ms: number | null;
    readonly dashboardMedianMs: number | null;
    /** Capture → last transfer paid, over all settled orders. */
    readonly distribution: LatencyDistribution;
  };
  /** Each seller's trust figures after the show, as the server derived them (its last `trust_updated`). */
  readonly sellerTrust: readonly {
    readonly name: string;
    readonly completedOrders: number;
    readonly disputeRateBps: number;
    readonly window: string;
  }[];
  readonly latency: DropRecord['latency'];
  readonly integrity: {
    readonly oversold: number;
    readonly checks: readonly Check[];
    readonly audit: {
      readonly valid: boolean;
      readonly eventsChecked: number;
      readonly headSeq: number;
      readonly headHash: string;
    };
    readonly webhooks: DropRecord['webhooks'];
    readonly realtime: FeedTally & { readonly viewers: number; readonly stockMessages: number };
    readonly events: number;
  };
  readonly outcome: BusinessOutcome;
}
