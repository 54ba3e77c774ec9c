import type { Redis } from 'ioredis';
import { isoTime, type Clock } from '../../clock';
import { EventLog, type HashFn } from '../../event-log';
import { newId, randomToken } from '../../ids';
import { ApiProblem } from '../../problem';
import { Store } from '../../store';
import type { ControlStateStore } from '../control-state';
import type { RedisControlState } from './redis-control-state';
import type { IdempotencyStore } from '../idempotency-store';
import type { JournalStore } from '../journal-store';
import type { RateLimitStore } from '../rate-limit-store';
import type { SharedKeys, Storage } from '../storage';
import type { Transaction } from '../transaction';
import { COMMIT_LUA, LOAD_LUA, MAX_COMMIT_ITEMS, MAX_COMMIT_WRITES } from './commit-script';
import { RedisEventLogs } from './redis-event-logs';
import type { RedisKeys } from './redis-keys';
import { RedisScheduler } from './redis-scheduler';
import { unlinkMatching } from './unlink-matching';
import { RedisTransaction, UNITS_COLLECTION, type CommitWrite } from './redis-transaction';
import {
  applyWrite,
  type CommitEntry,
  compareEntryIds,
  decodeEntry,
  parseValue,
  TenantReplica,
} from './tenant-replica';

/** The commands this storage defines on its connection (scripts sent by EVALSHA, EVAL after a Redis restart). */
interface ScriptedRedis extends Redis {
  ldCommit(numKeys: number, ...args: (string | number)[]): Promise<(string | number)[]>;
  ldLoad(...args: string[]): Promise<[string, string, string[], string[], string, string]>;
}

/** The stores of the seams that are not the records' (idempotency, rate limits, control, journal), built on this storage's connection. */
export interface RedisSideStores {
  readonly idempotency: IdempotencyStore;
  readonly rateLimits: RateLimitStore;
  readonly control: RedisControlState;
  readonly journal: (size: number) => JournalStore;
}

/** Options of {@link RedisStorage}. */
export interface RedisStorageOptions {
  /** The engine's clock. */
  readonly clock: Clock;
  /** SHA-256 for the events' hash chain. */
  readonly hash: HashFn;
  /** The CloudEvents `source` of every event. */
  readonly source: string;
  /** The connection (this storage defines its scripts on it and owns it: {@link RedisStorage.close} quits it). */
  readonly redis: Redis;
  /** The key layout. */
  readonly keys: RedisKeys;
  /** The other seams' stores, on the same connection. */
  readonly side: (redis: Redis, keys: RedisKeys) => RedisSideStores;
}

/** How many times a transition runs again after another instance changed what it read, before the request fails. */
const MAX_ATTEMPTS = 100;
/** How long the tail blocks in XREAD before it looks again at the generation (ms). */
const TAIL_BLOCK_MS = 1000;
/** Entries read per XREAD / XRANGE. */
const TAIL_BATCH = 512;
/** How long the keys of a generation a reset left outlive it, so every instance reads the reset marker first (ms). */
const UNLINK_DELAY_MS = 5000;

/**
 * The engine's state in Redis, shared by every instance pointed at the same server.
 *
 * Each instance keeps a replica of the records and event logs in memory, loaded from a snapshot
 * and kept current by tailing each tenant's commit stream (`XREAD BLOCK`). A transition runs on
 * the replica and is committed by one Lua script ({@link COMMIT_LUA}) that checks the version of
 * every field it read, spends its token ids (`SET NX PX`, for as long as the token lives on the engine's clock), writes the records, assigns the events'
 * `seq`, appends the commit to the stream and schedules its jobs — atomically, or not at all; when
 * another instance changed something it read, the replica takes the new values and the transition
 * runs again. Writes are therefore serializable across instances; reads of the replica may trail
 * another instance's commits by the stream's lag (see `docs/scale-out.md`).
 */
