/** The shape every paginated answer shares: a page of `data` and whether more follows. */
export interface PageLike<TItem> {
  readonly data: readonly TItem[];
  readonly hasMore: boolean;
}

/** Fetches the first page (`previous` undefined) or the page after `previous`; undefined when there is none. */
export type PageFetcher<TPage> = (previous: TPage | undefined) => Promise<TPage> | undefined;

/** Options of {@link PagePromise.toArray}. */
export interface ToArrayOptions {
  /** Stop after this many items (no further page is fetched). @default 10000 */
  limit?: number | undefined;
}

/**
 * What a list method returns: await it for the first page, or iterate it with `for await` for every
 * item across pages (each next page is fetched only when the previous one is used up).
 * @example
 * const first = await ld.sessions.list({ limit: 10 });           // { data, hasMore, nextCursor }
 * for await (const session of ld.sessions.list({ status: 'live' })) console.log(session.id);
 * const all = await ld.sessions.list().toArray({ limit: 500 });
 */
export class PagePromise<TPage extends PageLike<TItem>, TItem = TPage['data'][number]>
  implements PromiseLike<TPage>, AsyncIterable<TItem>
{
  readonly #fetch: PageFetcher<TPage>;
  #first: Promise<TPage> | undefined;

  constructor(fetchPage: PageFetcher<TPage>) {
    this.#fetch = fetchPage;
  }

  #firstPage(): Promise<TPage> {
    // The first page is fetched once, lazily, and shared by `await` and iteration.
    this.#first ??= this.#fetch(undefined) ?? Promise.reject(new Error('A list has a first page.'));
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaitable by design (as openai-node's is).
  then<TResult1 = TPage, TResult2 = never>(
    onfulfilled?: ((page: TPage) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<TPage | TResult> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<TPage> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every page, in order, starting with the first. */
  async *pages(): AsyncGenerator<TPage, void, undefined> {
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      if (!page.hasMore) return;
      const next = this.#fetch(page);
      if (next === undefined) return;
      page = await next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TItem, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Collects items across pages, up to `limit`. */
  async toArray({ limit = 10_000 }: ToArrayOptions = {}): Promise<TItem[]> {
    const items: TItem[] = [];
    if (limit <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }

  readonly [Symbol.toStringTag] = 'PagePromise';
}
