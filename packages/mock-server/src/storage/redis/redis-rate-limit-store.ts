import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  BucketPolicy,
  RateLimitStore,
  RateLimitStorePolicy,
  RateLimitTake,
  WindowPolicy,
} from '../rate-limit-store';
import type { RedisKeys } from './redis-keys';
import { RedisLuaScript } from './redis-lua-script';
import { unlinkMatching } from './unlink-matching';

/**
 * How long Redis keeps a key past the moment it is at rest on the server's clock, in real time.
 * On a wall clock (offsets only add) a key is at rest by then; the margin covers a manual clock
 * that stands still while a suite runs, so a key is not forgotten before it is at rest.
 */
export const RATE_LIMIT_IDLE_MS = 60 * 60 * 1000;

/*
 * Both scripts port the memory store's math (TokenBucket, VelocityWindow) line for line, on the
 * `now` the caller passes: never Redis TIME, because the control API moves the server's clock and
 * the limits must follow it. Numbers go back as `%.17g` strings, which read back exactly.
 */

/**
 * A token bucket, as TokenBucket: a hash `units`, `updatedAt`, in integer units (a token is
 * `windowMs` units, a millisecond adds `limit`). A bucket left full is deleted (it reads as an unknown one).
 * KEYS: the bucket. ARGV: now, limit, windowSeconds, idle ms.
 * Answers admitted (0/1), remaining, msUntilFull, msUntilNext.
 */
const TAKE_BUCKET = new RedisLuaScript(`
local function num(x) return string.format('%.17g', x) end
local now = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local perToken = tonumber(ARGV[3]) * 1000
local capacity = perMs * perToken
local units, updatedAt = capacity, now
local state = redis.call('HMGET', KEYS[1], 'units', 'updatedAt')
if state[1] then
  units = tonumber(state[1])
  updatedAt = tonumber(state[2])
end
local elapsed = math.max(0, math.floor(now - updatedAt))
units = math.min(capacity, units + elapsed * perMs)
updatedAt = math.max(updatedAt, now)
local admitted = 0
if units >= perToken then
  units = units - perToken
  admitted = 1
end
local remaining = math.floor(units / perToken)
local untilNext = math.max(0, math.ceil((perToken - units) / perMs))
local untilFull = math.ceil((capacity - units) / perMs)
if untilFull <= 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'units', num(units), 'updatedAt', num(updatedAt))
  redis.call('PEXPIRE', KEYS[1], math.ceil(untilFull) + tonumber(ARGV[4]))
end
return { admitted, num(remaining), num(untilFull), num(untilNext) }
`);

/**
 * A sliding window, as VelocityWindow: a sorted set of takes scored by when they were taken
 * (members are unique ids). ZREMRANGEBYSCORE forgets the takes that left the window before
 * counting, so the set never holds more than `max` members.
 * KEYS: the window. ARGV: now, windowMs, max, the take's member, idle ms.
 * Answers admitted (0/1), remaining, msUntilEmpty, msUntilNext.
 */
const TAKE_WINDOW = new RedisLuaScript(`
local function num(x) return string.format('%.17g', x) end
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now - windowMs))
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
if count < max then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  count = count + 1
  admitted = 1
end
local untilEmpty, untilNext = 0, 0
if count > 0 then
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  untilEmpty = tonumber(newest[2]) + windowMs - now
  untilNext = tonumber(oldest[2]) + windowMs - now
  redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(untilEmpty)) + tonumber(ARGV[5]))
end
return { admitted, num(math.max(0, max - count)), num(untilEmpty), num(untilNext) }
`);

/** KEYS: the window. ARGV: the time the slot was taken at. Removes one take scored `at`. */
const GIVE_BACK = new RedisLuaScript(`
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then return 0 end
local taken = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if taken[1] then return redis.call('ZREM', KEYS[1], taken[1]) end
return 0
`);

class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  /** Makes the members of this instance's takes unique among every instance's. */
  readonly #instance = randomUUID();
  #takes = 0;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async take(key: string, policy: RateLimitStorePolicy, now: number): Promise<RateLimitTake> {
    return policy.kind === 'bucket' ? this.#takeBucket(key, policy, now) : this.#takeWindow(key, policy, now);
  }

  async #takeBucket(key: string, policy: BucketPolicy, now: number): Promise<RateLimitTake> {
    const reply = await TAKE_BUCKET.run(
      this.#redis,
      [this.#keys.rateLimit(key)],
      [String(now), policy.limit, policy.windowSeconds, RATE_LIMIT_IDLE_MS],
    );
    const { admitted, remaining, untilWhole, untilNext } = readTake(reply);
    return { admitted, remaining, resetMs: untilWhole, retryAfterMs: admitted ? 0 : untilNext };
  }

  async #takeWindow(key: string, policy: WindowPolicy, now: number): Promise<RateLimitTake> {
    const member = `${this.#instance}:${++this.#takes}`;
    const reply = await TAKE_WINDOW.run(
      this.#redis,
      [this.#keys.rateLimit(key)],
      [String(now), policy.windowSeconds * 1000, policy.max, member, RATE_LIMIT_IDLE_MS],
    );
    const { admitted, remaining, untilWhole, untilNext } = readTake(reply);
    return { admitted, remaining, resetMs: untilWhole, retryAfterMs: admitted ? 0 : untilNext };
  }

  async giveBack(key: string, at: number): Promise<void> {
    await GIVE_BACK.run(this.#redis, [this.#keys.rateLimit(key)], [String(at)]);
  }

  /** Answers 0: Redis expires every key {@link RATE_LIMIT_IDLE_MS} after it is at rest. */
  async sweep(_now: number): Promise<number> {
    return 0;
  }

  async clear(): Promise<void> {
    await unlinkMatching(this.#redis, this.#keys.rateLimitPattern());
  }
}

/** A take script's reply, read. */
interface TakeReply {
  readonly admitted: boolean;
  readonly remaining: number;
  /** Until the key is whole again (a full bucket, an empty window). */
  readonly untilWhole: number;
  /** Until a take could succeed. */
  readonly untilNext: number;
}

function readTake(reply: unknown): TakeReply {
  if (!Array.isArray(reply) || reply.length !== 4)
    throw new TypeError(`Unexpected reply from the rate-limit script: ${String(reply)}`);
  const [admitted, remaining, untilWhole, untilNext] = reply as [unknown, unknown, unknown, unknown];
  return {
    admitted: admitted === 1,
    remaining: Number(remaining),
    untilWhole: Number(untilWhole),
    untilNext: Number(untilNext),
  };
}

/**
 * A rate-limit store in Redis, shared by every server instance on it: token buckets (a hash) and
 * sliding windows (a sorted set), each take one Lua script on the `now` the caller passes, with
 * the numbers of `createMemoryRateLimitStore` (same `remaining`, `resetMs`, `retryAfterMs`).
 * Keys at rest need no sweep: Redis expires a key {@link RATE_LIMIT_IDLE_MS} after it would be at rest.
 * @param redis the connection to run the scripts on (the caller owns and closes it)
 * @param keys the key layout (every key matches `keys.rateLimitPattern()`)
 * @see docs/decisions/0017-rate-limits-on-redis.md
 * @example
 * const rateLimits = createRedisRateLimitStore(new Redis(url), new RedisKeys());
 */
export function createRedisRateLimitStore(redis: Redis, keys: RedisKeys): RateLimitStore {
  return new RedisRateLimitStore(redis, keys);
}
