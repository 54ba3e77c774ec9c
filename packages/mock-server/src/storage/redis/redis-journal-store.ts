import type { Redis } from 'ioredis';
import type { JournalRecord, JournalSnapshot, JournalStore } from '../journal-store';
import type { RedisKeys } from './redis-keys';
import { RedisLuaScript } from './redis-lua-script';

/**
 * KEYS: the list, the seq counter. ARGV: the record's JSON, the ring's size.
 * Numbers the record, pushes `seq\tjson` at the head and trims the list to the ring's size, in
 * one step; answers the record's `seq`.
 */
const APPEND = new RedisLuaScript(`
local seq = redis.call('INCR', KEYS[2])
redis.call('LPUSH', KEYS[1], seq .. '\\t' .. ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return seq
`);

class RedisJournalStore implements JournalStore {
  readonly size: number;
  readonly #redis: Redis;
  readonly #list: string;
  readonly #seq: string;

  constructor(redis: Redis, keys: RedisKeys, size: number) {
    this.size = size;
    this.#redis = redis;
    this.#list = keys.journal();
    this.#seq = keys.journalSeq();
  }

  async append(record: JournalRecord): Promise<void> {
    const seq = await APPEND.run(this.#redis, [this.#list, this.#seq], [JSON.stringify(record), this.size]);
    record.seq = Number(seq);
  }

  async read(): Promise<JournalSnapshot> {
    // One MULTI: the list and the counter as of the same moment, so `evicted` is exact.
    const replies = await this.#redis.multi().lrange(this.#list, 0, -1).get(this.#seq).exec();
    const [listReply, seqReply] = replies ?? [];
    if (!listReply || !seqReply || listReply[0] || seqReply[0])
      throw listReply?.[0] ?? seqReply?.[0] ?? new Error('The journal read was aborted (MULTI answered null).');
    const entries = listReply[1] as string[];
    const appended = Number(seqReply[1] ?? 0);
    const records: JournalRecord[] = [];
    // The list holds the newest first; the snapshot answers the oldest first.
    for (let index = entries.length - 1; index >= 0; index--) records.push(recordOf(entries[index]!));
    return { records, evicted: appended - entries.length };
  }

  async clear(): Promise<void> {
    // One command, so no append lands between emptying the list and restarting the count.
    await this.#redis.del(this.#list, this.#seq);
  }
}

/** One list entry, `seq\tjson`, as a record; the prefix is its `seq` (the JSON's was not yet set). */
function recordOf(entry: string): JournalRecord {
  const tab = entry.indexOf('\t');
  const record = JSON.parse(entry.slice(tab + 1)) as JournalRecord;
  record.seq = Number(entry.slice(0, tab));
  return record;
}

/**
 * The request journal in Redis, shared by every server instance on it: a list capped at `size`
 * (`keys.journal()`) and a counter giving `seq` (`keys.journalSeq()`), so instances number their
 * requests as one server would. `append` is one Lua script (number, push, trim); `read` answers
 * the records oldest first, with `evicted` as the records the bound pushed out since the last clear.
 * @param redis the connection to use (the caller owns and closes it)
 * @param keys the key layout
 * @param size how many records to keep (an integer from 1 to 1,000,000)
 * @throws TypeError when `size` is not such an integer
 * @example
 * const server = createReferenceServer({ journal: { store: createRedisJournalStore(redis, new RedisKeys(), 5000) } });
 */
export function createRedisJournalStore(redis: Redis, keys: RedisKeys, size: number): JournalStore {
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000)
    throw new TypeError(`The journal's size must be an integer from 1 to 1000000 (got ${size}).`);
  return new RedisJournalStore(redis, keys, size);
}