export class RedisStorage implements Storage {
  readonly records = new Store();
  readonly events: RedisEventLogs;
  readonly scheduler: RedisScheduler;
  readonly idempotency: IdempotencyStore;
  readonly rateLimits: RateLimitStore;
  readonly control: ControlStateStore;
  readonly keys: RedisKeys;
  /** The control state, followed by the tail so that reading it costs no round trip. */
  readonly #control: RedisControlState;
  /** The last entry of the control changes read. */
  #controlCursor = '0-0';
  readonly #redis: ScriptedRedis;
  readonly #reader: Redis;
  readonly #clock: Clock;
  readonly #hash: HashFn;
  readonly #source: string;
  readonly #journal: (size: number) => JournalStore;
  /** The version of every field the replica holds (kept after a delete). */
  readonly #versions = new Map<string, number>();
  /** The tenants this instance follows, by id. */
  readonly #tenants = new Map<string, TenantReplica>();
  /** The generation the replica holds; a reset moves every instance to the next. */
  #generation = 0;
  /** The last entry of the tenant directory read. */
  #directoryCursor = '0-0';
  /** Settles once the replica is loaded (again, after a reset). Commits wait for it. */
  #loaded: Promise<void>;
  /** Commits of this instance, one after another (instances still commit concurrently). */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #tailing: Promise<void> | undefined;
  /** When the tail last caught up with the streams (epoch ms, wall clock), for the lag metric. */
  #caughtUpAt = Date.now();
  /** A chain mismatch found between this instance's log and the checkpoint another wrote. */
  chainMismatch: { tenantId: string; seq: number } | null = null;

  constructor(options: RedisStorageOptions) {
    this.#redis = options.redis as ScriptedRedis;
    this.#redis.defineCommand('ldCommit', { lua: COMMIT_LUA });
    this.#redis.defineCommand('ldLoad', { numberOfKeys: 5, lua: LOAD_LUA });
    this.#reader = options.redis.duplicate();
    this.keys = options.keys;
    this.#clock = options.clock;
    this.#hash = options.hash;
    this.#source = options.source;
    const side = options.side(options.redis, options.keys);
    this.idempotency = side.idempotency;
    this.rateLimits = side.rateLimits;
    this.control = side.control;
    this.#control = side.control;
    this.#journal = side.journal;
    this.events = new RedisEventLogs(this, options.redis);
    this.scheduler = new RedisScheduler(this, options.redis);
    this.#loaded = this.#load();
    this.#loaded.catch(() => {});
  }

  /** Resolves once the replica is loaded; rejects when Redis could not be read. */
  open(): Promise<void> {
    return this.#loaded;
  }

  /** The generation of tenant keys in use. */
  get generation(): number {
    return this.#generation;
  }

  /** The tenants followed, by id. */
  get tenants(): ReadonlyMap<string, TenantReplica> {
    return this.#tenants;
  }

