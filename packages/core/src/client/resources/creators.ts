import type { CreatorDashboard } from '../../schemas/dashboard';
import type { ListQuery, Page } from '../../schemas/pagination';
import type { Creator, CreatorCreate, Entitlement, EntitlementCreate } from '../../schemas/party';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import type { PagePromise } from '../pagination';
import { listPages } from './list-pages';

/** Query of {@link Creators.dashboard}. */
export interface CreatorDashboardQuery {
  /** Only this session's numbers. @default undefined (all the creator's sessions) */
  sessionId?: string | undefined;
}

/** A creator's entitlements to sell sellers' products (`/v1/creators/{id}/entitlements`). */
export class Entitlements {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link Creators}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Lets the creator sell the seller's products (with its commission). */
  create(creatorId: string, body: EntitlementCreate, options?: RequestOptions): Promise<Entitlement> {
    return this.#transport.call('createEntitlement', { params: { id: creatorId }, body }, options);
  }

  /** Lists the creator's entitlements; iterate for every page. */
  list(creatorId: string, query?: ListQuery, options?: RequestOptions): PagePromise<Page<Entitlement>> {
    return listPages<Entitlement>(this.#transport, 'listEntitlements', { id: creatorId }, query, options);
  }
}

/** Creators who host live sessions (`/v1/creators`). */
export class Creators {
  readonly #transport: HttpTransport;
  /** The creator's entitlements. */
  readonly entitlements: Entitlements;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
    this.entitlements = new Entitlements(transport);
  }

  /** Creates a creator. */
  create(body: CreatorCreate, options?: RequestOptions): Promise<Creator> {
    return this.#transport.call('createCreator', { body }, options);
  }

  /** Reads a creator. */
  retrieve(id: string, options?: RequestOptions): Promise<Creator> {
    return this.#transport.call('getCreator', { params: { id } }, options);
  }

  /** The creator's conversions, GMV and earnings, for all sessions or one. */
  dashboard(id: string, query?: CreatorDashboardQuery, options?: RequestOptions): Promise<CreatorDashboard> {
    return this.#transport.call('getCreatorDashboard', { params: { id }, query }, options);
  }
}
