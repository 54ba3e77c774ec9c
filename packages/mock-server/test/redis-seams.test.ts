import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { createReferenceServer, type ReferenceServer } from '../src/server';
import type { ControlStateStore } from '../src/storage/control-state';
import type { IdempotencyStore } from '../src/storage/idempotency-store';
import { newJournalRecord } from '../src/journal/journal-record';
import type { JournalRecord, JournalStore } from '../src/storage/journal-store';
import { createMemoryControlState } from '../src/storage/memory/memory-control-state';
import { createMemoryIdempotencyStore } from '../src/storage/memory/memory-idempotency-store';
import { createMemoryJournalStore } from '../src/storage/memory/memory-journal-store';
import { createMemoryRateLimitStore } from '../src/storage/memory/memory-rate-limit-store';
import { MemoryStorage, type MemoryStorageOptions } from '../src/storage/memory/memory-storage';
import type { RateLimitStore, RateLimitStorePolicy } from '../src/storage/rate-limit-store';
import { createRedisControlState } from '../src/storage/redis/redis-control-state';
import { createRedisIdempotencyStore } from '../src/storage/redis/redis-idempotency-store';
import { createRedisJournalStore } from '../src/storage/redis/redis-journal-store';
import { RedisKeys } from '../src/storage/redis/redis-keys';
import { createRedisRateLimitStore, RATE_LIMIT_IDLE_MS } from '../src/storage/redis/redis-rate-limit-store';
import type { Storage } from '../src/storage/storage';
import { recordExchange } from './support/conformance-recorder';
import { startTestRedis, type TestRedis } from './support/redis-server';

const START = Date.parse('2026-11-25T18:00:00Z');
const LEASE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;
const ORIGIN = 'https://api.livedrop.test';

let redis: TestRedis;
/** Two connections, as two server instances would hold. */
let one: Redis;
let two: Redis;
let prefixes = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  one = new Redis({ path: redis.socket });
  two = new Redis({ path: redis.socket });
});

afterAll(async () => {
  await Promise.all([one?.quit(), two?.quit()]);
  await redis?.stop();
});

/** A key layout of the test's own: tests never see each other's keys. */
function freshKeys(): RedisKeys {
  return new RedisKeys(`t${++prefixes}`);
}

/** How each contract below gets a store: in memory, or in Redis (a fresh key prefix each time). */
const backends = [
  {
    name: 'memory',
    idempotency: (leaseMs?: number): IdempotencyStore =>
      createMemoryIdempotencyStore(leaseMs === undefined ? {} : { leaseMs }),
    rateLimits: (): RateLimitStore => createMemoryRateLimitStore(),
    control: (): ControlStateStore => createMemoryControlState(),
    journal: (size: number): JournalStore => createMemoryJournalStore(size),
  },
  {
    name: 'redis',
    idempotency: (leaseMs?: number): IdempotencyStore =>
      createRedisIdempotencyStore(one, freshKeys(), leaseMs === undefined ? {} : { leaseMs }),
    rateLimits: (): RateLimitStore => createRedisRateLimitStore(one, freshKeys()),
    control: (): ControlStateStore => createRedisControlState(one, freshKeys()),
    journal: (size: number): JournalStore => createRedisJournalStore(one, freshKeys(), size),
  },
] as const;

/** A journal record as the pipeline fills it in (`seq` is the store's to set). */
function journalRecord(path: string): JournalRecord {
  const record = newJournalRecord(new Request(`http://x${path}`), START);
  return { ...record, requestId: `req_${path}`, path, status: 200, durationMs: 1.25 };
}