  /** The tenant's replica, made (empty, to be loaded) on first use, so a follower can wait on its log. */
  tenant(tenantId: string): TenantReplica {
    let tenant = this.#tenants.get(tenantId);
    if (!tenant) {
      tenant = new TenantReplica(tenantId, this.keys.tenant(this.#generation, tenantId), this.#hash, this.#source);
      this.#tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  /** A journal store of `size` records in Redis, shared by every instance. */
  journal(size: number): JournalStore {
    return this.#journal(size);
  }

  /**
   * Claims the default tenant's keys and the control key for `proposed`, unless another instance
   * claimed them first: answers the keys every instance on this Redis prints.
   */
  async claimDefaultTenant(proposed: SharedKeys): Promise<SharedKeys> {
    await this.#redis.set(this.keys.defaultTenant(), JSON.stringify(proposed), 'NX');
    const claimed = await this.#redis.get(this.keys.defaultTenant());
    return claimed === null ? proposed : (JSON.parse(claimed) as SharedKeys);
  }

  async lease(tenantId: string, name: string, ms: number): Promise<boolean> {
    const key = this.keys.tenant(this.#generation, tenantId).lease(name);
    return (await this.#redis.set(key, '1', 'PX', Math.max(1, Math.ceil(ms)), 'NX')) === 'OK';
  }

  /** Whether Redis answers and the replica is loaded, for `/readyz`. */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, boolean | string> }> {
    let redis: boolean | string = false;
    try {
      redis = (await this.#redis.ping()) === 'PONG';
    } catch (error) {
      redis = String(error);
    }
    const loaded = await this.#loaded.then(
      () => true,
      (error: unknown) => String(error),
    );
    const chain = this.chainMismatch
      ? `mismatch at seq ${this.chainMismatch.seq} of ${this.chainMismatch.tenantId}`
      : true;
    return { ready: redis === true && loaded === true && chain === true, checks: { redis, loaded, chain } };
  }

  /** Milliseconds since the tail last caught up with every stream (0 while it is caught up). */
  streamLag(): number {
    return this.#tailing ? Math.max(0, Date.now() - this.#caughtUpAt - TAIL_BLOCK_MS) : 0;
  }

  transact<R>(transition: (tx: Transaction) => R): Promise<R> {
    const run = this.#queue.then(() => this.#transact(transition));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #transact<R>(transition: (tx: Transaction) => R): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      await this.#loaded;
      const tx = new RedisTransaction(this.records, this.#versions, this.#clock.now(), (jti, now) => {
        const forgetAt = this.records.spentTokenIds.get(jti);
        return forgetAt !== undefined && forgetAt > now;
      });
      const result = transition(tx);
      const writes = tx.writes();
      if (writes.length === 0 && tx.events.length === 0 && tx.jobs.length === 0 && tx.spent.size === 0) return result;
      const tenantId = tx.tenantOf(writes);
      if (tenantId === undefined) return result;
      if (await this.#commit(tenantId, tx, writes)) return result;
      if (attempt >= MAX_ATTEMPTS)
        throw new ApiProblem(
          'service_unavailable',
          'Too many concurrent changes to the same records; retry the request after a moment.',
          { headers: { 'retry-after': '1' } },
        );
    }
  }

  /** Sends one commit; answers true once applied, false when the transition must run again. */
  async #commit(tenantId: string, tx: RedisTransaction, writes: readonly CommitWrite[]): Promise<boolean> {
    const tenant = await this.#follow(tenantId);
    const reads: string[] = [];
    for (const [field, { version }] of tx.reads) {
      // Another tenant's record is not in this tenant's slot; a missing one is checked here (absent).
      const owner = this.#tenantOfField(field);
      if (owner !== undefined && owner !== tenantId) continue;
      reads.push(field, String(version));
    }
    const jtis = [...tx.spent];
    const size = reads.length / 2 + jtis.length + writes.length + tx.jobs.length + tx.events.length;
    if (size > MAX_COMMIT_ITEMS || writes.length > MAX_COMMIT_WRITES)
      throw new Error(
        `A transaction of ${size} items (${writes.length} writes) is past the commit bounds of ${MAX_COMMIT_ITEMS} items and ${MAX_COMMIT_WRITES} writes.`,
      );
    const eventIds = tx.events.map(() => newId('event'));
    const eventsJson = JSON.stringify(
      tx.events.map((event, index) => [eventIds[index], event.type, event.subject, event.dataJson]),
    );
    const time = isoTime(tx.now);
    const { keys } = tenant;
    const args: (string | number)[] = [
      10 + jtis.length,
      this.keys.generation(),
      keys.records,
      keys.versions,
      keys.seq,
      keys.last,
      keys.log,
      keys.jobs,
      keys.jobData,
      keys.jobCounter,
      keys.commit(randomToken(16)),
      ...jtis.map(([jti]) => keys.tokenId(jti)),
      String(this.#generation),
      reads.length / 2,
      ...reads,
      ...jtis.map(([, expiresAt]) => Math.max(1, Math.ceil(expiresAt - tx.now))),
      writes.length,
      ...writes.flatMap(({ field, json }) => [field, json]),
      tx.jobs.length,
      ...tx.jobs.flatMap(({ at, job }) => [at, JSON.stringify({ at, job })]),
      tx.events.length,
      eventsJson,
      time,
    ];
    const reply = await this.#redis.ldCommit(...(args as [number, ...string[]]));
    switch (reply[0]) {
      case 'ok': {
        const [, seq0, entryId, previous, ...versions] = reply as [string, number, string, string, ...number[]];
        if (previous === tenant.cursor && tenant.loaded) {
          this.#apply(tenant, {
            id: entryId,
            seq0: Number(seq0),
            time,
            events: tx.events.map((event, index) => [eventIds[index]!, event.type, event.subject, event.dataJson]),
            writes: writes.map(({ field, value }, index) => ({ field, value, version: Number(versions[index]) })),
            ...(tx.jobs.length > 0 ? { firstJobAt: Math.min(...tx.jobs.map(({ at }) => at)) } : {}),
          });
        } else await this.#catchUp(tenant, entryId);
        for (const [jti, expiresAt] of jtis) this.records.spentTokenIds.set(jti, expiresAt);
        return true;
      }
      case 'stale':
        for (let index = 1; index < reply.length; index += 3) {
          const field = String(reply[index]);
          applyWrite(
            { field, version: Number(reply[index + 1]), value: parseValue(field, String(reply[index + 2])) },
            this.records,
            this.#versions,
          );
        }
        return false;
      case 'spent':
        for (const index of reply.slice(1)) {
          const [jti, expiresAt] = jtis[Number(index)]!;
          this.records.spentTokenIds.set(jti, expiresAt);
        }
        return false;
      case 'generation':
        await this.#reload(Number(reply[1]));
        return false;
      default:
        throw new Error(`The commit script answered ${String(reply[0])}.`);
    }
  }

  /** The tenant a replica field belongs to (undefined when the replica does not hold it). */
  #tenantOfField(field: string): string | undefined {
    const space = field.indexOf(' ');
    const collection = field.slice(0, space);
    const id = field.slice(space + 1);
    if (collection === 'tenants') return id;
    if (collection === UNITS_COLLECTION) {
      const offerId = id.slice(0, id.indexOf(' '));
      return this.records.offers.get(offerId)?.tenantId;
    }
    const record = this.records.collection(collection as 'offers').get(id) as { tenantId?: string } | undefined;
    return record?.tenantId;
  }

  /** The tenant's replica, loaded; a tenant new to this generation is first added to the directory. */
  async #follow(tenantId: string): Promise<TenantReplica> {
    const known = this.#tenants.get(tenantId);
    if (known?.loaded) return known;
    await this.#redis.xadd(this.keys.tenants(this.#generation), '*', 't', tenantId);
    return this.#loadTenant(tenantId);
  }

