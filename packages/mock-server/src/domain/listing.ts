import {
  SCHEMA_ORG_CONTEXT,
  TRUST_WINDOW_DAYS,
  toDecimalAmount,
  type Creator,
  type ListingAvailability,
  type ListingEvent,
  type ListingEventItem,
  type ListingFeed,
  type ListingInteractionCounter,
  type ListingOffer,
  type Offer,
  type Seller,
  type Session,
} from '@livedrop/core';
import type { Principal } from '../auth';
import type { Engine } from '../engine';
import type { Handlers } from '../http/handler';
import type { RequestHead } from '../http/server-request';
import type { SessionRecord } from '../store';
import { isPublicOffer } from './offer-view';
import { paginate } from './paginate';
import { noneMatchHits, privateViewHeaders, publicCacheHeaders, type CachedView } from './public-cache';
import { findOwnedSession } from './sessions';

/*
 * The listing feed: what search engines and recommenders may know about sessions, as schema.org
 * JSON-LD. It is built from the public projection only (published offers, no metadata, nothing
 * about buyers), so it is the same for every key and a CDN may share it like the public hydrate.
 */

const JSON_LD = 'application/ld+json';

/**
 * An offer's schema.org availability, from its status and live stock:
 * - live with units: `InStock`, or `LimitedAvailability` once at most a tenth of the stock is left;
 * - live with none: `BackOrder` while its backorder queue takes buyers, else `SoldOut`;
 * - paused: `OutOfStock` (nothing can be bought until the creator resumes it);
 * - ended: `SoldOut` if it sold out, else `Discontinued`.
 * `BackOrder`, not `PreOrder`: schema.org's `PreOrder` is for items not yet released; a backorder
 * is a released item out of stock that can still be ordered, which is what the queue is.
 */
export function availabilityOf(offer: Offer): ListingAvailability {
  const { available, total, backordered } = offer.stock;
  if (offer.status === 'ended')
    return available === 0 ? 'https://schema.org/SoldOut' : 'https://schema.org/Discontinued';
  if (offer.status !== 'live') return 'https://schema.org/OutOfStock';
  if (available === 0)
    return offer.backorder?.allowed && backordered < offer.backorder.limit
      ? 'https://schema.org/BackOrder'
      : 'https://schema.org/SoldOut';
  return available * 10 <= total ? 'https://schema.org/LimitedAvailability' : 'https://schema.org/InStock';
}

/** A seller's completed orders as a schema.org count of purchases. */
function completedOrdersCounter(seller: Seller): ListingInteractionCounter {
  return {
    '@type': 'InteractionCounter',
    interactionType: 'https://schema.org/BuyAction',
    userInteractionCount: seller.trust.completedOrders,
    description: `Completed orders: the platform's history plus orders captured and not refunded in the last ${TRUST_WINDOW_DAYS} days`,
  };
}

/** A creator's sessions run as a schema.org count of performances. */
function sessionsRunCounter(creator: Creator): ListingInteractionCounter {
  return {
    '@type': 'InteractionCounter',
    interactionType: 'https://schema.org/PerformAction',
    userInteractionCount: creator.trust.sessionsRun,
    description: `Live sessions run in the last ${TRUST_WINDOW_DAYS} days`,
  };
}

function listingOffer(engine: Engine, offer: Offer): ListingOffer {
  const seller = engine.store.sellers.get(offer.sellerId)?.value;
  // Until when it sells: when it ended, else when it is set to end.
  const until = offer.endedAt ?? offer.endsAt;
  return {
    '@type': 'Offer',
    identifier: offer.id,
    name: offer.title,
    sku: offer.sku,
    price: toDecimalAmount(offer.price),
    priceCurrency: offer.price.currency,
    availability: availabilityOf(offer),
    inventoryLevel: { '@type': 'QuantitativeValue', value: offer.stock.available, unitCode: 'C62' },
    // Public offers are always published; the fallback only guards the type.
    validFrom: offer.publishedAt ?? offer.createdAt,
    ...(until === null ? {} : { validThrough: until }),
    seller: {
      '@type': 'Organization',
      name: seller?.name ?? offer.sellerId,
      identifier: offer.sellerId,
      ...(seller ? { interactionStatistic: completedOrdersCounter(seller) } : {}),
    },
  };
}

