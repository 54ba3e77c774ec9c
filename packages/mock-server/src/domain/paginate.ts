import type { Page } from '@livedrop/core';
import { ApiProblem } from '../problem';

/** The page size when a list request sends no `limit`. */
export const DEFAULT_PAGE_SIZE = 20;

/** The cursor part of every list query (`ListQuery`). */
export interface PageRequest {
  /** Page size. @default {@link DEFAULT_PAGE_SIZE} */
  readonly limit?: number | undefined;
  /** Return the items after the one with this id (the previous page's `nextCursor`). */
  readonly startingAfter?: string | undefined;
}

/**
 * Cuts one page out of `items`, which the caller has already filtered and put in the list's order.
 * The cursor is the id of the last item of the page, so pages stay stable while new items are
 * appended at the end (creation order). A cursor that names no item of the list is refused rather
 * than silently restarting from the top, which would hand a paginating client duplicates.
 * @throws ApiProblem `validation_failed` naming `startingAfter` when the cursor is unknown
 * @example
 * const page = paginate(sessions, { limit: 2, startingAfter: 'ses_abc' });
 * // { object: 'list', data: [...], hasMore: true, nextCursor: 'ses_def' }
 */
export function paginate<T extends { readonly id: string }>(items: readonly T[], request: PageRequest): Page<T> {
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  let start = 0;
  if (request.startingAfter !== undefined) {
    const cursor = request.startingAfter;
    const index = items.findIndex((item) => item.id === cursor);
    if (index === -1) {
      const message = `"startingAfter" is "${cursor}", which is not in this list; pass the \`nextCursor\` of the previous page, or omit it to start from the top.`;
      throw new ApiProblem('validation_failed', message, {
        errors: [{ path: 'query.startingAfter', code: 'unknown_cursor', message }],
      });
    }
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  return { object: 'list', data, hasMore, nextCursor: hasMore ? (data.at(-1)?.id ?? null) : null };
}