describe.each(backends)('seam contracts ($name)', (backend) => {
  describe('idempotency store', () => {
    it('replays a stored response, refuses a live lease (in_use) and another request (reused), takes over an expired lease', async () => {
      const store = backend.idempotency(LEASE_MS);
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-1', START)).toEqual({ kind: 'proceed' });
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-2', START + LEASE_MS - 1)).toEqual({ kind: 'in_use' });
      expect(await store.begin('key_a', 'k1', 'other-fp', 'owner-2', START + 1)).toEqual({ kind: 'reused' });
      // owner-1 died: its lease ends and owner-2 runs the request.
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-2', START + LEASE_MS)).toEqual({ kind: 'proceed' });
      const response = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"sel_1"}' };
      // The dead owner, come back, can no longer store nor abandon anything.
      expect(await store.complete('key_a', 'k1', 'owner-1', { ...response, body: '{}' }, START + LEASE_MS + 1)).toBe(
        false,
      );
      expect(await store.abandon('key_a', 'k1', 'owner-1')).toBe(false);
      expect(await store.complete('key_a', 'k1', 'owner-2', response, START + LEASE_MS + 1)).toBe(true);
      expect(await store.complete('key_a', 'k1', 'owner-2', response, START + LEASE_MS + 2)).toBe(false);
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + 2)).toEqual({
        kind: 'replay',
        response,
      });
      expect(await store.begin('key_a', 'k1', 'other-fp', 'owner-3', START + LEASE_MS + 2)).toEqual({
        kind: 'reused',
      });
      // A stored response is kept 24 h from when it was stored, on the clock the caller passes.
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + DAY_MS)).toMatchObject({
        kind: 'replay',
      });
      expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + 1 + DAY_MS)).toEqual({
        kind: 'proceed',
      });
    });

    it('lets only the owner abandon its lease; scopes never collide; clear forgets every key', async () => {
      const store = backend.idempotency();
      await store.begin('key_a', 'k', 'fp', 'owner-1', START);
      expect(await store.abandon('key_a', 'k', 'owner-2')).toBe(false);
      expect(await store.begin('key_b', 'k', 'fp', 'owner-2', START)).toEqual({ kind: 'proceed' });
      expect(await store.abandon('key_a', 'k', 'owner-1')).toBe(true);
      expect(await store.abandon('key_a', 'k', 'owner-1')).toBe(false);
      expect(await store.begin('key_a', 'k', 'fp', 'owner-2', START)).toEqual({ kind: 'proceed' });
      await store.complete('key_a', 'k', 'owner-2', { status: 200, headers: {}, body: '' }, START);
      await store.clear();
      expect(await store.begin('key_a', 'k', 'other-fp', 'owner-3', START)).toEqual({ kind: 'proceed' });
      expect(await store.begin('key_b', 'k', 'other-fp', 'owner-3', START)).toEqual({ kind: 'proceed' });
    });
  });

  describe('rate-limit store', () => {
    const bucket: RateLimitStorePolicy = { kind: 'bucket', limit: 3, windowSeconds: 60 };
    const window: RateLimitStorePolicy = { kind: 'window', max: 2, windowSeconds: 10 };

    it('empties a bucket, answers when the next token comes, and refills it as the passed now moves', async () => {
      const store = backend.rateLimits();
      expect(await store.take('k', bucket, START)).toEqual({
        admitted: true,
        remaining: 2,
        resetMs: 20_000,
        retryAfterMs: 0,
      });
      await store.take('k', bucket, START);
      expect(await store.take('k', bucket, START)).toEqual({
        admitted: true,
        remaining: 0,
        resetMs: 60_000,
        retryAfterMs: 0,
      });
      expect(await store.take('k', bucket, START + 1_000)).toEqual({
        admitted: false,
        remaining: 0,
        resetMs: 59_000,
        retryAfterMs: 19_000,
      });
      // One token every 20 s: at +20 s one is back.
      expect(await store.take('k', bucket, START + 20_000)).toMatchObject({ admitted: true, remaining: 0 });
      expect(await store.take('k', bucket, START + 20_001)).toMatchObject({ admitted: false, retryAfterMs: 19_999 });
      // A whole window later the bucket is full again.
      expect(await store.take('k', bucket, START + 20_000 + 60_000)).toEqual({
        admitted: true,
        remaining: 2,
        resetMs: 20_000,
        retryAfterMs: 0,
      });
      // A clock set backwards does not drain it.
      expect(await store.take('k', bucket, START)).toMatchObject({ admitted: true, remaining: 1 });
      // Another key has a bucket of its own.
      expect(await store.take('other', bucket, START)).toMatchObject({ admitted: true, remaining: 2 });
    });

    it('counts a sliding window, hands a slot back, and answers the Retry-After of the oldest take', async () => {
      const store = backend.rateLimits();
      expect(await store.take('w', window, START)).toEqual({
        admitted: true,
        remaining: 1,
        resetMs: 10_000,
        retryAfterMs: 0,
      });
      expect(await store.take('w', window, START + 4_000)).toEqual({
        admitted: true,
        remaining: 0,
        resetMs: 10_000,
        retryAfterMs: 0,
      });
      expect(await store.take('w', window, START + 5_000)).toEqual({
        admitted: false,
        remaining: 0,
        resetMs: 9_000,
        retryAfterMs: 5_000,
      });
      // The request that took the slot at +4 s issued nothing: the slot is free again.
      await store.giveBack('w', START + 4_000);
      expect(await store.take('w', window, START + 5_000)).toMatchObject({ admitted: true, remaining: 0 });
      // The take at START leaves the window at +10 s exactly.
      expect(await store.take('w', window, START + 9_999)).toMatchObject({ admitted: false, retryAfterMs: 1 });
      expect(await store.take('w', window, START + 10_000)).toEqual({
        admitted: true,
        remaining: 0,
        resetMs: 10_000,
        retryAfterMs: 0,
      });
      // Two takes at the same instant are two slots; handing one back frees one.
      await store.clear();
      await store.take('same', window, START);
      await store.take('same', window, START);
      await store.giveBack('same', START);
      expect(await store.take('same', window, START)).toMatchObject({ admitted: true, remaining: 0 });
      expect(await store.take('same', window, START)).toMatchObject({ admitted: false });
    });

    it('clear starts every bucket full and every window empty', async () => {
      const store = backend.rateLimits();
      for (let i = 0; i < 3; i++) await store.take('b', bucket, START);
      for (let i = 0; i < 2; i++) await store.take('w', window, START);
      await store.clear();
      expect(await store.take('b', bucket, START)).toMatchObject({ admitted: true, remaining: 2 });
      expect(await store.take('w', window, START)).toMatchObject({ admitted: true, remaining: 1 });
    });
  });

  describe('control state', () => {
    it('moves the clock, sets faults, counts rule strikes and dice, and resets', async () => {
      const control = backend.control();
      const initial = await control.read();
      expect(initial).toMatchObject({ clockOffsetMs: 0, faults: {}, diceRolls: 0, resetEpoch: 0, version: 0 });
      expect(Object.isFrozen(initial)).toBe(true);

      expect(await control.advanceClock(60_000)).toMatchObject({ clockOffsetMs: 60_000, version: 1 });
      const faults = { errorRate: 0.5, seed: 7, paths: [], rules: [{ status: 503 as const, times: 2 }] };
      const set = await control.setFaults(faults);
      expect(set).toMatchObject({ faults, diceRolls: 0, version: 2 });
      expect(set.faults.paths).toEqual([]);
      expect([await control.rollDice(), await control.rollDice()]).toEqual([0, 1]);
      expect([await control.useRule(0, 2), await control.useRule(0, 2), await control.useRule(0, 2)]).toEqual([
        true,
        true,
        false,
      ]);
      expect(await control.useRule(3, 1)).toBe(true);
      const read = await control.read();
      expect(read).toMatchObject({ diceRolls: 2, version: 2, clockOffsetMs: 60_000 });
      expect(read.ruleUses[0]).toBe(2);
      expect(read.ruleUses[3]).toBe(1);
      expect(read.ruleUses[1] ?? 0).toBe(0);
      expect(Object.isFrozen(read)).toBe(true);
      // The same faults object while they stay, whatever else moves.
      expect(read.faults).toBe(set.faults);
      expect((await control.advanceClock(1)).faults).toBe(set.faults);

      // Setting faults anew restarts the dice and the strikes.
      const again = await control.setFaults(faults);
      expect(again).toMatchObject({ diceRolls: 0, ruleUses: [] });
      expect(await control.useRule(0, 2)).toBe(true);

      const reset = await control.reset();
      expect(reset).toMatchObject({ faults: {}, diceRolls: 0, ruleUses: [], resetEpoch: 1, clockOffsetMs: 60_001 });
      expect(await control.useRule(0, 2)).toBe(true);
      expect(await control.reset(true)).toMatchObject({ resetEpoch: 2, clockOffsetMs: 0 });
    });
  });

  describe('journal store', () => {
    it('keeps the newest records of a bounded ring, oldest first, counting those it pushed out', async () => {
      const journal = backend.journal(2);
      expect(journal.size).toBe(2);
      expect(await journal.read()).toEqual({ records: [], evicted: 0 });
      for (const path of ['/v1/a', '/v1/b', '/v1/c']) await journal.append(journalRecord(path));
      const snapshot = await journal.read();
      expect(snapshot.records.map((r) => [r.seq, r.path])).toEqual([
        [2, '/v1/b'],
        [3, '/v1/c'],
      ]);
      expect(snapshot.records[1]).toEqual({ ...journalRecord('/v1/c'), seq: 3 });
      expect(snapshot.evicted).toBe(1);
      await journal.clear();
      expect(await journal.read()).toEqual({ records: [], evicted: 0 });
      const next = journalRecord('/v1/d');
      await journal.append(next);
      expect(next.seq).toBe(1);
      expect((await journal.read()).records.map((r) => r.seq)).toEqual([1]);
    });
  });
});

