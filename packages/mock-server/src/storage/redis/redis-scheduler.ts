import type { Redis } from 'ioredis';
import type { ClaimedJob, Job, Scheduler } from '../scheduler';
import type { RedisStorage } from './redis-storage';

/**
 * The schedule script: one job due at `at`, its id from the tenant's counter (zero-padded, so ties
 * run in scheduling order). KEYS: 1 jobs, 2 job data, 3 counter. ARGV: at, the job's JSON.
 */
const SCHEDULE_LUA = `
local id = string.format('%016d', redis.call('INCR', KEYS[3]))
redis.call('ZADD', KEYS[1], ARGV[1], id)
redis.call('HSET', KEYS[2], id, ARGV[2])
return id
`;

/**
 * The claim script: up to `limit` jobs due at `now`, each leased until `leaseUntil` by moving its
 * score there (a job whose runner dies is due again then). KEYS: 1 jobs, 2 job data.
 * ARGV: now, leaseUntil, limit. Answers when the next job left is due ('' when none), then
 * `id, json` pairs.
 */
const CLAIM_LUA = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = { '' }
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[2], id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if next[2] then out[1] = next[2] end
return out
`;

/** The complete script: forgets a job that ran. KEYS: 1 jobs, 2 job data. ARGV: id. */
const COMPLETE_LUA = `
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('HDEL', KEYS[2], ARGV[1])
`;

interface SchedulerRedis extends Redis {
  ldSchedule(jobs: string, jobData: string, counter: string, at: number, json: string): Promise<string>;
  ldClaim(jobs: string, jobData: string, now: number, leaseUntil: number, limit: number): Promise<string[]>;
  ldComplete(jobs: string, jobData: string, id: string): Promise<number>;
}

/** How long a sweep may trust what it knows of the next due job before it asks Redis anyway (wall-clock ms). */
const ASK_AT_LEAST_EVERY_MS = 1000;

/**
 * The scheduler on Redis: each tenant's jobs in a sorted set by due time, claimed with a lease by
 * whichever instance sweeps first, so a job runs once across instances (and again only if its
 * runner died before completing it: every job re-checks its own state, so that is safe).
 *
 * Each instance knows when its next job is due: the claim script answers it, and every commit entry
 * the instance applies (its own, or another's from the stream) carries its earliest job. A sweep
 * before then answers at once, without a round trip: most requests sweep and find nothing due.
 * It asks Redis anyway at least once a second, whatever it knows.
 */
export class RedisScheduler implements Scheduler {
  readonly #storage: RedisStorage;
  readonly #redis: SchedulerRedis;
  /** No job is due before this (engine ms); -Infinity when unknown. */
  #nextDue = Number.NEGATIVE_INFINITY;
  /** When Redis was last asked (wall-clock ms). */
  #askedAt = 0;
  /** The earliest job noted by each claim in flight since it was sent (its answer may not include it). */
  readonly #notedDuringClaims = new Set<{ earliest: number }>();

  constructor(storage: RedisStorage, redis: Redis) {
    this.#storage = storage;
    this.#redis = redis as SchedulerRedis;
    this.#redis.defineCommand('ldSchedule', { numberOfKeys: 3, lua: SCHEDULE_LUA });
    this.#redis.defineCommand('ldClaim', { numberOfKeys: 2, lua: CLAIM_LUA });
    this.#redis.defineCommand('ldComplete', { numberOfKeys: 2, lua: COMPLETE_LUA });
  }

  /** A job due at `at` (engine ms) was scheduled: the next sweep from then on asks Redis. */
  noteDue(at: number): void {
    if (at < this.#nextDue) this.#nextDue = at;
    for (const claim of this.#notedDuringClaims) if (at < claim.earliest) claim.earliest = at;
  }

  /** Forgets when the next job is due (a tenant was loaded): the next sweep asks Redis. */
  forgetDue(): void {
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  #keys(tenantId: string) {
    return this.#storage.keys.tenant(this.#storage.generation, tenantId);
  }

  async schedule(at: number, job: Job): Promise<void> {
    const keys = this.#keys(job.tenantId);
    await this.#redis.ldSchedule(keys.jobs, keys.jobData, keys.jobCounter, at, JSON.stringify({ at, job }));
    this.noteDue(at);
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    if (now < this.#nextDue && Date.now() - this.#askedAt < ASK_AT_LEAST_EVERY_MS) return [];
    const tenants = [...this.#storage.tenants.values()].filter((tenant) => tenant.loaded);
    if (tenants.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const { keys } of tenants)
      (pipeline as unknown as SchedulerRedis).ldClaim(keys.jobs, keys.jobData, now, now + leaseMs, limit);
    const noted = { earliest: Number.POSITIVE_INFINITY };
    this.#notedDuringClaims.add(noted);
    this.#askedAt = Date.now();
    let replies: [Error | null, unknown][];
    try {
      replies = (await pipeline.exec()) ?? [];
    } finally {
      this.#notedDuringClaims.delete(noted);
    }
    const claims: (ClaimedJob & { readonly order: string })[] = [];
    let nextDue = noted.earliest;
    for (const [error, reply] of replies) {
      if (error) throw error;
      const [next, ...pairs] = reply as string[];
      // A full batch may leave more due now: the caller claims again, so this one asks too.
      if (next !== '' && next !== undefined) nextDue = Math.min(nextDue, Number(next));
      if (pairs.length / 2 >= limit) nextDue = Number.NEGATIVE_INFINITY;
      for (let index = 0; index < pairs.length; index += 2) {
        const id = pairs[index]!;
        const json = pairs[index + 1]!;
        if (json === '') continue;
        const { at, job } = JSON.parse(json) as { at: number; job: Job };
        claims.push({ id, at, job, leaseUntil: now + leaseMs, order: id });
      }
    }
    this.#nextDue = nextDue;
    claims.sort((a, b) => a.at - b.at || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    return claims.map(({ order: _order, ...claim }) => claim);
  }

  async complete(claim: ClaimedJob): Promise<void> {
    const keys = this.#keys(claim.job.tenantId);
    await this.#redis.ldComplete(keys.jobs, keys.jobData, claim.id);
  }

  async size(): Promise<number> {
    const tenants = [...this.#storage.tenants.values()];
    const counts = await Promise.all(tenants.map(({ keys }) => this.#redis.zcard(keys.jobs)));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
