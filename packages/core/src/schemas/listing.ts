import * as z from 'zod/mini';
import { Count, Timestamp, idOf } from './common';
import { named } from './named';
import { ListQuery } from './pagination';
import { SessionStatus } from './session';

/*
 * The listing feed: sessions and their offers as schema.org JSON-LD (`application/ld+json`), for
 * search engines and recommendation systems. Only what a viewer may see is listed. Every object
 * names its schema.org type in `@type`; enumerated values are the full schema.org URLs.
 */

/** The JSON-LD context of every listing document. */
export const SCHEMA_ORG_CONTEXT = 'https://schema.org';

/** The schema.org `ItemAvailability` members the feed uses, derived from live stock. */
export const LISTING_AVAILABILITY = [
  'https://schema.org/InStock',
  'https://schema.org/LimitedAvailability',
  'https://schema.org/SoldOut',
  'https://schema.org/BackOrder',
  'https://schema.org/OutOfStock',
  'https://schema.org/Discontinued',
] as const;
/** A schema.org `ItemAvailability` URL; see {@link LISTING_AVAILABILITY}. */
export type ListingAvailability = (typeof LISTING_AVAILABILITY)[number];

/** A decimal number as text, e.g. `"129.00"` (JPY `"1500"`, KWD `"1.250"`): exact, never a float. */
const DecimalText = z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number such as "129.00"'));

/**
 * schema.org `InteractionCounter`: a trust figure that schema.org can say. A seller's completed
 * orders are a count of `BuyAction`; a creator's sessions run, of `PerformAction`. Dispute rate and
 * sell-through have no schema.org property and stay in the session view.
 */
export const ListingInteractionCounter = z.strictObject({
  '@type': z.literal('InteractionCounter'),
  interactionType: z.enum(['https://schema.org/BuyAction', 'https://schema.org/PerformAction']),
  userInteractionCount: Count,
  /** What is counted, in words, with the window. */
  description: z.string(),
});
/** An interaction counter; see {@link ListingInteractionCounter}. */
export type ListingInteractionCounter = z.infer<typeof ListingInteractionCounter>;

/** schema.org `Organization` (the seller, the organizing platform). */
export const ListingOrganization = z.strictObject({
  '@type': z.literal('Organization'),
  name: z.string(),
  identifier: z.optional(z.string()),
  /** The seller's completed orders (see `TrustSignals`). */
  interactionStatistic: z.optional(ListingInteractionCounter),
});

/** schema.org `Person` (the creator who performs). */
export const ListingPerson = z.strictObject({
  '@type': z.literal('Person'),
  name: z.string(),
  /** The creator's handle. */
  alternateName: z.optional(z.string()),
  identifier: z.optional(z.string()),
  /** The creator's sessions run (see `CreatorTrust`). */
  interactionStatistic: z.optional(ListingInteractionCounter),
});

/** schema.org `QuantitativeValue`: units available now. */
export const ListingInventoryLevel = z.strictObject({
  '@type': z.literal('QuantitativeValue'),
  value: Count,
  /** UN/CEFACT common code `C62`: "one" (a count of units). */
  unitCode: z.literal('C62'),
});

/** schema.org `Offer`: one product offered during the session, with availability from live stock. */
export const ListingOffer = named(
  z.strictObject({
    '@type': z.literal('Offer'),
    /** The offer id (`off_…`). */
    identifier: idOf('offer'),
    name: z.string(),
    sku: z.string(),
    /** Minor units written out with the currency's exponent. */
    price: DecimalText,
    /** ISO 4217 code. */
    priceCurrency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    availability: z.enum(LISTING_AVAILABILITY),
    inventoryLevel: ListingInventoryLevel,
    /** When the offer was published. */
    validFrom: Timestamp,
    /** When the offer ended (or its session did); absent while it has no end. */
    validThrough: z.optional(Timestamp),
    seller: ListingOrganization,
  }),
  'ListingOffer',
);
/** A listed offer; see {@link ListingOffer}. */
export type ListingOffer = z.infer<typeof ListingOffer>;

/** schema.org `VirtualLocation`: where the session streams. */
export const ListingVirtualLocation = z.strictObject({
  '@type': z.literal('VirtualLocation'),
  url: z.optional(z.string()),
});

/** The fields of a listed `Event`, without the JSON-LD context. */
const eventShape = {
  '@type': z.literal('Event'),
  /** The session id (`ses_…`). */
  identifier: idOf('session'),
  name: z.string(),
  /** When the session went live, or when it is scheduled to. */
  startDate: Timestamp,
  /** When the session ended; absent until then. */
  endDate: z.optional(Timestamp),
  eventStatus: z.literal('https://schema.org/EventScheduled'),
  eventAttendanceMode: z.literal('https://schema.org/OnlineEventAttendanceMode'),
  location: ListingVirtualLocation,
  /** The session's watch page, when the platform gave one. */
  url: z.optional(z.string()),
  performer: ListingPerson,
  organizer: ListingOrganization,
  offers: z.array(ListingOffer),
};

/** A session as a schema.org `Event` inside a feed (the feed carries the `@context`). */
export const ListingEventItem = named(z.strictObject(eventShape), 'ListingEventItem');
/** A listed session inside a feed; see {@link ListingEventItem}. */
export type ListingEventItem = z.infer<typeof ListingEventItem>;

/** `GET /v1/sessions/{id}/listing`: one session as a schema.org `Event` JSON-LD document. */
export const ListingEvent = named(
  z.extend(z.strictObject({ '@context': z.literal(SCHEMA_ORG_CONTEXT) }), eventShape),
  'ListingEvent',
);
/** A listed session; see {@link ListingEvent}. */
export type ListingEvent = z.infer<typeof ListingEvent>;

/** schema.org `ListItem`: a feed entry with its 1-based position on the page. */
export const ListingFeedItem = z.strictObject({
  '@type': z.literal('ListItem'),
  position: z.int().check(z.minimum(1)),
  item: ListingEventItem,
});

/**
 * `GET /v1/listings`: a page of sessions as a schema.org `ItemList`, newest first. The body is
 * pure schema.org; the next page is announced in the `Link: <…>; rel="next"` header, whose URL
 * carries the usual `startingAfter` cursor.
 */
export const ListingFeed = named(
  z.strictObject({
    '@context': z.literal(SCHEMA_ORG_CONTEXT),
    '@type': z.literal('ItemList'),
    itemListOrder: z.literal('https://schema.org/ItemListOrderDescending'),
    /** Items on this page. */
    numberOfItems: Count,
    itemListElement: z.array(ListingFeedItem),
  }),
  'ListingFeed',
);
/** A page of the listing feed; see {@link ListingFeed}. */
export type ListingFeed = z.infer<typeof ListingFeed>;

/** Query of `GET /v1/listings`: cursor pagination and a session status. */
export const ListingFeedQuery = z.extend(ListQuery, {
  /** Only sessions in this state, e.g. `live`. @default any state */
  status: z.optional(SessionStatus),
});
/** Query of `GET /v1/listings`; see {@link ListingFeedQuery}. */
export type ListingFeedQuery = z.infer<typeof ListingFeedQuery>;
