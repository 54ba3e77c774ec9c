import type { FaultsControl } from '@livedrop/core';
import type { Redis } from 'ioredis';
import { INITIAL_CONTROL_STATE, type ControlState, type ControlStateStore } from '../control-state';
import type { RedisKeys } from './redis-keys';
import { RedisLuaScript } from './redis-lua-script';

/*
 * The state is one hash: `clockOffsetMs`, `faults` (JSON, opaque to Lua: cjson would turn `[]`
 * into `{}`), `faultsVersion` (the `version` the faults were set at, so readers know when to parse
 * them again), `diceRolls`, `use:<index>` per fault rule with `times`, `resetEpoch`, `version`.
 * A missing field reads as its initial value. The hash holds at most 57 fields (a fault plan has at
 * most 50 rules), so the loops over its fields are bounded.
 */

/** Deletes every `use:<index>` field of KEYS[1] (bounded: one per fault rule). */
const FORGET_RULE_USES = `
local fields = redis.call('HKEYS', KEYS[1])
for i = 1, #fields do
  if string.sub(fields[i], 1, 4) == 'use:' then redis.call('HDEL', KEYS[1], fields[i]) end
end
`;

/** Marks a change in KEYS[2], the stream every instance follows (capped: followers only need the newest). */
const ANNOUNCE = `
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 64, '*', 'v', redis.call('HGET', KEYS[1], 'version'))
`;

