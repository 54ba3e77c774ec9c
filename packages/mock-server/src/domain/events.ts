import { EVENT_TYPES, type EventPage, type EventType } from '@livedrop/core';
import { ok, type Handlers } from '../http/handler';
import { ApiProblem } from '../problem';

/** Page size of `GET /v1/events` when the query sets none. */
const DEFAULT_EVENT_PAGE_SIZE = 100;

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * Reads `?types=a,b` into a filter. Unknown names are refused rather than ignored: a typo would
 * otherwise replay nothing and look like an empty log. Blank entries (`a,,b`, a trailing comma) are
 * skipped; a `types` with no names at all means no filter.
 */
function typeFilter(types: string | undefined): ReadonlySet<EventType> | undefined {
  if (types === undefined) return undefined;
  const names = types
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return undefined;
  const unknown = names.filter((name) => !KNOWN_TYPES.has(name));
  if (unknown.length > 0) {
    const listed = unknown.map((name) => `"${name}"`).join(', ');
    throw new ApiProblem(
      'validation_failed',
      `The request query is invalid: "query.types" names unknown event type(s) ${listed}; use types such as "livedrop.offer.published".`,
      {
        errors: [
          {
            path: 'query.types',
            code: 'invalid_value',
            message: `"query.types" has unknown event type(s) ${listed}; each must be one of ${EVENT_TYPES.join(', ')}.`,
          },
        ],
      },
    );
  }
  return new Set(names as EventType[]);
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