describe('the Redis rate-limit store does the memory store’s math', () => {
  it('answers what the memory store answers for any run of takes and give-backs on a moving clock', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('take' as const), key: fc.constantFrom('a', 'b'), advance: fc.nat(30_000) }),
      fc.record({ kind: fc.constant('giveBack' as const), key: fc.constantFrom('a', 'b'), back: fc.nat(3) }),
    );
    const policy = fc.oneof(
      fc.record({
        kind: fc.constant('bucket' as const),
        limit: fc.integer({ min: 1, max: 5 }),
        windowSeconds: fc.integer({ min: 1, max: 60 }),
      }),
      fc.record({
        kind: fc.constant('window' as const),
        max: fc.integer({ min: 1, max: 5 }),
        windowSeconds: fc.integer({ min: 1, max: 60 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(policy, fc.array(op, { maxLength: 40 }), async (policy, ops) => {
        const memory = createMemoryRateLimitStore();
        const shared = createRedisRateLimitStore(one, freshKeys());
        let now = START;
        const taken: number[] = [];
        for (const step of ops) {
          if (step.kind === 'take') {
            now += step.advance;
            const expected = await memory.take(step.key, policy, now);
            expect(await shared.take(step.key, policy, now)).toEqual(expected);
            if (expected.admitted) taken.push(now);
          } else {
            const at = taken.at(-1 - step.back) ?? now;
            await memory.giveBack(step.key, at);
            await shared.giveBack(step.key, at);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('Redis seams shared by two instances (two connections)', () => {
  it('control state: a clock move through one is read through the other; rule strikes and dice are counted once', async () => {
    const keys = freshKeys();
    const a = createRedisControlState(one, keys);
    const b = createRedisControlState(two, keys);
    await a.advanceClock(3_600_000);
    expect(await b.read()).toMatchObject({ clockOffsetMs: 3_600_000, version: 1 });

    await b.setFaults({ seed: 42, rules: [{ status: 503, times: 3 }] });
    const strikes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).useRule(0, 3)));
    expect(strikes.filter(Boolean)).toHaveLength(3);
    expect((await a.read()).ruleUses).toEqual([3]);

    const rolls = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).rollDice()));
    expect([...rolls].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await b.read()).diceRolls).toBe(20);
  });

  it('control state: each instance answers the same faults object until faults are set again, and a frozen state', async () => {
    const keys = freshKeys();
    const a = createRedisControlState(one, keys);
    const b = createRedisControlState(two, keys);
    await a.setFaults({ errorRate: 1, paths: ['/v1/sellers'] });
    const first = await b.read();
    const second = await b.read();
    expect(second).toBe(first);
    expect(Object.isFrozen(first.faults)).toBe(true);
    expect(first.faults).toEqual({ errorRate: 1, paths: ['/v1/sellers'] });
    await a.rollDice();
    await a.advanceClock(5);
    const moved = await b.read();
    expect(moved).not.toBe(first);
    expect(moved).toMatchObject({ diceRolls: 1, clockOffsetMs: 5 });
    expect(moved.faults).toBe(first.faults);
    // The same faults set again are a new setting (the dice restart): a new object.
    await a.setFaults({ errorRate: 1, paths: ['/v1/sellers'] });
    const reset = await b.read();
    expect(reset.faults).not.toBe(first.faults);
    expect(reset.faults).toEqual(first.faults);
    expect(reset.diceRolls).toBe(0);
    await b.reset();
    expect((await a.read()).faults).toEqual({});
  });

  it('control state: read is one round trip', async () => {
    const keys = freshKeys();
    const control = createRedisControlState(one, keys);
    await control.setFaults({ errorRate: 0.5 });
    const monitor = await new Redis({ path: redis.socket }).monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    await control.read();
    await two.ping();
    monitor.disconnect();
    expect(commands.filter((name) => name !== 'ping')).toEqual(['hgetall']);
  });

  it('idempotency: one request of twenty concurrent ones with a key runs, and the other instance replays it', async () => {
    const keys = freshKeys();
    const a = createRedisIdempotencyStore(one, keys);
    const b = createRedisIdempotencyStore(two, keys);
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).begin('key_a', 'k', 'fp', `owner-${i}`, START)),
    );
    expect(decisions.filter((d) => d.kind === 'proceed')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'in_use')).toHaveLength(19);
    const owner = `owner-${decisions.findIndex((d) => d.kind === 'proceed')}`;
    const response = { status: 201, headers: { 'idempotent-replayed': 'false' }, body: '{"id":"sel_1"}' };
    expect(await b.complete('key_a', 'k', owner, response, START + 1)).toBe(true);
    expect(await a.begin('key_a', 'k', 'fp', 'owner-x', START + 2)).toEqual({ kind: 'replay', response });
  });

  it('idempotency: a key carries a real TTL of retention + lease, so Redis forgets it on its own', async () => {
    const keys = freshKeys();
    const store = createRedisIdempotencyStore(one, keys, { leaseMs: 1_000, retentionMs: 5_000 });
    await store.begin('key_a', 'k', 'fp', 'owner', START);
    const ttl = await one.pttl(keys.idempotency('key_a', 'k'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(6_000);
    await store.complete('key_a', 'k', 'owner', { status: 200, headers: {}, body: '' }, START);
    expect(await one.pttl(keys.idempotency('key_a', 'k'))).toBeGreaterThan(1_000);
  });

  it('idempotency: clear unlinks every key of its layout, over several SCAN batches, and none of another', async () => {
    const keys = freshKeys();
    const other = freshKeys();
    const store = createRedisIdempotencyStore(one, keys);
    await createRedisIdempotencyStore(two, other).begin('key_a', 'kept', 'fp', 'owner', START);
    for (let batch = 0; batch < 6; batch++)
      await Promise.all(
        Array.from({ length: 250 }, (_, i) => store.begin(`key_${batch}`, `k${i}`, 'fp', 'owner', START)),
      );
    const count = async (pattern: string) => {
      let found = 0;
      for await (const batch of one.scanStream({ match: pattern, count: 500 })) found += (batch as string[]).length;
      return found;
    };
    expect(await count(keys.idempotencyPattern())).toBe(1_500);
    await store.clear();
    expect(await count(keys.idempotencyPattern())).toBe(0);
    expect(await count(other.idempotencyPattern())).toBe(1);
  });

  it('rate limits: twenty concurrent takes through two instances spend a bucket of five exactly', async () => {
    const keys = freshKeys();
    const a = createRedisRateLimitStore(one, keys);
    const b = createRedisRateLimitStore(two, keys);
    const policy: RateLimitStorePolicy = { kind: 'bucket', limit: 5, windowSeconds: 10 };
    const takes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take('k', policy, START)),
    );
    expect(takes.filter((t) => t.admitted)).toHaveLength(5);
    expect(takes.filter((t) => !t.admitted).every((t) => t.retryAfterMs === 2_000)).toBe(true);
    // Advancing the passed now by the window refills the bucket for both.
    expect(await b.take('k', policy, START + 10_000)).toMatchObject({ admitted: true, remaining: 4 });
  });

  it('rate limits: a window never holds more than its max; every key carries a real TTL until it is at rest', async () => {
    const keys = freshKeys();
    const store = createRedisRateLimitStore(one, keys);
    const window: RateLimitStorePolicy = { kind: 'window', max: 3, windowSeconds: 1 };
    for (let i = 0; i < 100; i++) await store.take('w', window, START + i * 100);
    expect(await one.zcard(keys.rateLimit('w'))).toBeLessThanOrEqual(3);
    const taken = await store.take('b', { kind: 'bucket', limit: 2, windowSeconds: 1 }, START);
    const ttl = await one.pttl(keys.rateLimit('b'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(taken.resetMs + RATE_LIMIT_IDLE_MS);
  });

  it('journal: two instances number their requests as one, gap-free, and read the same ring', async () => {
    const keys = freshKeys();
    const a = createRedisJournalStore(one, keys, 10);
    const b = createRedisJournalStore(two, keys, 10);
    const records = Array.from({ length: 30 }, (_, i) => journalRecord(`/v1/r${i}`));
    await Promise.all(records.map((record, i) => (i % 2 === 0 ? a : b).append(record)));
    expect(records.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const seen = await a.read();
    expect(seen.records.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    expect(seen.evicted).toBe(20);
    expect(await b.read()).toEqual(seen);
    await b.clear();
    expect(await a.read()).toEqual({ records: [], evicted: 0 });
  });
});

describe('two reference servers over the Redis seams', () => {
  /** One request to `server`, as msw or a test would make it. */
  async function call(server: ReferenceServer, key: string, method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const request = new Request(`${ORIGIN}${path}`, init);
    const response = await server.handle(request);
    await recordExchange({ method, url: `${ORIGIN}${path}` }, response);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** Two servers sharing their records in memory, each with the Redis seams on a connection of its own. */
  function pair() {
    const keys = freshKeys();
    let records: MemoryStorage | undefined;
    const over =
      (connection: Redis) =>
      (context: MemoryStorageOptions): Storage => {
        records ??= new MemoryStorage(context);
        const shared = records;
        const storage: Storage = {
          get records() {
            return shared.records;
          },
          events: shared.events,
          scheduler: shared.scheduler,
          transact: (transition) => shared.transact(transition),
          reset: async () => {
            await shared.reset();
            await Promise.all([storage.idempotency.clear(), storage.rateLimits.clear()]);
          },
          idempotency: createRedisIdempotencyStore(connection, keys),
          rateLimits: createRedisRateLimitStore(connection, keys),
          control: createRedisControlState(connection, keys),
        };
        return storage;
      };
    const options = (connection: Redis) => ({
      clock: createManualClock(START),
      storage: over(connection),
      journal: { store: createRedisJournalStore(connection, keys, 100) },
      rateLimits: { routes: { createSeller: { perKey: { limit: 2, windowSeconds: 60 } } } },
    });
    const a = createReferenceServer(options(one));
    const b = createReferenceServer(options(two));
    return { a, b, secretKey: a.keys.secretKey };
  }

  it('share the clock, idempotent replays, rate limits and the journal', async () => {
    const { a, b, secretKey } = pair();
    expect((await call(a, a.controlKey, 'POST', '/__control/clock', { advanceMs: 3_600_000 })).status).toBe(200);
    expect((await call(b, b.controlKey, 'GET', '/__control/state')).body.now).toBe(
      new Date(START + 3_600_000).toISOString(),
    );

    const first = await a.handle(
      new Request(`${ORIGIN}/v1/sellers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: JSON.stringify({ name: 'Acme' }),
      }),
    );
    expect(first.status).toBe(201);
    const replay = await b.handle(
      new Request(`${ORIGIN}/v1/sellers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: JSON.stringify({ name: 'Acme' }),
      }),
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());

    // Two creates per minute per key, counted across both servers (the replay counts as one).
    const limited = await call(b, secretKey, 'POST', '/v1/sellers', { name: 'Second' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    // Moving the shared clock through the other server refills the bucket.
    await call(a, a.controlKey, 'POST', '/__control/clock', { advanceMs: 30_000 });
    expect((await call(b, secretKey, 'POST', '/v1/sellers', { name: 'Second' })).status).toBe(201);

    const journal = await call(b, b.controlKey, 'GET', '/__control/requests?path=/v1/sellers');
    expect(journal.body.data.map((entry: { status: number }) => entry.status)).toEqual([201, 201, 429, 201]);
  });
});
