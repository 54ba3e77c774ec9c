import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../src/node';
import type { Readiness } from '../src/node/readiness';
import { MemoryStorage } from '../src/storage/memory/memory-storage';

/** A memory storage that reports the readiness it is given, as a Redis storage reports its connection. */
function storageReporting(readiness: () => Promise<Readiness>) {
  return (context: ConstructorParameters<typeof MemoryStorage>[0]) =>
    Object.assign(new MemoryStorage(context), { readiness });
}

describe('health and readiness probes', () => {
  it('GET /healthz answers 200 {"status":"ok"} without a key', async () => {
    await using ld = await startReferenceServer();
    const res = await fetch(`${ld.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 for the in-memory storage, which is always ready', async () => {
    await using ld = await startReferenceServer();
    const res = await fetch(`${ld.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { storage: true } });
  });

  it("GET /readyz answers a 503 problem with the storage's checks while its readiness() says not ready", async () => {
    let ready = false;
    await using ld = await startReferenceServer({
      storage: storageReporting(async () => ({ ready, checks: { redis: ready ? true : 'connecting' } })),
    });
    const refused = await fetch(`${ld.url}/readyz`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      status: 503,
      code: 'service_unavailable',
      instance: '/readyz',
      checks: { redis: 'connecting' },
    });
    // The process itself is alive all along.
    expect((await fetch(`${ld.url}/healthz`)).status).toBe(200);

    ready = true;
    const admitted = await fetch(`${ld.url}/readyz`);
    expect(admitted.status).toBe(200);
    expect(await admitted.json()).toEqual({ status: 'ready', checks: { redis: true } });
  });

  it('GET /readyz reads a readiness() that throws as not ready, with its message', async () => {
    await using ld = await startReferenceServer({
      storage: storageReporting(() => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'))),
    });
    const res = await fetch(`${ld.url}/readyz`);
    expect(res.status).toBe(503);
    expect((await res.json()).checks).toEqual({ storage: 'ECONNREFUSED 127.0.0.1:6379' });
  });

  it('the probes are not API routes: other methods on them answer the API 404', async () => {
    await using ld = await startReferenceServer();
    const res = await fetch(`${ld.url}/healthz`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('not_found');
  });
});
