import { Redis, type RedisOptions } from 'ioredis';
import type { Clock } from '../../clock';
import type { HashFn } from '../../event-log';
import type { Storage } from '../storage';
import { createRedisControlState } from './redis-control-state';
import { createRedisIdempotencyStore } from './redis-idempotency-store';
import { createRedisJournalStore } from './redis-journal-store';
import { createRedisRateLimitStore } from './redis-rate-limit-store';
import { RedisKeys } from './redis-keys';
import { RedisStorage } from './redis-storage';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The prefix of every key, so several platforms can share one Redis. @default 'ld' */
  readonly prefix?: string;
  /** More ioredis options (TLS, password, timeouts), over those the URL gives. */
  readonly redis?: RedisOptions;
}

/**
 * The connection options of a Redis URL: `redis://[user:password@]host:port[/db]`, `rediss://…`
 * (TLS) or `unix:///path/to/redis.sock`.
 * @throws TypeError naming the forms it takes, for any other URL
 */
export function redisConnectionOf(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `The Redis URL ${JSON.stringify(url)} is not a URL; pass redis://host:6379, rediss://host:6380 or unix:///path/to/redis.sock.`,
    );
  }
  if (parsed.protocol === 'unix:') return { path: decodeURIComponent(parsed.pathname) };
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new TypeError(
      `The Redis URL ${JSON.stringify(url)} has the scheme ${parsed.protocol}; pass redis://host:6379, rediss://host:6380 or unix:///path/to/redis.sock.`,
    );
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * The engine's state in Redis: pass it as the `storage` option, and every server made with it on
 * the same Redis serves one platform — one drop shared by N instances, surviving their restarts.
 * Each server gets a connection of its own; closing the server (`close()`) closes it.
 * @example
 * await using ld = await startReferenceServer({ storage: redisStore('redis://127.0.0.1:6379') });
 */
export function redisStore(
  url: string,
  options: RedisStoreOptions = {},
): (context: { clock: Clock; hash: HashFn; source: string }) => Storage {
  const connection = redisConnectionOf(url);
  return (context) =>
    new RedisStorage({
      ...context,
      redis: new Redis({ ...connection, ...options.redis } as RedisOptions & { replyMapping?: 'legacy' }),
      keys: new RedisKeys(options.prefix),
      side: (redis, keys) => ({
        idempotency: createRedisIdempotencyStore(redis, keys),
        rateLimits: createRedisRateLimitStore(redis, keys),
        control: createRedisControlState(redis, keys),
        journal: (size) => createRedisJournalStore(redis, keys, size),
      }),
    });
}
