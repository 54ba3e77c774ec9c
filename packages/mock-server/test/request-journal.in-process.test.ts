import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { createReferenceServer, type ReferenceServer } from '../src/server';
import { createMemoryJournalStore } from '../src/storage/memory/memory-journal-store';
import { ApiProblem } from '../src/problem';

const START = Date.parse('2026-11-25T18:00:00Z');
const ORIGIN = 'https://api.livedrop.test';

function call(server: ReferenceServer, method: string, path: string, body?: unknown, key = server.keys.secretKey) {
  return server.handle(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

describe('request journal in-process: server.control.requests and server.control.verify', () => {
  it('lists what server.handle answered, with the same filters as the HTTP route', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    await call(server, 'POST', '/v1/sellers', { name: 'Acme' });
    await call(server, 'POST', '/v1/sellers', { name: 'Acme' }, server.keys.creatorKey);
    await server.control.clock({ advanceMs: 1000 });
    await call(server, 'GET', '/v1/events?limit=5');

    const all = await server.control.requests();
    expect(all.data.map((e) => [e.seq, e.method, e.path, e.status, e.role])).toEqual([
      [1, 'POST', '/v1/sellers', 201, 'platform'],
      [2, 'POST', '/v1/sellers', 403, 'creator'],
      [3, 'GET', '/v1/events', 200, 'platform'],
    ]);
    expect(all.data[2]!.query).toEqual({ limit: '5' });
    expect(all.data[2]!.time).toBe('2026-11-25T18:00:01.000Z');
    expect((await server.control.requests({ status: '4xx' })).data.map((e) => e.seq)).toEqual([2]);
    expect((await server.control.requests({ since: '2026-11-25T18:00:01Z' })).data.map((e) => e.seq)).toEqual([3]);
    expect((await server.control.requests({ since: 1, limit: 1 })).data.map((e) => e.seq)).toEqual([2]);
    // The portable SHA-256 (in-process default) gives the digest node:crypto does.
    const body = JSON.stringify({ name: 'Acme' });
    expect(all.data[0]!.body).toEqual({
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('verifies, answering ok: false with near misses rather than throwing', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    await call(server, 'POST', '/v1/sellers', { name: 'Acme' }, server.keys.creatorKey);
    const passed = await server.control.verify({ method: 'POST', status: 403, role: 'creator' }, 1);
    expect(passed.ok).toBe(true);
    const failed = await server.control.verify({ method: 'POST', path: '/v1/sellers', role: 'platform' });
    expect(failed).toMatchObject({ ok: false, matched: 0, expected: { atLeast: 1, atMost: null } });
    expect(failed.nearMisses[0]!.mismatches).toEqual([{ field: 'role', expected: 'platform', actual: 'creator' }]);
    expect(failed.message).toContain('role: expected platform, was creator');
  });

  it('throws the problem for a bad matcher, and clears on reset', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    await call(server, 'GET', '/v1/events');
    await expect(server.control.verify({}, { atLeast: 2, atMost: 1 })).rejects.toBeInstanceOf(ApiProblem);
    await expect(server.control.requests({ status: 'teapot' })).rejects.toMatchObject({ code: 'validation_failed' });
    await server.control.reset();
    expect((await server.control.requests()).data).toEqual([]);
  });

  it('takes a journal store of your own (the seam a shared store implements), or none', async () => {
    const store = createMemoryJournalStore(2);
    const server = createReferenceServer({ journal: { store } });
    for (let i = 0; i < 3; i++) await call(server, 'GET', '/v1/events');
    const snapshot = await store.read();
    expect(snapshot.records.map((r) => r.seq)).toEqual([2, 3]);
    expect(snapshot.evicted).toBe(1);
    expect((await server.control.requests()).size).toBe(2);

    const off = createReferenceServer({ journal: false });
    expect(off.engine.journal).toBeNull();
    await expect(off.control.requests()).rejects.toMatchObject({ code: 'invalid_state' });
    expect(() => createReferenceServer({ journal: { size: 0 } })).toThrow(
      'journal.size must be an integer from 1 to 1000000 (got 0); pass false to turn the journal off.',
    );
  });
});
