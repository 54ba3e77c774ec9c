import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { createRandom } from '../src/faults';
import { startReferenceServer } from '../src/node';
import { createReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../src/server';
import type { IdempotencyStore, StoredResponse } from '../src/storage/idempotency-store';
import { createMemoryIdempotencyStore } from '../src/storage/memory/memory-idempotency-store';
import { MemoryStorage, type MemoryStorageOptions } from '../src/storage/memory/memory-storage';
import type { Storage } from '../src/storage/storage';
import { exemptFromConformance, recordExchange } from './support/conformance-recorder';
import { startDropWorld } from './support/drop-world';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const LEASE_MS = 60_000;
const ORIGIN = 'https://api.livedrop.test';

/** One in-process request to `server`, as msw or a test would make it. */
async function call(
  server: ReferenceServer,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await server.handle(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  await recordExchange({ method, url: `${ORIGIN}${path}` }, response);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** A `storage` option that gives every server it is passed to the same memory storage: one deployment. */
function sharedStorage() {
  let shared: Storage | undefined;
  return (context: MemoryStorageOptions): Storage => {
    shared ??= new MemoryStorage(context);
    return shared;
  };
}

/** A `storage` option: memory storage over `idempotency`. */
function withIdempotency(idempotency: IdempotencyStore) {
  return (context: MemoryStorageOptions): Storage => new MemoryStorage({ ...context, idempotency });
}

/** An idempotency store that remembers every fingerprint and stored response it was given. */
function recordingStore(inner: IdempotencyStore = createMemoryIdempotencyStore()) {
  const fingerprints: string[] = [];
  const stored: StoredResponse[] = [];
  const store: IdempotencyStore = {
    begin: (scope, key, fingerprint, owner, now) => {
      fingerprints.push(fingerprint);
      return inner.begin(scope, key, fingerprint, owner, now);
    },
    complete: (scope, key, owner, response, now) => {
      stored.push(response);
      return inner.complete(scope, key, owner, response, now);
    },
    abandon: (scope, key, owner) => inner.abandon(scope, key, owner),
    sweep: (now) => inner.sweep(now),
    clear: () => inner.clear(),
  };
  return { store, fingerprints, stored };
}

describe('idempotency store: the in-flight lease', () => {
  it('refuses a leased key to others until the lease runs out, then lets a retry take it over', async () => {
    const store = createMemoryIdempotencyStore({ leaseMs: LEASE_MS });
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-1', START)).toEqual({ kind: 'proceed' });
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-2', START + LEASE_MS - 1)).toEqual({ kind: 'in_use' });
    expect(await store.begin('key_a', 'k1', 'other-fp', 'owner-2', START + 1)).toEqual({ kind: 'reused' });
    // owner-1 died: its lease ends and owner-2 runs the request.
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-2', START + LEASE_MS)).toEqual({ kind: 'proceed' });
    const response = { status: 201, headers: {}, body: '{"id":"sel_1"}' };
    // The dead owner, come back, can no longer store nor abandon anything.
    expect(
      await store.complete('key_a', 'k1', 'owner-1', { ...response, body: '{"id":"sel_0"}' }, START + LEASE_MS + 1),
    ).toBe(false);
    expect(await store.abandon('key_a', 'k1', 'owner-1')).toBe(false);
    expect(await store.complete('key_a', 'k1', 'owner-2', response, START + LEASE_MS + 1)).toBe(true);
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + 2)).toEqual({
      kind: 'replay',
      response,
    });
    // A stored response outlives the lease: kept 24 h from when it was stored.
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + 1 + 24 * 3_600_000 - 1)).toMatchObject({
      kind: 'replay',
    });
    expect(await store.begin('key_a', 'k1', 'fp', 'owner-3', START + LEASE_MS + 1 + 24 * 3_600_000)).toEqual({
      kind: 'proceed',
    });
  });

  it('only lets the owner abandon its lease; other scopes never collide', async () => {
    const store = createMemoryIdempotencyStore();
    await store.begin('key_a', 'k', 'fp', 'owner-1', START);
    expect(await store.abandon('key_a', 'k', 'owner-2')).toBe(false);
    expect(await store.begin('key_b', 'k', 'fp', 'owner-2', START)).toEqual({ kind: 'proceed' });
    expect(await store.abandon('key_a', 'k', 'owner-1')).toBe(true);
    expect(await store.begin('key_a', 'k', 'fp', 'owner-2', START)).toEqual({ kind: 'proceed' });
    expect(await store.sweep(START + LEASE_MS)).toBe(2);
  });

  it('lets a retry run once the lease of a request that never finished has run out', async () => {
    const storage = sharedStorage();
    // Instance A takes the key and never answers: it stands for an instance that died mid-request.
    const dead = createReferenceServer({
      clock: createManualClock(START),
      storage,
      handlers: { createSeller: () => new Promise(() => undefined) },
    });
    const alive = createReferenceServer({ clock: createManualClock(START), storage });
    const secretKey = dead.keys.secretKey;
    const key = { 'idempotency-key': 'lease-orphan' };
    void call(dead, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const whileLeased = await call(alive, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    expect(whileLeased.status).toBe(409);
    expect(whileLeased.body.code).toBe('idempotency_key_in_use');

    expect((await call(alive, alive.controlKey, 'POST', '/__control/clock', { advanceMs: LEASE_MS - 1 })).status).toBe(
      200,
    );
    expect((await call(alive, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key)).status).toBe(409);
    expect((await call(alive, alive.controlKey, 'POST', '/__control/clock', { advanceMs: 1 })).status).toBe(200);
    const afterLease = await call(alive, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    expect(afterLease.status).toBe(201);
    expect(afterLease.headers.get('idempotent-replayed')).toBeNull();
    const replay = await call(alive, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(afterLease.body.id);
  });
});

describe('idempotency fingerprint', () => {
  it('is a SHA-256 hash: a stored record does not grow with a 500 kB body', async () => {
    const recorded = recordingStore();
    // The real handler refuses such a token (401, not stored); this one answers a small 201.
    const options: ReferenceServerOptions = {
      storage: withIdempotency(recorded.store),
      handlers: { createReservation: () => ({ status: 201, body: { ok: true } }) },
    };
    await using ld = await startReferenceServer(options);
    // Its createReservation handler is a stand-in that answers what the real one never would.
    exemptFromConformance(ld.url);
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const small = await api.post(
      '/v1/reservations',
      { offerToken: 'x', quantity: 1 },
      { headers: { 'idempotency-key': 'small' } },
    );
    // 500 kB of JSON (the token itself is capped at MAX_OFFER_TOKEN_LENGTH, so the rest is whitespace).
    const large = await api.post('/v1/reservations', undefined, {
      raw: `{"offerToken":"${'y'.repeat(4096)}","quantity":1${' '.repeat(500_000)}}`,
      headers: { 'idempotency-key': 'large' },
    });
    expect([small.status, large.status]).toEqual([201, 201]);
    expect(recorded.fingerprints).toHaveLength(2);
    for (const fingerprint of recorded.fingerprints) expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded.fingerprints[0]).not.toBe(recorded.fingerprints[1]);
    const sizes = recorded.stored.map((response) => JSON.stringify(response).length);
    expect(sizes).toHaveLength(2);
    expect(sizes[1]).toBe(sizes[0]);
    expect(sizes[1]).toBeLessThan(1_000);
  });

  it('covers the query: the same key with another query is 422 idempotency_key_reused', async () => {
    await using world = await startDropWorld();
    const { api } = world;
    const offer = await world.liveOffer((await world.liveSession()).id);
    const { reservation } = await world.reserve(offer.id, 'buyer_query');
    const key = { headers: { 'idempotency-key': 'query' } };
    const id = reservation.id as string;
    const first = await api.post(`/v1/reservations/${id}/release?clientSecret=one`, undefined, key);
    expect(first.status).toBe(200);
    const same = await api.post(`/v1/reservations/${id}/release?clientSecret=one`, undefined, key);
    expect(same.headers.get('idempotent-replayed')).toBe('true');
    const otherQuery = await api.post(`/v1/reservations/${id}/release?clientSecret=two`, undefined, key);
    expect(otherQuery.status).toBe(422);
    expect(otherQuery.body.code).toBe('idempotency_key_reused');
  });
});

describe('refusals that are never stored', () => {
  it('does not store a 401 from the handler: the same key answers afresh and stays free for another body', async () => {
    const recorded = recordingStore();
    await using ld = await startReferenceServer({
      clock: createManualClock(START),
      storage: withIdempotency(recorded.store),
    });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const key = { headers: { 'idempotency-key': 'bad-token' } };
    const first = await api.post('/v1/reservations', { offerToken: 'not-a-token', quantity: 1 }, key);
    expect(first.status).toBe(401);
    expect(first.body.code).toBe('token_invalid');
    const again = await api.post('/v1/reservations', { offerToken: 'not-a-token', quantity: 1 }, key);
    expect(again.status).toBe(401);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.requestId).not.toBe(first.body.requestId);
    // Nothing was kept under the key, so another body is not a reuse.
    const otherBody = await api.post('/v1/reservations', { offerToken: 'another-bad-token', quantity: 1 }, key);
    expect(otherBody.status).toBe(401);
    expect(recorded.stored).toEqual([]);
  });
});

describe('servers sharing the control state and the idempotency store', () => {
  function pair() {
    const storage = sharedStorage();
    const a = createReferenceServer({ clock: createManualClock(START), storage });
    const b = createReferenceServer({ clock: createManualClock(START), storage });
    return { a, b, secretKey: a.keys.secretKey };
  }

  it('see each other’s clock moves', async () => {
    const { a, b } = pair();
    const moved = await call(a, a.controlKey, 'POST', '/__control/clock', { advanceMs: 3_600_000 });
    expect(moved.body.now).toBe(new Date(START + 3_600_000).toISOString());
    const seen = await call(b, b.controlKey, 'GET', '/__control/state');
    expect(seen.body.now).toBe(new Date(START + 3_600_000).toISOString());
    expect(b.engine.clock.now()).toBe(START + 3_600_000);
    await call(b, b.controlKey, 'POST', '/__control/clock', { setTo: new Date(START + 7_200_000).toISOString() });
    await call(a, a.controlKey, 'GET', '/__control/state');
    expect(a.engine.clock.now()).toBe(START + 7_200_000);
  });

  it('see each other’s faults, and seeded dice decide as one server would', async () => {
    const { a, b, secretKey } = pair();
    expect(
      (await call(a, a.controlKey, 'POST', '/__control/faults', { errorRate: 1, paths: ['/v1/sellers'] })).status,
    ).toBe(200);
    expect((await call(b, secretKey, 'POST', '/v1/sellers', { name: 'Acme' })).status).toBe(503);
    expect((await call(b, b.controlKey, 'GET', '/__control/state')).body.faults).toEqual({
      errorRate: 1,
      paths: ['/v1/sellers'],
    });
    await call(b, b.controlKey, 'POST', '/__control/faults', {});
    expect((await call(a, secretKey, 'POST', '/v1/sellers', { name: 'Acme' })).status).toBe(201);

    await call(a, a.controlKey, 'POST', '/__control/faults', { errorRate: 0.5, seed: 42, paths: ['/v1/sellers'] });
    const statuses: number[] = [];
    for (let index = 0; index < 20; index++)
      statuses.push(
        (await call(index % 2 === 0 ? a : b, secretKey, 'POST', '/v1/sellers', { name: `S${index}` })).status,
      );
    const dice = createRandom(42);
    const expected = statuses.map(() => (dice() < 0.5 ? 503 : 201));
    expect(statuses).toEqual(expected);
    expect(new Set(statuses)).toEqual(new Set([201, 503]));
  });

  it('see each other’s idempotency keys', async () => {
    const { a, b, secretKey } = pair();
    const key = { 'idempotency-key': 'shared-key' };
    const first = await call(a, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    expect(first.status).toBe(201);
    const onB = await call(b, secretKey, 'POST', '/v1/sellers', { name: 'Acme' }, key);
    expect(onB.status).toBe(201);
    expect(onB.headers.get('idempotent-replayed')).toBe('true');
    expect(onB.body).toEqual(first.body);
    const reused = await call(b, secretKey, 'POST', '/v1/sellers', { name: 'Other' }, key);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('follow a reset made through another instance: the epoch moves and the other forgets its objects', async () => {
    const { a, b } = pair();
    const seller = await call(b, b.keys.secretKey, 'POST', '/v1/sellers', { name: 'Acme' });
    expect(seller.status).toBe(201);
    expect(b.engine.resetEpoch).toBe(0);
    expect((await call(a, a.controlKey, 'POST', '/__control/reset')).status).toBe(200);
    expect(a.engine.resetEpoch).toBe(1);
    const after = await call(b, b.keys.secretKey, 'GET', `/v1/sellers/${seller.body.id}`);
    expect(b.engine.resetEpoch).toBe(1);
    expect(after.status).toBe(404);
  });
});

describe('one entry point for every transport', () => {
  it('serves any ReferenceServer over node:http through handle(), with a Request that reads like a real one', async () => {
    const inner = createReferenceServer();
    const server: ReferenceServer = {
      engine: inner.engine,
      keys: inner.keys,
      controlKey: inner.controlKey,
      control: inner.control,
      workspaces: inner.workspaces,
      async handle(request) {
        expect(request).toBeInstanceOf(Request);
        const body = (await request.json()) as unknown;
        return Response.json(
          {
            method: request.method,
            path: new URL(request.url).pathname,
            auth: request.headers.get('authorization'),
            body,
          },
          { status: 202 },
        );
      },
    };
    const { serve } = await import('../src/node');
    await using running = await serve(server);
    // An echo server, not the API: the transport is under test here, not the contract.
    exemptFromConformance(running.url);
    const response = await apiAs(running.url, 'sk_test_x').post('/v1/anything', { hello: 'world' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      method: 'POST',
      path: '/v1/anything',
      auth: 'Bearer sk_test_x',
      body: { hello: 'world' },
    });
  });

  it('answers a real Request in-process with a real Response', async () => {
    const server = createReferenceServer();
    const response = await server.handle(
      new Request(`${ORIGIN}/.well-known/jwks.json`, {
        headers: { authorization: `Bearer ${server.keys.publishableKey}` },
      }),
    );
    await recordExchange({ method: 'GET', url: `${ORIGIN}/.well-known/jwks.json` }, response);
    expect(Object.getPrototypeOf(response)).toBe(Response.prototype);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });
});
