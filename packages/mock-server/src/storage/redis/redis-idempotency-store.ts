import type { Redis } from 'ioredis';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyDecision,
  type IdempotencyStore,
  type StoredResponse,
} from '../idempotency-store';
import type { RedisKeys } from './redis-keys';
import { RedisLuaScript } from './redis-lua-script';
import { unlinkMatching } from './unlink-matching';

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** How long an in-flight request holds its key. @default {@link IDEMPOTENCY_LEASE_MS} (60 s) */
  leaseMs?: number;
  /** How long a stored response is replayed. @default {@link IDEMPOTENCY_RETENTION_MS} (24 h) */
  retentionMs?: number;
}

/*
 * One hash per key: `state` ('leased' | 'stored'), `fingerprint`, `owner` (while leased),
 * `expiresAt` (on the server's clock) and `response` (the stored response's JSON, opaque here).
 * Expiry is decided on the `now` the caller passes, never on Redis's own time, because the server's
 * clock may be a manual one far from real time; the real PEXPIRE (ARGV ttl) only bounds how long
 * Redis keeps a key nobody asks for again.
 */

/** KEYS: the key's hash. ARGV: fingerprint, owner, now, lease end, real TTL (ms). */
const BEGIN = new RedisLuaScript(`
local record = redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'expiresAt', 'response')
if record[1] and tonumber(ARGV[3]) < tonumber(record[3]) then
  if record[2] ~= ARGV[1] then return { 'reused' } end
  if record[1] == 'leased' then return { 'in_use' } end
  return { 'replay', record[4] }
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'leased', 'fingerprint', ARGV[1], 'owner', ARGV[2], 'expiresAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return { 'proceed' }
`);

/** KEYS: the key's hash. ARGV: owner, the response's JSON, retention end, real TTL (ms). */
const COMPLETE = new RedisLuaScript(`
local record = redis.call('HMGET', KEYS[1], 'state', 'owner')
if record[1] ~= 'leased' or record[2] ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'owner')
redis.call('HSET', KEYS[1], 'state', 'stored', 'response', ARGV[2], 'expiresAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`);

/** KEYS: the key's hash. ARGV: owner. */
const ABANDON = new RedisLuaScript(`
local record = redis.call('HMGET', KEYS[1], 'state', 'owner')
if record[1] ~= 'leased' or record[2] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

class RedisIdempotencyStore implements IdempotencyStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #leaseMs: number;
  readonly #retentionMs: number;

  constructor(redis: Redis, keys: RedisKeys, options: RedisIdempotencyStoreOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
    this.#retentionMs = options.retentionMs ?? IDEMPOTENCY_RETENTION_MS;
  }

  /** How long Redis keeps a key in real time: past both bounds, whatever the server's clock does. */
  get #ttlMs(): number {
    return Math.ceil(this.#retentionMs + this.#leaseMs);
  }

  async begin(
    scope: string,
    key: string,
    fingerprint: string,
    owner: string,
    now: number,
  ): Promise<IdempotencyDecision> {
    const reply = await BEGIN.run(
      this.#redis,
      [this.#keys.idempotency(scope, key)],
      [fingerprint, owner, String(now), String(now + this.#leaseMs), this.#ttlMs],
    );
    return decisionOf(reply);
  }

  async complete(scope: string, key: string, owner: string, response: StoredResponse, now: number): Promise<boolean> {
    const stored: StoredResponse = { status: response.status, headers: response.headers, body: response.body };
    const reply = await COMPLETE.run(
      this.#redis,
      [this.#keys.idempotency(scope, key)],
      [owner, JSON.stringify(stored), String(now + this.#retentionMs), this.#ttlMs],
    );
    return reply === 1;
  }

  async abandon(scope: string, key: string, owner: string): Promise<boolean> {
    return (await ABANDON.run(this.#redis, [this.#keys.idempotency(scope, key)], [owner])) === 1;
  }

  /** Answers 0: Redis forgets each key on its own once its real TTL runs out. */
  async sweep(_now: number): Promise<number> {
    return 0;
  }

  async clear(): Promise<void> {
    await unlinkMatching(this.#redis, this.#keys.idempotencyPattern());
  }
}

/** Reads the begin script's reply: `[kind]`, or `['replay', responseJson]`. */
function decisionOf(reply: unknown): IdempotencyDecision {
  if (!Array.isArray(reply)) throw new TypeError(`Unexpected reply from the idempotency script: ${String(reply)}`);
  const [kind, response] = reply as [unknown, unknown];
  switch (kind) {
    case 'proceed':
    case 'in_use':
    case 'reused':
      return { kind };
    case 'replay':
      return { kind, response: JSON.parse(String(response)) as StoredResponse };
    default:
      throw new TypeError(`Unexpected decision from the idempotency script: ${String(kind)}`);
  }
}

/**
 * An idempotency store in Redis, shared by every server instance on it: one hash per key, each
 * operation one Lua script (so a lease is taken, replayed or taken over atomically), with Stripe's
 * semantics exactly as `createMemoryIdempotencyStore`'s. Expiry follows the `now` the
 * server passes (its clock, which the control API moves); Redis also forgets a key on its own
 * `retentionMs + leaseMs` of real time after its last write, so `sweep` has nothing to do.
 * @param redis the connection to run the scripts on (the caller owns and closes it)
 * @param keys the key layout (every key matches `keys.idempotencyPattern()`)
 * @example
 * const idempotency = createRedisIdempotencyStore(new Redis(url), new RedisKeys());
 */
export function createRedisIdempotencyStore(
  redis: Redis,
  keys: RedisKeys,
  options: RedisIdempotencyStoreOptions = {},
): IdempotencyStore {
  return new RedisIdempotencyStore(redis, keys, options);
}
