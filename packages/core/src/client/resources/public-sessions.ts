import type { PublicSessionView } from '../../schemas/session';
import type { PublicOperationId } from '../../contract/public-routes';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/** Options of {@link PublicSessions.hydrate}. */
export interface HydrateOptions extends RequestOptions {
  /**
   * An `ETag` from an earlier read. The client already sends the ETag of the last view it holds
   * for the session; pass one only to use a view cached elsewhere.
   * @default the ETag of this client's last view of the session
   */
  ifNoneMatch?: string | undefined;
}

/** How many sessions' last views a client keeps for `If-None-Match`. */
const MAX_CACHED_VIEWS = 100;

/**
 * What a publishable key may do with sessions: hydrate a viewer's screen. The full client's
 * {@link Sessions} extends it with the platform's methods, and its hydrate answers the full view.
 * @typeParam View - the view this client's key reads: {@link PublicSessionView} for a publishable key
 */
export class PublicSessions<View extends PublicSessionView = PublicSessionView> {
  readonly #transport: HttpTransport<PublicOperationId>;
  /** The last view of each session and its ETag, least recently used first. */
  readonly #views = new Map<string, { readonly etag: string; readonly view: View }>();

  /** @internal Made by {@link LiveDropPublicClient} and {@link LiveDropClient}. */
  constructor(transport: HttpTransport<PublicOperationId>) {
    this.#transport = transport;
  }

  /**
   * Reads everything a viewer's screen needs in one response: the session, its creator, offers with
   * live stock, and sellers' trust signals (a publishable key reads only their public fields). The client keeps the last view of each session and sends
   * its ETag; when nothing changed (304) the kept view is returned without a body on the wire.
   */
  async hydrate(id: string, options: HydrateOptions = {}): Promise<View> {
    const { ifNoneMatch, ...rest } = options;
    const kept = this.#views.get(id);
    const etag = ifNoneMatch ?? kept?.etag;
    let result = await this.#read(id, etag, rest);
    if (result.status === 304) {
      if (kept && kept.etag === etag) {
        this.#keep(id, kept);
        return kept.view;
      }
      // A 304 for an ETag whose view this client does not hold: read the view unconditionally.
      result = await this.#read(id, undefined, rest);
    }
    const view = result.data as View;
    const fresh = result.headers.get('etag');
    if (fresh) this.#keep(id, { etag: fresh, view });
    return view;
  }

  #read(id: string, etag: string | undefined, options: RequestOptions) {
    return this.#transport.request(
      'getSession',
      { params: { id }, headers: etag === undefined ? {} : { 'if-none-match': etag } },
      options,
    );
  }

  #keep(id: string, entry: { readonly etag: string; readonly view: View }): void {
    // Re-inserting makes the Map's order least-recently-used first.
    this.#views.delete(id);
    this.#views.set(id, entry);
    if (this.#views.size > MAX_CACHED_VIEWS) this.#views.delete(this.#views.keys().next().value!);
  }
}