/** KEYS: the hash, the changes stream. ARGV: ms. Answers the hash after the move. */
const ADVANCE_CLOCK = new RedisLuaScript(`
redis.call('HINCRBYFLOAT', KEYS[1], 'clockOffsetMs', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
${ANNOUNCE}
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: the hash, the changes stream. ARGV: the faults' JSON. Answers the hash after the change. */
const SET_FAULTS = new RedisLuaScript(`
${FORGET_RULE_USES}
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'faults', ARGV[1], 'faultsVersion', version, 'diceRolls', 0)
${ANNOUNCE}
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: the hash, the changes stream. ARGV: '1' to put the clock back. Answers the hash after the reset. */
const RESET = new RedisLuaScript(`
${FORGET_RULE_USES}
redis.call('HDEL', KEYS[1], 'faults', 'faultsVersion')
redis.call('HSET', KEYS[1], 'diceRolls', 0)
if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'clockOffsetMs', 0) end
redis.call('HINCRBY', KEYS[1], 'resetEpoch', 1)
redis.call('HINCRBY', KEYS[1], 'version', 1)
${ANNOUNCE}
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: the hash. ARGV: the rule's field, times. Answers 1 when a strike was taken, else 0. */
const USE_RULE = new RedisLuaScript(`
local used = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if used >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`);

/** The faults of one `faultsVersion`, parsed once. */
interface ParsedFaults {
  readonly version: string;
  readonly faults: FaultsControl;
}

/**
 * The control state in Redis. Read from the hash on every call, until {@link RedisControlState.follow}
 * is called by a storage that tails {@link RedisControlState.changes}: from then on `read` answers
 * the copy this instance holds, with no round trip, and the tail calls `refresh` at each change.
 */
export class RedisControlState implements ControlStateStore {
  /** The stream with an entry per change, for the storage's tail. */
  readonly changes: string;
  readonly #redis: Redis;
  readonly #key: string;
  #following = false;
  /** The last faults parsed: handed out again, the same object, until they are set anew. */
  #faults: ParsedFaults | undefined;
  /** The last state answered: handed out again, the same object, while nothing in it changed. */
  #last: ControlState = INITIAL_CONTROL_STATE;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#key = keys.control();
    this.changes = keys.controlChanges();
  }

  /**
   * The state: while followed, this instance's copy (as of its last change or the last one its tail
   * saw; the dice and rule counts in it may trail, they are counted in Redis); else read from Redis.
   */
  async read(): Promise<ControlState> {
    if (this.#following) return this.#last;
    return this.#stateOf(await this.#redis.hgetall(this.#key));
  }

  /**
   * Reads the state from Redis and keeps it as this instance's copy; `read` answers the copy from
   * now on. The caller must then call `refresh` for every entry of {@link changes} after `cursor`.
   * @returns the id of the last entry of `changes` before the read (`0-0` when there is none)
   */
  async follow(): Promise<string> {
    const [last] = (await this.#redis.xrevrange(this.changes, '+', '-', 'COUNT', 1)) as [string, string[]][];
    await this.refresh();
    this.#following = true;
    return last?.[0] ?? '0-0';
  }

  /** Reads the state again (a change was announced); an older answer never replaces a newer copy. */
  async refresh(): Promise<void> {
    const fields = await this.#redis.hgetall(this.#key);
    if (Number(fields.version ?? 0) >= this.#last.version) this.#stateOf(fields);
  }

  async advanceClock(ms: number): Promise<ControlState> {
    return this.#stateOf(fieldsOf(await ADVANCE_CLOCK.run(this.#redis, [this.#key, this.changes], [String(ms)])));
  }

  async setFaults(faults: FaultsControl): Promise<ControlState> {
    return this.#stateOf(
      fieldsOf(await SET_FAULTS.run(this.#redis, [this.#key, this.changes], [JSON.stringify(faults)])),
    );
  }

  async reset(restoreClock = false): Promise<ControlState> {
    return this.#stateOf(fieldsOf(await RESET.run(this.#redis, [this.#key, this.changes], [restoreClock ? '1' : '0'])));
  }

  async rollDice(): Promise<number> {
    return (await this.#redis.hincrby(this.#key, 'diceRolls', 1)) - 1;
  }

  async useRule(index: number, times: number): Promise<boolean> {
    return (await USE_RULE.run(this.#redis, [this.#key], [`use:${index}`, times])) === 1;
  }

  /** The state the hash's `fields` hold: the last one answered when nothing changed, else a new frozen one. */
  #stateOf(fields: Record<string, string>): ControlState {
    const ruleUses: number[] = [];
    for (const [field, value] of Object.entries(fields))
      if (field.startsWith('use:')) ruleUses[Number(field.slice(4))] = Number(value);
    for (let index = 0; index < ruleUses.length; index++) ruleUses[index] ??= 0;
    const state: ControlState = {
      clockOffsetMs: Number(fields.clockOffsetMs ?? 0),
      faults: this.#faultsOf(fields.faultsVersion, fields.faults),
      diceRolls: Number(fields.diceRolls ?? 0),
      ruleUses,
      resetEpoch: Number(fields.resetEpoch ?? 0),
      version: Number(fields.version ?? 0),
    };
    if (sameState(state, this.#last)) return this.#last;
    const frozen = Object.freeze({ ...state, ruleUses: Object.freeze(ruleUses) });
    // An answer that arrives after a newer change was seen is the caller's, not the copy.
    if (state.version >= this.#last.version) this.#last = frozen;
    return frozen;
  }

  /** The faults set at `version`, parsed once per setting (the engine tells a change by identity). */
  #faultsOf(version: string | undefined, json: string | undefined): FaultsControl {
    if (version === undefined || json === undefined) return INITIAL_CONTROL_STATE.faults;
    if (this.#faults?.version !== version) {
      // Written only by setFaults, from faults the control API validated.
      const faults = Object.freeze(JSON.parse(json) as FaultsControl);
      this.#faults = { version, faults };
    }
    return this.#faults.faults;
  }
}

/** An `HGETALL` reply from a script (a flat field, value list) as a record. */
function fieldsOf(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply)) throw new TypeError(`Unexpected reply from the control-state script: ${String(reply)}`);
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < reply.length; index += 2) fields[String(reply[index])] = String(reply[index + 1]);
  return fields;
}

function sameState(a: ControlState, b: ControlState): boolean {
  return (
    a.version === b.version &&
    a.clockOffsetMs === b.clockOffsetMs &&
    a.faults === b.faults &&
    a.diceRolls === b.diceRolls &&
    a.resetEpoch === b.resetEpoch &&
    a.ruleUses.length === b.ruleUses.length &&
    a.ruleUses.every((uses, index) => uses === b.ruleUses[index])
  );
}

/**
 * The control state in Redis (one hash, `keys.control()`), shared by every server instance on it:
 * a clock move, faults or a reset made through one is seen by all. `read` is one `HGETALL`, or no
 * round trip at all once a storage follows the changes (`follow`: the Redis storage does, and its
 * instances see another's change within the stream's lag); every change is one Lua script answering the state after it; `rollDice` is one
 * `HINCRBY` and `useRule` one script, so instances strike a rule's `times` between them exactly.
 * `read` answers the same frozen object while nothing changed, and the same `faults` object until
 * faults are set again (the engine compares them by identity).
 * @param redis the connection to use (the caller owns and closes it)
 * @param keys the key layout
 * @example
 * const control = createRedisControlState(new Redis(url), new RedisKeys());
 */
export function createRedisControlState(redis: Redis, keys: RedisKeys): RedisControlState {
  return new RedisControlState(redis, keys);
}
