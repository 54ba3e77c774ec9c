import type { AuditVerification, EventType } from '@livedrop/core';
import type { Redis } from 'ioredis';
import { type EventLog, followLog } from '../../event-log';
import type { EventLogPage, EventLogStore, StoredEvent } from '../event-log-store';
import type { RedisStorage } from './redis-storage';
import type { TenantReplica } from './tenant-replica';

/**
 * The checkpoint script: compare-and-set of the `(seq, hash)` every instance computed of a tenant's
 * hash chain. KEYS: 1 chain. ARGV: seq, hash. Answers `{'advanced'}` when this instance is the first
 * at `seq`, `{'agree'}` when another wrote the same hash, `{'mismatch', hash}` when it wrote another,
 * or `{'behind', seq, hash}` when another is further on (the caller compares with its own log).
 */
const CHECKPOINT_LUA = `
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local mine = tonumber(ARGV[1])
if seq == mine then
  local hash = redis.call('HGET', KEYS[1], 'hash')
  if hash == ARGV[2] then return { 'agree' } end
  return { 'mismatch', hash }
end
if seq < mine then
  redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'hash', ARGV[2])
  return { 'advanced' }
end
return { 'behind', tostring(seq), redis.call('HGET', KEYS[1], 'hash') }
`;

/**
 * The retention script: records the last event dropped (only ever forward) and trims the stream's
 * entries before `minId`. KEYS: 1 chain, 2 log. ARGV: trimmed seq, its hash, the first entry kept.
 */
const TRIM_LUA = `
local trimmed = tonumber(redis.call('HGET', KEYS[1], 'trimmedSeq') or '0')
if tonumber(ARGV[1]) > trimmed then
  redis.call('HSET', KEYS[1], 'trimmedSeq', ARGV[1], 'trimmedHash', ARGV[2])
end
return redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
`;

interface ChainRedis extends Redis {
  ldCheckpoint(chain: string, seq: number, hash: string): Promise<string[]>;
  ldTrim(chain: string, log: string, seq: number, hash: string, minId: string): Promise<number>;
}

/**
 * The event logs of a Redis storage: each tenant's log is rebuilt on every instance from the
 * tenant's commit stream, in the stream's order, so every instance computes the same hash chain;
 * after each batch an instance checks its `(seq, hash)` against the checkpoint in Redis
 * (compare-and-set), so instances agree or the mismatch is reported (`/readyz`, `/v1/audit/verify`).
 */
export class RedisEventLogs implements EventLogStore {
  readonly #storage: RedisStorage;
  readonly #redis: ChainRedis;
  /** Tenants whose chain check is running (one at a time each). */
  readonly #checking = new Set<string>();

  constructor(storage: RedisStorage, redis: Redis) {
    this.#storage = storage;
    this.#redis = redis as ChainRedis;
    this.#redis.defineCommand('ldCheckpoint', { numberOfKeys: 1, lua: CHECKPOINT_LUA });
    this.#redis.defineCommand('ldTrim', { numberOfKeys: 2, lua: TRIM_LUA });
  }

  /** The tenant's log on this instance. */
  log(tenantId: string): EventLog {
    return this.#storage.tenant(tenantId).log;
  }

  head(tenantId: string): Promise<number> {
    return Promise.resolve(this.log(tenantId).headSeq);
  }

  page(tenantId: string, after: number, limit: number, types?: ReadonlySet<EventType>): Promise<EventLogPage> {
    return Promise.resolve(this.log(tenantId).page(after, limit, types));
  }

  read(tenantId: string, after: number, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(this.log(tenantId).read(after, limit));
  }

  tail(tenantId: string, after: number, signal?: AbortSignal): AsyncIterable<readonly StoredEvent[]> {
    return followLog(this.log(tenantId), after, signal);
  }

  async verify(tenantId: string): Promise<AuditVerification> {
    const verification = this.log(tenantId).verify();
    const mismatch = this.#storage.chainMismatch;
    if (!verification.valid || mismatch?.tenantId !== tenantId) return verification;
    return { ...verification, valid: false, firstInvalidSeq: mismatch.seq };
  }

  async trim(tenantId: string, throughSeq: number): Promise<number> {
    const tenant = this.#storage.tenant(tenantId);
    const dropped = tenant.log.trim(throughSeq);
    const checkpoint = tenant.log.checkpoint;
    if (dropped === 0 || !checkpoint) return dropped;
    // The stream keeps every entry holding an event after the checkpoint.
    let keep = 0;
    while (keep < tenant.entries.length && tenant.entries[keep]![1] <= checkpoint.seq) keep++;
    const first = tenant.entries[keep]?.[0];
    tenant.entries.splice(0, keep);
    await this.#redis.ldTrim(
      tenant.keys.chain,
      tenant.keys.log,
      checkpoint.seq,
      checkpoint.hash,
      first ?? tenant.cursor,
    );
    return dropped;
  }

  trimmedThrough(tenantId: string): Promise<number> {
    return Promise.resolve(this.log(tenantId).checkpoint?.seq ?? 0);
  }

  /**
   * Compares this instance's chain head with the shared checkpoint, moving the checkpoint on when
   * this instance is ahead; a different hash at the same `seq` is recorded as a mismatch.
   */
  checkChain(tenant: TenantReplica): void {
    const { log } = tenant;
    if (log.headSeq === 0 || this.#checking.has(tenant.tenantId)) return;
    const [last] = log.read(log.headSeq - 1, 1);
    if (!last) return;
    this.#checking.add(tenant.tenantId);
    void this.#redis
      .ldCheckpoint(tenant.keys.chain, last.event.seq, last.event.hash)
      .then((reply) => {
        let seq = last.event.seq;
        let mismatch = reply[0] === 'mismatch';
        if (reply[0] === 'behind') {
          seq = Number(reply[1]);
          const [mine] = log.read(seq - 1, 1);
          mismatch = mine !== undefined && mine.event.hash !== reply[2];
        }
        if (mismatch) {
          this.#storage.chainMismatch = { tenantId: tenant.tenantId, seq };
          console.error(
            `[livedrop-mock] the hash chain of ${tenant.tenantId} differs from another instance's at seq ${seq}`,
          );
        }
      })
      .catch(() => {})
      .finally(() => this.#checking.delete(tenant.tenantId));
  }
}
