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

/** KEYS: the hash. ARGV: ms. Answers the hash after the move. */
const ADVANCE_CLOCK = new RedisLuaScript(`
redis.call('HINCRBYFLOAT', KEYS[1], 'clockOffsetMs', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: the hash. ARGV: the faults' JSON. Answers the hash after the change. */
const SET_FAULTS = new RedisLuaScript(`
${FORGET_RULE_USES}
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'faults', ARGV[1], 'faultsVersion', version, 'diceRolls', 0)
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: the hash. ARGV: '1' to put the clock back. Answers the hash after the reset. */
const RESET = new RedisLuaScript(`
${FORGET_RULE_USES}
redis.call('HDEL', KEYS[1], 'faults', 'faultsVersion')
redis.call('HSET', KEYS[1], 'diceRolls', 0)
if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'clockOffsetMs', 0) end
redis.call('HINCRBY', KEYS[1], 'resetEpoch', 1)
redis.call('HINCRBY', KEYS[1], 'version', 1)
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

class RedisControlState implements ControlStateStore {
  readonly #redis: Redis;
  readonly #key: string;
  /** The last faults parsed: handed out again, the same object, until they are set anew. */
  #faults: ParsedFaults | undefined;
  /** The last state answered: handed out again, the same object, while nothing in it changed. */
  #last: ControlState = INITIAL_CONTROL_STATE;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#key = keys.control();
  }

  async read(): Promise<ControlState> {
    return this.#stateOf(await this.#redis.hgetall(this.#key));
  }

  async advanceClock(ms: number): Promise<ControlState> {
    return this.#stateOf(fieldsOf(await ADVANCE_CLOCK.run(this.#redis, [this.#key], [String(ms)])));
  }

  async setFaults(faults: FaultsControl): Promise<ControlState> {
    return this.#stateOf(fieldsOf(await SET_FAULTS.run(this.#redis, [this.#key], [JSON.stringify(faults)])));
  }

  async reset(restoreClock = false): Promise<ControlState> {
    return this.#stateOf(fieldsOf(await RESET.run(this.#redis, [this.#key], [restoreClock ? '1' : '0'])));
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
    this.#last = Object.freeze({ ...state, ruleUses: Object.freeze(ruleUses) });
    return this.#last;
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
 * a clock move, faults or a reset made through one is seen by all at their next request. `read` is
 * one `HGETALL`; every change is one Lua script answering the state after it; `rollDice` is one
 * `HINCRBY` and `useRule` one script, so instances strike a rule's `times` between them exactly.
 * `read` answers the same frozen object while nothing changed, and the same `faults` object until
 * faults are set again (the engine compares them by identity).
 * @param redis the connection to use (the caller owns and closes it)
 * @param keys the key layout
 * @example
 * const control = createRedisControlState(new Redis(url), new RedisKeys());
 */
export function createRedisControlState(redis: Redis, keys: RedisKeys): ControlStateStore {
  return new RedisControlState(redis, keys);
}
