import type { EventPage, EventType } from '@livedrop/core';
import { ok, type Handlers } from '../http/handler';

/** Page size of `GET /v1/events` when the query sets none. */
const DEFAULT_EVENT_PAGE_SIZE = 100;

/** `?types=` as a filter: the query schema has checked each name; no names at all means no filter. */
function typeFilter(types: readonly EventType[] | undefined): ReadonlySet<EventType> | undefined {
  return types === undefined || types.length === 0 ? undefined : new Set(types);
}

/** `GET /v1/events` (replay from a cursor) and `GET /v1/audit/verify` (walk the hash chain). */
export const eventHandlers = {
  async listEvents({ engine, principal, query }) {
    const types = typeFilter(query.types);
    const page = await engine.storage.events.page(
      principal.tenantId,
      query.after ?? 0,
      query.limit ?? DEFAULT_EVENT_PAGE_SIZE,
      types,
    );
    const body: EventPage = { object: 'event_page', data: page.data, hasMore: page.hasMore, nextAfter: page.nextAfter };
    return ok(body);
  },

  async verifyAudit({ engine, principal }) {
    return ok(await engine.storage.events.verify(principal.tenantId));
  },
} satisfies Handlers;
