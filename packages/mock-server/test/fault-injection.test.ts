import { createClient, type AttemptInfo } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { FaultInjector, pathMatches } from '../src/faults';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { createReferenceServer } from '../src/server';
import { createMemoryControlState } from '../src/storage/memory/memory-control-state';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const start = () => startReferenceServer({ clock: createManualClock(START) });
const platform = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.keys.secretKey);

/** A client with retries that records each attempt's status (null: no response) and error. */
function recordingClient(ld: StartedReferenceServer, options: { timeout?: number } = {}) {
  const attempts: { status: number | null; error: string | null }[] = [];
  const ld2 = createClient({
    apiKey: ld.server.keys.secretKey,
    baseUrl: ld.url,
    maxRetries: 3,
    ...options,
    onAttempt: (attempt: AttemptInfo) => attempts.push({ status: attempt.status, error: attempt.error }),
  });
  return { ld: ld2, attempts };
}

describe('fault rules (POST /__control/faults {rules})', () => {
  it('a 429 with Retry-After on the next N matching requests only, which the client retries through', async () => {
    await using ld = await start();
    await ld.server.control.faults({
      rules: [{ method: 'POST', path: '/v1/sellers', status: 429, retryAfterSeconds: 0, times: 2 }],
    });
    const api = platform(ld);
    expect((await api.get('/v1/sessions')).status).toBe(200); // another path: untouched
    const refused = await api.post('/v1/sellers', { name: 'Acme' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('0');
    expect(refused.body).toMatchObject({
      code: 'rate_limited',
      detail: expect.stringContaining('Injected fault (rule 0)'),
    });

    const { ld: client, attempts } = recordingClient(ld);
    const seller = await client.sellers.create({ name: 'Acme' });
    expect(seller.name).toBe('Acme');
    expect(attempts.map((a) => a.status)).toEqual([429, 201]); // one strike was left, then the rule stood down
    expect((await api.post('/v1/sellers', { name: 'Again' })).status).toBe(201);
  });

  it('answers 500, 502, 503 and 504 with the code a real server sends', async () => {
    await using ld = await start();
    const api = platform(ld);
    for (const [status, code] of [
      [500, 'internal_error'],
      [502, 'bad_gateway'],
      [503, 'service_unavailable'],
      [504, 'gateway_timeout'],
    ] as const) {
      await ld.server.control.faults({ rules: [{ path: '/v1/sessions', status, times: 1 }] });
      const response = await api.get('/v1/sessions');
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect((await api.get('/v1/sessions')).status).toBe(200);
    }
  });

  it('a connection reset before the change: nothing is made, and the client retries', async () => {
    await using ld = await start();
    await ld.server.control.faults({ rules: [{ path: '/v1/sellers', connection: 'reset', times: 1 }] });
    await expect(platform(ld).post('/v1/sellers', { name: 'Lost' })).rejects.toThrow(TypeError);
    expect((await ld.server.control.state()).counts.sellers).toBe(0);

    await ld.server.control.faults({ rules: [{ path: '/v1/sellers', connection: 'reset', times: 1 }] });
    const { ld: client, attempts } = recordingClient(ld);
    await client.sellers.create({ name: 'Acme' });
    expect(attempts).toEqual([
      { status: null, error: expect.any(String) },
      { status: 201, error: null },
    ]);
    expect((await ld.server.control.state()).counts.sellers).toBe(1);
  });

  it('a reset after the change committed: the retry with the same Idempotency-Key replays it', async () => {
    await using ld = await start();
    await ld.server.control.faults({
      rules: [{ method: 'POST', path: '/v1/sellers', connection: 'reset', phase: 'after', times: 1 }],
    });
    const key = { headers: { 'idempotency-key': 'reset-after' } };
    await expect(platform(ld).post('/v1/sellers', { name: 'Acme' }, key)).rejects.toThrow(TypeError);
    expect((await ld.server.control.state()).counts.sellers).toBe(1);
    const retry = await platform(ld).post('/v1/sellers', { name: 'Acme' }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await ld.server.control.state()).counts.sellers).toBe(1);
  });

  it('a hang keeps the socket open until the client gives up; the client times out and retries', async () => {
    await using ld = await start();
    await ld.server.control.faults({ rules: [{ path: '/v1/sessions', connection: 'hang', times: 1 }] });
    const { ld: client, attempts } = recordingClient(ld, { timeout: 300 });
    const page = await client.sessions.list();
    expect(page.data).toEqual([]);
    expect(attempts.map((a) => a.status)).toEqual([null, 200]);
    expect(attempts[0]!.error).toBe('TimeoutError');
  });

  it('latency on the server clock: with a manual clock a request waits until the clock moves', async () => {
    await using ld = await start();
    await ld.server.control.faults({
      latencyClock: 'server',
      rules: [{ path: '/v1/sessions', latency: { distribution: 'fixed', ms: 20_000 } }],
    });
    let settled = false;
    const pending = platform(ld)
      .get('/v1/sessions')
      .then((response) => {
        settled = true;
        return response;
      });
    // However long this takes in real time, the server's clock has not moved: still in flight.
    await platform(ld).get('/v1/sellers/sel_x');
    expect(settled).toBe(false);
    await ld.server.control.clock({ advanceMs: 10_000 });
    await platform(ld).get('/v1/sellers/sel_x');
    expect(settled).toBe(false);
    await ld.server.control.clock({ advanceMs: 10_000 });
    expect((await pending).status).toBe(200);
  });

  it('refuses a rule that does nothing, does two things, or has a bad path, and changes nothing', async () => {
    await using ld = await start();
    const control = apiAs(ld.url, ld.server.controlKey);
    for (const rule of [
      { path: '/v1/sellers' },
      { status: 503, connection: 'reset' },
      { path: 'v1/sellers', status: 503 },
      { status: 418 },
      { latency: { distribution: 'uniform', minMs: 5 } },
    ]) {
      const refused = await control.post('/__control/faults', { rules: [rule] });
      expect(refused.status, JSON.stringify(rule)).toBe(400);
      expect(refused.body.errors[0].path).toMatch(/^rules\.0/);
    }
    expect((await ld.server.control.state()).faults).toEqual({});
  });

  it('breaks an in-process handle() call as a network error', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    await server.control.faults({ rules: [{ path: '/v1/**', connection: 'reset' }] });
    const response = await server.handle(
      new Request('http://x/v1/sessions', { headers: { authorization: `Bearer ${server.keys.secretKey}` } }),
    );
    expect(response.type).toBe('error');
  });
});