  /** Loads one tenant's snapshot and rebuilds its event log from its stream. */
  async #loadTenant(tenantId: string): Promise<TenantReplica> {
    const tenant = this.tenant(tenantId);
    if (tenant.loaded) return tenant;
    const { keys } = tenant;
    const [generation, last, records, versions, trimmedSeq, trimmedHash] = await this.#redis.ldLoad(
      this.keys.generation(),
      keys.records,
      keys.versions,
      keys.last,
      keys.chain,
    );
    if (Number(generation) !== this.#generation) {
      await this.#reload(Number(generation));
      return this.#loadTenant(tenantId);
    }
    if (tenant.loaded) return tenant;
    const versionOf = new Map<string, number>();
    for (let index = 0; index < versions.length; index += 2)
      versionOf.set(versions[index]!, Number(versions[index + 1]));
    for (let index = 0; index < records.length; index += 2) {
      const field = records[index]!;
      applyWrite(
        { field, version: versionOf.get(field) ?? 1, value: parseValue(field, records[index + 1]!) },
        this.records,
        this.#versions,
      );
    }
    for (const [field, version] of versionOf)
      if ((this.#versions.get(field) ?? 0) < version) this.#versions.set(field, version);
    // The log from the retention checkpoint on: events only (the records came with the snapshot).
    if (Number(trimmedSeq) > 0 && tenant.log.headSeq === 0)
      tenant.log = new EventLog({
        hash: this.#hash,
        source: this.#source,
        checkpoint: { seq: Number(trimmedSeq), hash: trimmedHash },
      });
    let from = '-';
    for (;;) {
      const page = (await this.#redis.xrange(keys.log, from, last, 'COUNT', TAIL_BATCH)) as [string, string[]][];
      for (const [id, fields] of page) {
        const entry = decodeEntry(id, fields);
        tenant.apply({ ...entry, writes: [] }, this.records, this.#versions);
      }
      if (page.length < TAIL_BATCH) break;
      from = `(${page.at(-1)![0]}`;
    }
    tenant.cursor = last;
    tenant.loaded = true;
    // Its jobs were scheduled before this instance followed it: the next sweep asks Redis.
    this.scheduler.forgetDue();
    return tenant;
  }

  /** Applies a commit entry to the tenant's replica; the jobs it scheduled tell the sweeper when it has work. */
  #apply(tenant: TenantReplica, entry: CommitEntry): void {
    if (tenant.apply(entry, this.records, this.#versions) && entry.firstJobAt !== undefined)
      this.scheduler.noteDue(entry.firstJobAt);
  }

  /** Reads and applies the tenant's entries after its cursor, through `through`. */
  async #catchUp(tenant: TenantReplica, through: string): Promise<void> {
    while (compareEntryIds(tenant.cursor, through) < 0) {
      const page = (await this.#redis.xrange(tenant.keys.log, `(${tenant.cursor}`, through, 'COUNT', TAIL_BATCH)) as [
        string,
        string[],
      ][];
      if (page.length === 0) return;
      for (const [id, fields] of page) this.#apply(tenant, decodeEntry(id, fields));
    }
  }

  /** Loads the replica: the generation, the directory's tenants, then follows the streams. */
  async #load(): Promise<void> {
    this.#generation = Number((await this.#redis.get(this.keys.generation())) ?? 0);
    this.#controlCursor = await this.#control.follow();
    await this.#readDirectory();
    this.#tailing ??= this.#tail();
  }

  /** Reads the directory from its cursor and loads every tenant not yet followed. */
  async #readDirectory(): Promise<boolean> {
    const entries = (await this.#redis.xrange(
      this.keys.tenants(this.#generation),
      this.#directoryCursor === '0-0' ? '-' : `(${this.#directoryCursor}`,
      '+',
    )) as [string, string[]][];
    let reset = false;
    for (const [id, fields] of entries) {
      this.#directoryCursor = id;
      if (fields[0] === 'reset') reset = true;
      else if (fields[0] === 't') await this.#loadTenant(fields[1]!);
    }
    return reset;
  }

  /** Forgets the replica and loads generation `generation` (a reset made through some instance). */
  async #reload(generation: number): Promise<void> {
    if (generation === this.#generation) return;
    const reloaded = (async () => {
      this.#generation = generation;
      this.#directoryCursor = '0-0';
      for (const tenant of this.#tenants.values()) tenant.log.close();
      this.#tenants.clear();
      this.records.clear();
      this.#versions.clear();
      await this.#readDirectory();
    })();
    this.#loaded = reloaded;
    await reloaded;
  }

  /**
   * Follows every tenant's stream and the directory on a connection of its own (`XREAD BLOCK`),
   * applying other instances' commits to the replica as they land.
   */
  async #tail(): Promise<void> {
    while (!this.#closed) {
      try {
        await this.#loaded;
        const tenants = [...this.#tenants.values()].filter((tenant) => tenant.loaded);
        const directory = this.keys.tenants(this.#generation);
        const control = this.#control.changes;
        const streams = [directory, control, ...tenants.map((tenant) => tenant.keys.log)];
        const cursors = [this.#directoryCursor, this.#controlCursor, ...tenants.map((tenant) => tenant.cursor)];
        const result = (await this.#reader.xread(
          'COUNT',
          TAIL_BATCH,
          'BLOCK',
          TAIL_BLOCK_MS,
          'STREAMS',
          ...streams,
          ...cursors,
        )) as [string, [string, string[]][]][] | null;
        if (this.#closed) return;
        // The generation is looked at when the directory says a reset happened, and on each idle
        // wake-up; not after every read, which would put a round trip before each fan-out.
        let lookAtGeneration = !result;
        for (const [stream, entries] of result ?? []) {
          if (stream === directory) {
            lookAtGeneration = (await this.#readDirectory()) || lookAtGeneration;
            continue;
          }
          if (stream === control) {
            this.#controlCursor = entries.at(-1)![0];
            await this.#control.refresh();
            continue;
          }
          const tenant = tenants.find((candidate) => candidate.keys.log === stream);
          if (!tenant || this.#tenants.get(tenant.tenantId) !== tenant) continue;
          for (const [id, fields] of entries) this.#apply(tenant, decodeEntry(id, fields));
          this.events.checkChain(tenant);
        }
        if (lookAtGeneration) {
          const generation = Number((await this.#redis.get(this.keys.generation())) ?? 0);
          if (generation !== this.#generation) {
            await this.#reload(generation);
            continue;
          }
        }
        if (!result || result.every(([, entries]) => entries.length < TAIL_BATCH)) this.#caughtUpAt = Date.now();
      } catch (error) {
        if (this.#closed) return;
        console.error('[livedrop-mock] following the Redis streams failed; retrying', error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  async reset(): Promise<void> {
    await this.#loaded;
    const old = this.#generation;
    // The generation moves first, so an instance that reads the marker finds the new one.
    const generation = await this.#redis.incr(this.keys.generation());
    await this.#redis.xadd(this.keys.tenants(old), '*', 'reset', '1');
    await Promise.all([this.idempotency.clear(), this.rateLimits.clear()]);
    await this.#reload(generation);
    setTimeout(() => {
      // A storage closed meanwhile has quit its connection: the walk fails, and nothing is left to do.
      if (!this.#closed) void unlinkMatching(this.#redis, this.keys.generationPattern(old)).catch(() => {});
    }, UNLINK_DELAY_MS).unref();
  }

  /** Stops following the streams and closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Followers of a closed log start over on the tenant's log; after close that is a new, silent one.
    for (const tenant of this.#tenants.values()) tenant.log.close();
    this.#tenants.clear();
    this.#reader.disconnect();
    await this.#queue;
    await this.#redis.quit().catch(() => {});
  }
}
