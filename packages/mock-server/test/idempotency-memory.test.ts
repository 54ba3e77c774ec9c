import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import {
  createMemoryIdempotencyStore,
  MemoryStorage,
  type IdempotencyStore,
  type MemoryStorageOptions,
  type Storage,
} from '../src/index';
import { createLightRequest } from '../src/http/light-request';
import type { ServerRequest } from '../src/http/server-request';
import { startReferenceServer } from '../src/node';
import { START } from './support/drop-world';

/** Requests sent with the publishable key, each with its own Idempotency-Key and a 1 MB body. */
const REQUESTS = 20_000;
/** How many of them go over real HTTP (the rest through `server.handle`, the pipeline every transport uses). */
const OVER_HTTP = 400;
/** Keyed requests with a real offer token and a body of normal size: they run and their answer is stored. */
const WITH_REAL_TOKEN = 1_000;
/** Units on sale: the first holds succeed, the rest meet `sold_out`, a refusal that is stored. */
const UNITS = 100;
/** Keyed 1 MB bodies the secret key sends (its limit is 1 MiB): parsed, run and stored, as a response only. */
const SECRET_KEY_REQUESTS = 200;
/** Every hostile body is this long: a JSON object padded with whitespace. */
const BODY_BYTES = 1_000_000;

/**
 * What the whole run may add to the heap once garbage is collected: 1,200 stored answers, 100 holds
 * and 200 sellers with their events, 1,000 spent token ids and buyers' rate-limit buckets. Measured
 * at 2–4 MiB (docs/operations.md); a server that kept the 20 GB of request bodies, or records
 * holding them, would not fit.
 */
const MAX_HEAP_GROWTH_BYTES = 24 * 1024 * 1024;
/**
 * What the process's resident set may grow by: loose, since the allocator keeps pages it freed
 * (measured: 15–20 MiB), yet 20 GB of bodies kept anywhere could not fit under it.
 */
const MAX_RSS_GROWTH_BYTES = 256 * 1024 * 1024;
/** What one stored answer may weigh: its response (a reservation or a problem), never its request. */
const MAX_STORED_RESPONSE_BYTES = 2 * 1024;

/** `global.gc`, exposed at run time so the worker needs no `--expose-gc` flag. */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function heapAfterGc(gc: () => void): Promise<number> {
  // Twice, with a turn between, so what the first pass finalized is collected by the second.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
}

/** An idempotency store that counts what it holds: fingerprints begun, answers stored and their bytes. */
function countingStore(inner: IdempotencyStore = createMemoryIdempotencyStore()) {
  const counts = { begun: 0, stored: 0, storedBytes: 0, largestStored: 0, fingerprintLengths: new Set<number>() };
  const store: IdempotencyStore = {
    begin: (scope, key, fingerprint, owner, now) => {
      counts.begun++;
      counts.fingerprintLengths.add(fingerprint.length);
      return inner.begin(scope, key, fingerprint, owner, now);
    },
    complete: async (scope, key, owner, response, now) => {
      const done = await inner.complete(scope, key, owner, response, now);
      if (done) {
        const bytes = response.body.length + JSON.stringify(response.headers).length;
        counts.stored++;
        counts.storedBytes += bytes;
        counts.largestStored = Math.max(counts.largestStored, bytes);
      }
      return done;
    },
    abandon: (scope, key, owner) => inner.abandon(scope, key, owner),
    sweep: (now) => inner.sweep(now),
    clear: () => inner.clear(),
  };
  return { store, counts };
}

/** `body` as JSON padded with spaces to exactly {@link BODY_BYTES}: valid, whatever its size, for the schema. */
function paddedBody(body: object): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(body);
  return new TextEncoder().encode(`${json.slice(0, -1)}${' '.repeat(BODY_BYTES - json.length)}}`);
}

/**
 * A POST as the node transport hands it to `server.handle`: a light request whose body arrives as
 * one chunk already in memory, so the run measures the pipeline, not the making of 20 GB of streams.
 */
