import * as z from 'zod/mini';

/** Query of every list endpoint: cursor pagination. */
export const ListQuery = z.strictObject({
  /** Page size. @default 20 */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  /** Return objects after this id (the previous page's `nextCursor`). */
  startingAfter: z.optional(z.string().check(z.maxLength(100))),
});
/** Cursor pagination query; see {@link ListQuery}. */
export type ListQuery = z.infer<typeof ListQuery>;

/** Builds the schema of one page of `item`s: `{ object: "list", data, hasMore, nextCursor }`. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.strictObject({
    object: z.literal('list'),
    data: z.array(item),
    hasMore: z.boolean(),
    nextCursor: z.nullable(z.string()),
  });
}

/** One page of a list of `T` (the type of {@link pageOf}'s schema). */
export type Page<T> = z.infer<ReturnType<typeof pageOf<z.ZodMiniType<T>>>>;
