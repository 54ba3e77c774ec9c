import type { Creator, Entitlement, Offer, Order, Reservation, Seller, Session, WebhookEndpoint } from '@livedrop/core';

/** A stored object and the tenant that owns it. Keys of other tenants never see it. */
export interface Owned<T> {
  readonly tenantId: string;
  value: T;
}

/** A session and its offers, in creation order. */
export interface SessionRecord extends Owned<Session> {
  readonly offerIds: string[];
}

/** An offer with what the ledger needs besides the wire object. */
export interface OfferRecord extends Owned<Offer> {
  readonly creatorId: string;
  /** Backordered reservation ids in queue order. */
  readonly queue: string[];
  /** Units each buyer holds, bought or waits for (backordered), for `perBuyerLimit`. */
  readonly unitsByBuyer: Map<string, number>;
}

/** A reservation with its secret and attribution. */
export interface ReservationRecord extends Owned<Reservation> {
  readonly clientSecret: string;
  readonly creatorId: string;
  readonly sellerId: string;
}

/** A webhook endpoint with its signing secrets. */
export interface WebhookEndpointRecord extends Owned<WebhookEndpoint> {
  secrets: { secret: string; expiresAt: number | null }[];
}

/** One tenant (a deal platform) of the reference server. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

/** The reference server's in-memory state. Every collection is keyed by object id. */
export class Store {
  readonly tenants = new Map<string, Tenant>();
  readonly sellers = new Map<string, Owned<Seller>>();
  readonly creators = new Map<string, Owned<Creator>>();
  readonly entitlements = new Map<string, Owned<Entitlement>>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly offers = new Map<string, OfferRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly orders = new Map<string, Owned<Order>>();
  readonly webhookEndpoints = new Map<string, WebhookEndpointRecord>();
  /** Consumed offer-token ids with their expiry (ms), so a jti is accepted exactly once. */
  readonly consumedJtis = new Map<string, number>();

  /** The object `id` in `collection` if `tenantId` owns it. */
  find<T extends Owned<unknown>>(collection: ReadonlyMap<string, T>, id: string, tenantId: string): T | undefined {
    const record = collection.get(id);
    return record && record.tenantId === tenantId ? record : undefined;
  }

  /** Counts of every collection, for the control API's state summary. */
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
    for (const collection of [this.tenants, this.sellers, this.creators, this.entitlements, this.sessions, this.offers, this.reservations, this.orders, this.webhookEndpoints, this.consumedJtis]) {
      collection.clear();
    }
  }
}
