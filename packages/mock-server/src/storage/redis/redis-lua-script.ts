import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a script is called with: its keys, then its arguments (strings or numbers). */
export type LuaArgument = string | number;

/**
 * One Lua script, run atomically by Redis. It is sent by its SHA-1 (`EVALSHA`) and, when the
 * server does not know it yet (a first call, a restart, `SCRIPT FLUSH`), once in full (`EVAL`),
 * which also loads it: what ioredis's `defineCommand` does, without adding an untyped method to a
 * connection the caller owns.
 */
export class RedisLuaScript {
  /** The script's source. */
  readonly lua: string;
  /** The script's SHA-1 (hex), as Redis names it. */
  readonly sha: string;

  constructor(lua: string) {
    this.lua = lua;
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script on `redis` with `keys` (`KEYS`) and `args` (`ARGV`); answers its raw reply. */
  async run(redis: Redis, keys: readonly string[], args: readonly LuaArgument[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