function lightPost(url: string, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>): Request {
  const view: ServerRequest = {
    method: 'POST',
    url,
    headers: new Headers({ ...headers, 'content-length': String(body.byteLength) }),
    signal: new AbortController().signal,
    async readBody(onChunk) {
      onChunk(body);
    },
  };
  return createLightRequest(view, () => new Request(url, { method: 'POST', headers, body }));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

describe('idempotency memory under the publishable key', () => {
  it(`${REQUESTS.toLocaleString('en')} keyed 1 MB requests from the publishable key: heap growth bounded, no body stored`, async () => {
    const gc = exposeGc();
    const { store, counts } = countingStore();
    await using ld = await startReferenceServer({
      clock: createManualClock(START),
      storage: (context: MemoryStorageOptions): Storage => new MemoryStorage({ ...context, idempotency: store }),
    });
    const { server } = ld;
    const { keys } = server;
    const call = async (key: string, method: string, path: string, body?: unknown) => {
      const response = await server.handle(
        new Request(`http://reference${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return response.json() as Promise<{ id: string; token: string }>;
    };
    const seller = await call(keys.secretKey, 'POST', '/v1/sellers', { name: 'Northwind' });
    await call(keys.secretKey, 'POST', `/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: seller.id,
      commissionBps: 1500,
      contentRights: ['live_stream'],
    });
    const session = await call(keys.secretKey, 'POST', '/v1/sessions', {
      creatorId: keys.creatorId,
      title: 'Drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    await call(keys.secretKey, 'POST', `/v1/sessions/${session.id}/start`);
    const offer = await call(keys.secretKey, 'POST', `/v1/sessions/${session.id}/offers`, {
      sellerId: seller.id,
      sku: 'NW-1',
      title: 'Parka',
      price: { amount: 12_900, currency: 'USD' },
      quantity: UNITS,
    });
    await call(keys.secretKey, 'POST', `/v1/offers/${offer.id}/publish`);
    const tokens: string[] = [];
    for (let buyer = 0; buyer < WITH_REAL_TOKEN; buyer++)
      tokens.push(
        (await call(keys.secretKey, 'POST', `/v1/offers/${offer.id}/tokens`, { buyerId: `buyer_${buyer}` })).token,
      );
    // The attack: a 1 MB offer token, under a new key each time.
    const hostile = paddedBody({ offerToken: 'f'.repeat(BODY_BYTES - 100), quantity: 1 });
    const statuses = new Map<string, number>();
    const count = (label: string, status: number) => {
      const name = `${label} ${status}`;
      statuses.set(name, (statuses.get(name) ?? 0) + 1);
    };
    const headersFor = (key: string, index: number) => ({
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': `memory-${index}`,
    });

    const before = await heapAfterGc(gc);
    const rssBefore = process.memoryUsage().rss;
    for (let index = 0; index < REQUESTS - OVER_HTTP; index++) {
      const response = await server.handle(
        lightPost('http://reference/v1/reservations', headersFor(keys.publishableKey, index), hostile),
      );
      count('1 MB, publishable key', response.status);
    }
    // The rest over real HTTP, four at a time.
    for (let index = REQUESTS - OVER_HTTP; index < REQUESTS; index += 4) {
      const batch = [0, 1, 2, 3].map(async (offset) => {
        const response = await fetch(`${ld.url}/v1/reservations`, {
          method: 'POST',
          headers: headersFor(keys.publishableKey, index + offset),
          body: hostile,
        });
        count('1 MB, publishable key', response.status);
        await response.arrayBuffer();
      });
      await Promise.all(batch);
    }
    // Requests that run and are stored: real tokens under the publishable key…
    for (let index = 0; index < WITH_REAL_TOKEN; index++) {
      const response = await server.handle(
        new Request('http://reference/v1/reservations', {
          method: 'POST',
          headers: headersFor(keys.publishableKey, REQUESTS + index),
          body: JSON.stringify({ offerToken: tokens[index], quantity: 1 }),
        }),
      );
      count('token, publishable key', response.status);
    }
    // …and 1 MB bodies the secret key may send, parsed and run: the record keeps the response only.
    for (let index = 0; index < SECRET_KEY_REQUESTS; index++) {
      const body = paddedBody({ name: `Seller ${index}` });
      const response = await server.handle(
        lightPost('http://reference/v1/sellers', headersFor(keys.secretKey, index), body),
      );
      count('1 MB, secret key', response.status);
    }
    const after = await heapAfterGc(gc);
    const rssAfter = process.memoryUsage().rss;

    console.log(
      `[idempotency memory] ${REQUESTS} requests × ${BODY_BYTES} B: heap +${mib(after - before)} after GC; ` +
        `RSS +${mib(rssAfter - rssBefore)}; ` +
        `${counts.stored} answers stored, ${mib(counts.storedBytes)} in all, largest ${counts.largestStored} B; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(Object.fromEntries(statuses)).toEqual({
      '1 MB, publishable key 413': REQUESTS,
      'token, publishable key 201': UNITS,
      'token, publishable key 409': WITH_REAL_TOKEN - UNITS,
      '1 MB, secret key 201': SECRET_KEY_REQUESTS,
    });
    // A 1 MB body from the public key is refused before it is parsed or claims its key; the requests
    // that ran claimed theirs with a SHA-256 hex fingerprint: no body ever reaches the store.
    expect(counts.begun).toBe(WITH_REAL_TOKEN + SECRET_KEY_REQUESTS);
    expect([...counts.fingerprintLengths]).toEqual([64]);
    expect(counts.stored).toBe(WITH_REAL_TOKEN + SECRET_KEY_REQUESTS);
    expect(counts.largestStored).toBeLessThanOrEqual(MAX_STORED_RESPONSE_BYTES);
    expect(after - before).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, 120_000);
});
