import type { ListQuery, Page } from '../../schemas/pagination';
import type { Session, SessionCreate, SessionPatch, SessionStatus, SessionView } from '../../schemas/session';
import type { RequestOptions } from '../options';
import type { PagePromise } from '../pagination';
import { listPages } from './list-pages';
import type { HttpTransport } from '../http';
import { PublicSessions } from './public-sessions';
import type { VersionedRequestOptions } from './resource-options';

export type { HydrateOptions } from './public-sessions';

/** Query of {@link Sessions.list}. */
export interface SessionListQuery extends ListQuery {
  /** Only sessions in this state. @default undefined (any state) */
  status?: SessionStatus | undefined;
  /** Only this creator's sessions. @default undefined (every creator the key can see) */
  creatorId?: string | undefined;
}

/**
 * Live sessions ("drops"): `/v1/sessions`. Its `hydrate` answers the full {@link SessionView}
 * (platform, creator and moderator keys).
 */
export class Sessions extends PublicSessions<SessionView> {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    super(transport);
    this.#transport = transport;
  }

  /** Schedules a session (`scheduled`). */
  create(body: SessionCreate, options?: RequestOptions): Promise<Session> {
    return this.#transport.call('createSession', { body }, options);
  }

  /** Lists sessions, newest first; await for a page or iterate for all. */
  list(query?: SessionListQuery, options?: RequestOptions): PagePromise<Page<Session>> {
    return listPages<Session>(this.#transport, 'listSessions', undefined, query, options);
  }

  /** Changes a session; `version` is sent as `If-Match` (412 `version_conflict` when stale). */
  update(id: string, patch: SessionPatch, options: VersionedRequestOptions): Promise<Session> {
    const { version, ...rest } = options;
    return this.#transport.call(
      'updateSession',
      { params: { id }, body: patch, headers: { 'if-match': String(version) } },
      rest,
    );
  }

  /** Goes live. */
  start(id: string, options?: RequestOptions): Promise<Session> {
    return this.#transport.call('startSession', { params: { id } }, options);
  }

  /** Ends the session and its offers. */
  end(id: string, options?: RequestOptions): Promise<Session> {
    return this.#transport.call('endSession', { params: { id } }, options);
  }
}