describe('fault plans', () => {
  it('matches paths: * is one segment, a trailing ** the rest', () => {
    expect(pathMatches('/v1/offers/*/tokens', '/v1/offers/off_1/tokens')).toBe(true);
    expect(pathMatches('/v1/offers/*/tokens', '/v1/offers/off_1')).toBe(false);
    expect(pathMatches('/v1/**', '/v1/reservations/res_1/confirm')).toBe(true);
    expect(pathMatches('/v1/**', '/openapi.json')).toBe(false);
    expect(pathMatches('/v1/sellers', '/v1/sellers/sel_1')).toBe(false);
  });

  it('draws the same latencies and strikes for the same seed, within each distribution’s bounds', async () => {
    const faults = {
      seed: 42,
      rules: [
        { latency: { distribution: 'uniform' as const, minMs: 100, maxMs: 200 } },
        { latency: { distribution: 'normal' as const, meanMs: 50, stdDevMs: 400 }, rate: 0.5 },
        { status: 503 as const, rate: 0.25 },
      ],
    };
    const run = async () => {
      const injector = new FaultInjector(createMemoryControlState());
      const plans = [];
      for (let i = 0; i < 200; i++) plans.push(await injector.plan(faults, 'GET', '/v1/sessions'));
      return plans.map((plan) => [plan.latencyMs, plan.before?.kind ?? null]);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const latencies = first.map(([ms]) => ms as number);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(new Set(latencies).size).toBeGreaterThan(50);
    const strikes = first.filter(([, failure]) => failure === 'status').length;
    expect(strikes).toBeGreaterThan(20);
    expect(strikes).toBeLessThan(90);
  });
});
