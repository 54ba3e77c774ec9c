import type { ListingEvent, ListingEventItem, ListingFeed, ListingFeedQuery } from '../../schemas/listing';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import { PagePromise } from '../pagination';

/** Query of {@link Listings.list}. */
export type ListingListQuery = { [K in keyof ListingFeedQuery]?: ListingFeedQuery[K] | undefined };

/**
 * One page of the listing feed as the client hands it out: the schema.org `ItemList` as received,
 * and its events with the cursor that the `Link: rel="next"` header named.
 */
export interface ListingPage {
  /** The JSON-LD document, ready to embed in a page's `<script type="application/ld+json">`. */
  readonly itemList: ListingFeed;
  /** The listed sessions, in feed order. */
  readonly data: readonly ListingEventItem[];
  readonly hasMore: boolean;
  /** Pass as `startingAfter` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** The cursor in a `Link: <…?startingAfter=…>; rel="next"` header, or null. */
function nextCursorOf(link: string | null): string | null {
  if (link === null) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1] !== undefined) return new URL(match[1], 'http://link.invalid').searchParams.get('startingAfter');
  }
  return null;
}

/** Sessions as schema.org JSON-LD for search and recommendations: `/v1/listings`, `/v1/sessions/{id}/listing`. */
export class Listings {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /**
   * One session as a schema.org `Event` with its offers, their price and availability from live stock.
   * @example
   * const event = await ld.listings.retrieve(sessionId);
   * html += `<script type="application/ld+json">${JSON.stringify(event)}</script>`;
   */
  retrieve(sessionId: string, options?: RequestOptions): Promise<ListingEvent> {
    return this.#transport.call('getSessionListing', { params: { id: sessionId } }, options) as Promise<ListingEvent>;
  }

  /**
   * The feed of sessions, newest first. Await for a page; iterate for every event across pages.
   * @example
   * for await (const event of ld.listings.list({ status: 'live' })) index(event);
   */
  list(query: ListingListQuery = {}, options?: RequestOptions): PagePromise<ListingPage, ListingEventItem> {
    return new PagePromise<ListingPage, ListingEventItem>((previous) => {
      if (previous && previous.nextCursor === null) return undefined;
      const page = previous ? { ...query, startingAfter: previous.nextCursor } : query;
      return this.#transport.request('listListings', { query: page }, options).then((result) => {
        const itemList = result.data as ListingFeed;
        const nextCursor = nextCursorOf(result.headers.get('link'));
        return {
          itemList,
          data: itemList.itemListElement.map((entry) => entry.item),
          hasMore: nextCursor !== null,
          nextCursor,
        };
      });
    });
  }
}
