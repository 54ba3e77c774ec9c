import type { Page } from '../../schemas/pagination';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import { PagePromise } from '../pagination';
import type { ClientOperationId } from '../route-types';

/**
 * A cursor-paginated list (`{ data, hasMore, nextCursor }`, next page via `startingAfter`).
 * `T` names the item type the route's schema yields.
 */
export function listPages<T>(
  transport: HttpTransport,
  operationId: ClientOperationId,
  params: Record<string, string> | undefined,
  query: object | undefined,
  options: RequestOptions | undefined,
): PagePromise<Page<T>> {
  return new PagePromise<Page<T>>((previous) => {
    if (previous && previous.nextCursor === null) return undefined;
    const page = previous ? { ...query, startingAfter: previous.nextCursor } : query;
    return transport.call(operationId, { ...(params ? { params } : {}), query: page }, options) as Promise<Page<T>>;
  });
}