/** A session as a schema.org `Event` (without `@context`), with its public offers. */
function listingEventItem(engine: Engine, record: SessionRecord): ListingEventItem {
  const session: Session = record.value;
  const creator = engine.store.creators.get(session.creatorId)?.value;
  const tenant = engine.store.tenants.get(record.tenantId);
  const offers: ListingOffer[] = [];
  for (const offerId of record.offerIds) {
    const offer = engine.store.offers.get(offerId)?.value;
    if (offer && isPublicOffer(offer)) offers.push(listingOffer(engine, offer));
  }
  const url = session.watchUrl ?? undefined;
  return {
    '@type': 'Event',
    identifier: session.id,
    name: session.title,
    startDate: session.startedAt ?? session.scheduledStartAt,
    ...(session.endedAt === null ? {} : { endDate: session.endedAt }),
    // schema.org has no "live" status: a session that runs as planned is `EventScheduled` throughout.
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
    location: url === undefined ? { '@type': 'VirtualLocation' } : { '@type': 'VirtualLocation', url },
    ...(url === undefined ? {} : { url }),
    performer: {
      '@type': 'Person',
      name: creator?.displayName ?? session.creatorId,
      ...(creator ? { alternateName: creator.handle } : {}),
      identifier: session.creatorId,
      ...(creator ? { interactionStatistic: sessionsRunCounter(creator) } : {}),
    },
    organizer: { '@type': 'Organization', name: tenant?.name ?? 'LiveDrop' },
    offers,
  };
}

/** The listing of one session: a schema.org `Event` JSON-LD document. */
export function buildListingEvent(engine: Engine, record: SessionRecord): ListingEvent {
  return { '@context': SCHEMA_ORG_CONTEXT, ...listingEventItem(engine, record) };
}

/** Answers a cached JSON-LD view with the caching its caller's key allows, or 304. */
function answerView(
  engine: Engine,
  principal: Principal,
  request: RequestHead,
  view: CachedView,
  extra: Record<string, string> = {},
) {
  const caching =
    principal.role === 'publishable' ? publicCacheHeaders(engine, view.etag) : privateViewHeaders(view.etag);
  const headers = { 'content-type': JSON_LD, ...caching, ...extra };
  if (noneMatchHits(request.headers.get('if-none-match'), view.etag)) return { status: 304, headers };
  return { status: 200, json: view.body, headers };
}

/** `GET /v1/sessions/{id}/listing` and `GET /v1/listings`: sessions as schema.org JSON-LD. */
export const listingHandlers = {
  async getSessionListing({ engine, principal, params, request }) {
    // The revision is read before the records, so a view is never older than the revision it is cached at.
    const revision = await engine.views.revision(engine, principal.tenantId);
    const record = findOwnedSession(engine, principal, params.id);
    const view = engine.views.view(record.tenantId, `listing/${record.value.id}`, revision, () =>
      buildListingEvent(engine, record),
    );
    return answerView(engine, principal, request, view);
  },

  async listListings({ engine, principal, query, request }) {
    const revision = await engine.views.revision(engine, principal.tenantId);
    const records: SessionRecord[] = [];
    for (const record of engine.store.sessions.values()) {
      if (record.tenantId !== principal.tenantId) continue;
      if (principal.role === 'creator' && record.value.creatorId !== principal.creatorId) continue;
      if (query.status !== undefined && record.value.status !== query.status) continue;
      records.push(record);
    }
    // The store keeps creation order; newest first is its reverse, as in `GET /v1/sessions`.
    records.reverse();
    const sessions = records.map((record) => record.value);
    const page = paginate(sessions, query);
    const start = page.data.length === 0 ? 0 : sessions.indexOf(page.data[0]!);
    const scope = principal.role === 'creator' ? principal.creatorId : 'all';
    const key = `listings/${scope}/${query.status ?? '*'}/${page.data.map((session) => session.id).join(',')}`;
    const view = engine.views.view(
      principal.tenantId,
      key,
      revision,
      (): ListingFeed => ({
        '@context': SCHEMA_ORG_CONTEXT,
        '@type': 'ItemList',
        itemListOrder: 'https://schema.org/ItemListOrderDescending',
        numberOfItems: page.data.length,
        itemListElement: records.slice(start, start + page.data.length).map((record, i) => ({
          '@type': 'ListItem',
          position: start + i + 1,
          item: listingEventItem(engine, record),
        })),
      }),
    );
    const extra: Record<string, string> = {};
    if (page.nextCursor !== null) {
      const next = new URLSearchParams();
      if (query.status !== undefined) next.set('status', query.status);
      if (query.limit !== undefined) next.set('limit', String(query.limit));
      next.set('startingAfter', page.nextCursor);
      // A relative reference: it resolves against whatever host (CDN or origin) served the page.
      extra.link = `</v1/listings?${next}>; rel="next"`;
    }
    return answerView(engine, principal, request, view, extra);
  },
} satisfies Handlers;
