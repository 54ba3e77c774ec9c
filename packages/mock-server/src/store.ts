import type {
  Creator,
  Entitlement,
  Offer,
  Order,
  Reservation,
  Seller,
  Session,
  WebhookDelivery,
  WebhookEndpoint,
} from '@livedrop/core';
import type { Principal } from './auth';
import type { SigningKeysRecord } from './signing-keys';

/** One UTC day's counts of a seller's orders captured that day (see `domain/trust.ts`). */
export interface SellerTrustDay {
  /** Days since the epoch. */
  readonly day: number;
  captured: number;
  /** Of those, refunded in full. */
  refunded: number;
  /** Of those, with a `dispute` refund. */
  disputed: number;
}

/** One UTC day's counts of a creator's sessions that ended that day (see `domain/trust.ts`). */
export interface CreatorTrustDay {
  /** Days since the epoch. */
  readonly day: number;
  sessions: number;
  unitsOffered: number;
  unitsSold: number;
}

/** A stored object and the tenant that owns it. Keys of other tenants never see it. */
export interface Owned<T> {
  readonly tenantId: string;
  value: T;
}

/** A session, its offers in creation order, and where it stands in its edge lifecycle. */
export interface SessionRecord extends Owned<Session> {
  readonly offerIds: string[];
  /** When the pending `livedrop.session.warmup_due` is due (epoch ms); a job due at another time is stale. */
  warmupDueAt: number | null;
  /** `livedrop.session.warmup_due` was emitted (exactly once per session). */
  warmedUp: boolean;
  /** `livedrop.session.cooldown` was emitted (exactly once per session). */
  cooledDown: boolean;
}

/** An offer with what the ledger needs besides the wire object. */
export interface OfferRecord extends Owned<Offer> {
  readonly creatorId: string;
  /** Backordered reservation ids in queue order. */
  readonly queue: string[];
}

/** A reservation with its secret and attribution. */
export interface ReservationRecord extends Owned<Reservation> {
  readonly clientSecret: string;
  readonly creatorId: string;
  readonly sellerId: string;
}

/** A seller with the per-day counts its trust figures are derived from. */
export interface SellerRecord extends Owned<Seller> {
  /** The days of the trust window with orders captured, oldest first; absent until the first capture. */
  trustDays?: SellerTrustDay[];
}

/** A creator with the per-day counts its trust figures are derived from. */
export interface CreatorRecord extends Owned<Creator> {
  /** The days of the trust window with sessions ended, oldest first; absent until the first session ends. */
  trustDays?: CreatorTrustDay[];
}

/** A webhook endpoint with its signing secrets and its deliveries still to send, in `seq` order. */
export interface WebhookEndpointRecord extends Owned<WebhookEndpoint> {
  secrets: { secret: string; expiresAt: number | null }[];
  /** Ids of deliveries waiting to be sent, oldest first; the head is the one in flight or retrying. */
  pending: string[];
  /** The log position this endpoint has been fed up to: events after it are not yet queued. */
  fedThrough: number;
}

/** One delivery of one event to one endpoint, with the endpoint that owns it. */
export interface WebhookDeliveryRecord extends Owned<WebhookDelivery> {}

/**
 * A buyer session, stored under the SHA-256 of its credential (the credential itself is never kept):
 * the buyer a tenant's platform asserted, until `expiresAtMs`.
 */
export interface BuyerSessionRecord {
  readonly tenantId: string;
  readonly buyerId: string;
  /** When the credential stops working (epoch ms). */
  readonly expiresAtMs: number;
}

/** One tenant (a deal platform) of the reference server. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

/** The record collections, by name: what a {@link Transaction} reads and writes. */
export interface Collections {
  tenants: Tenant;
  apiKeys: Principal;
  buyerSessions: BuyerSessionRecord;
  sellers: SellerRecord;
  creators: CreatorRecord;
  entitlements: Owned<Entitlement>;
  sessions: SessionRecord;
  offers: OfferRecord;
  reservations: ReservationRecord;
  orders: Owned<Order>;
  webhookEndpoints: WebhookEndpointRecord;
  webhookDeliveries: WebhookDeliveryRecord;
  /** Each tenant's offer-token signing keys, by tenant id. */
  signingKeys: SigningKeysRecord;
}

/** The name of a record collection. */
export type CollectionName = keyof Collections;

/** Every collection name, in the order the control API's state summary lists them. */
export const COLLECTIONS: readonly CollectionName[] = [
  'tenants',
  'apiKeys',
  'buyerSessions',
  'sellers',
  'creators',
  'entitlements',
  'sessions',
  'offers',
  'reservations',
  'orders',
  'webhookEndpoints',
  'webhookDeliveries',
  'signingKeys',
];

/**
 * The reference server's records, as committed: every collection keyed by id (API keys by the key
 * itself), the units each buyer has of each offer, and the offer-token ids already spent.
 *
 * Records here are never changed in place. A change is made on copies inside a transaction
 * (`storage.transact`) and committed by replacing records, so a reader holding a record holds a
 * consistent snapshot, and what changed is told by versions and the event log, not by identity.
 */
export class Store {
  readonly tenants = new Map<string, Tenant>();
  readonly apiKeys = new Map<string, Principal>();
  /** Buyer sessions by the SHA-256 of their credential. */
  readonly buyerSessions = new Map<string, BuyerSessionRecord>();
  readonly sellers = new Map<string, SellerRecord>();
  readonly creators = new Map<string, CreatorRecord>();
  readonly entitlements = new Map<string, Owned<Entitlement>>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly offers = new Map<string, OfferRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly orders = new Map<string, Owned<Order>>();
  readonly webhookEndpoints = new Map<string, WebhookEndpointRecord>();
  readonly webhookDeliveries = new Map<string, WebhookDeliveryRecord>();
  /** Offer-token signing keys by tenant id. */
  readonly signingKeys = new Map<string, SigningKeysRecord>();
  /** Units each buyer holds, bought or waits for, by `offerId buyerId`, for `perBuyerLimit`. */
  readonly buyerUnits = new Map<string, number>();
  /** Spent offer-token ids with their expiry (epoch ms), so a token reserves exactly once. */
  readonly spentTokenIds = new Map<string, number>();

  /** The collection named `name`. */
  collection<C extends CollectionName>(name: C): Map<string, Collections[C]> {
    return this[name] as Map<string, Collections[C]>;
  }

  /** The object `id` in `collection` if `tenantId` owns it. */
  find<T extends Owned<unknown>>(collection: ReadonlyMap<string, T>, id: string, tenantId: string): T | undefined {
    const record = collection.get(id);
    return record && record.tenantId === tenantId ? record : undefined;
  }

  /** Counts of the domain collections, for the control API's state summary. */
  counts(): Record<string, number> {
    return {
      tenants: this.tenants.size,
      sellers: this.sellers.size,
      creators: this.creators.size,
      entitlements: this.entitlements.size,
      sessions: this.sessions.size,
      offers: this.offers.size,
      reservations: this.reservations.size,
      orders: this.orders.size,
      webhookEndpoints: this.webhookEndpoints.size,
    };
  }

  clear(): void {
    for (const name of COLLECTIONS) this.collection(name).clear();
    this.buyerUnits.clear();
    this.spentTokenIds.clear();
  }
}

/** The key of a buyer's units of an offer in {@link Store.buyerUnits}. */
export function buyerUnitsKey(offerId: string, buyerId: string): string {
  return `${offerId} ${buyerId}`;
}
