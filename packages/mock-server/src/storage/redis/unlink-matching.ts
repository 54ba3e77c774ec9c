import type { Redis } from 'ioredis';

/** How many keys one `SCAN` step asks for (a hint: Redis may answer more or fewer). */
export const SCAN_BATCH = 500;

/**
 * Unlinks every key matching `pattern`, walking the keyspace with `SCAN` from Node, one batch
 * per round trip: never `KEYS` nor a Lua loop over the keyspace, so Redis serves other clients
 * between batches and `UNLINK` frees the values in the background. Keys written while it walks
 * may be missed or removed, as with any `SCAN`. Answers how many keys it unlinked.
 */
export async function unlinkMatching(redis: Redis, pattern: string, batch = SCAN_BATCH): Promise<number> {
  let cursor = '0';
  let unlinked = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', batch);
    cursor = next;
    if (keys.length > 0) unlinked += await redis.unlink(...keys);
  } while (cursor !== '0');
  return unlinked;
}
