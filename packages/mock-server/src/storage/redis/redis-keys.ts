/**
 * The Redis key layout: every key the Redis storage uses is named here, and nowhere else.
 *
 * Keys of one tenant share the hash tag `{tenantId}`, so a tenant's commit script touches one slot
 * and the layout works on Redis Cluster; keys that are not a tenant's carry a tag of their own
 * (an idempotency scope, a rate-limit key). A tenant's data lives under a generation: a reset
 * moves to the next generation, so an instance still holding the old one is refused by every
 * script and reloads, and the old keys are unlinked in the background.
 */
export class RedisKeys {
  /** The prefix of every key. @default 'ld' */
  readonly prefix: string;

  constructor(prefix = 'ld') {
    this.prefix = prefix;
  }

  /** The shared control state (clock offset, faults, dice, rule uses, reset epoch): one hash. */
  control(): string {
    return `${this.prefix}:{control}`;
  }

  /** A stream with an entry per control change (clock, faults, reset), which every instance follows. */
  controlChanges(): string {
    return `${this.prefix}:{control}:changes`;
  }

  /** The current generation of tenant data (a counter; a reset increments it). */
  generation(): string {
    return `${this.prefix}:{control}:generation`;
  }

  /** The default tenant's keys, claimed by the first instance (kept across resets). */
  defaultTenant(): string {
    return `${this.prefix}:{control}:default-tenant`;
  }

  /** Every key of generation `generation` matches this pattern (what a reset unlinks). */
  generationPattern(generation: number): string {
    return `${this.prefix}:g${generation}:*`;
  }

  /** The directory of tenants of a generation: a stream of `t <tenantId>` entries (and a `reset` marker). */
  tenants(generation: number): string {
    return `${this.prefix}:g${generation}:{directory}:tenants`;
  }

  /** The keys of one tenant in one generation, all in the slot of `{tenantId}`. */
  tenant(generation: number, tenantId: string): TenantKeyspace {
    const base = `${this.prefix}:g${generation}:{${tenantId}}`;
    return {
      records: `${base}:records`,
      versions: `${base}:versions`,
      seq: `${base}:seq`,
      last: `${base}:last`,
      log: `${base}:log`,
      jobs: `${base}:jobs`,
      jobData: `${base}:job-data`,
      jobCounter: `${base}:job-counter`,
      chain: `${base}:chain`,
      tokenId: (jti: string) => `${base}:jti:${jti}`,
      commit: (commitId: string) => `${base}:commit:${commitId}`,
      lease: (name: string) => `${base}:lease:${name}`,
    };
  }

  /** One idempotency key of one scope (an API key's scope). */
  idempotency(scope: string, key: string): string {
    return `${this.prefix}:idem:{${scope}}:${key}`;
  }

  /** Every idempotency key matches this pattern. */
  idempotencyPattern(): string {
    return `${this.prefix}:idem:*`;
  }

  /** One rate-limit key's bucket or window. */
  rateLimit(key: string): string {
    return `${this.prefix}:rl:{${key}}`;
  }

  /** Every rate-limit key matches this pattern. */
  rateLimitPattern(): string {
    return `${this.prefix}:rl:*`;
  }

  /** The request journal: a capped list of records. */
  journal(): string {
    return `${this.prefix}:{journal}:records`;
  }

  /** The request journal's `seq` counter. */
  journalSeq(): string {
    return `${this.prefix}:{journal}:seq`;
  }
}

/** The keys of one tenant (see {@link RedisKeys.tenant}). */
export interface TenantKeyspace {
  /** Hash: `collection id` → the record's JSON. */
  readonly records: string;
  /** Hash: `collection id` → the record's version (kept after a delete, so a version never repeats). */
  readonly versions: string;
  /** The last event `seq` assigned. */
  readonly seq: string;
  /** The id of the last entry of {@link log} (so a committer knows whether it missed one). */
  readonly last: string;
  /** Stream: one entry per commit, with its record writes and its events, in `seq` order. */
  readonly log: string;
  /** Sorted set: job id by when it is due (or, while leased, when its lease ends). */
  readonly jobs: string;
  /** Hash: job id → the job's JSON. */
  readonly jobData: string;
  /** Counter giving job ids in scheduling order. */
  readonly jobCounter: string;
  /** Hash `seq`, `hash`, `trimmedSeq`, `trimmedHash`: the hash-chain checkpoint every instance agrees on, and retention's. */
  readonly chain: string;
  /** A spent offer-token id, expiring with its token. */
  readonly tokenId: (jti: string) => string;
  /** A commit's reply, kept ten minutes so a commit sent twice (a lost reply) is applied once. */
  readonly commit: (commitId: string) => string;
  /** A lease one instance holds for a while (a webhook attempt being sent). */
  readonly lease: (name: string) => string;
}
