import { createHash } from 'node:crypto';
import { RequestJournalPage, RequestVerification } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import type { ReferenceServerOptions } from '../src/server';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

const start = (options: ReferenceServerOptions = {}) =>
  startReferenceServer({ clock: createManualClock(START), ...options });
const control = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.controlKey);
const platform = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.keys.secretKey);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `GET /__control/requests` over HTTP, checked against the contract's schema. */
async function listed(ld: StartedReferenceServer, query = ''): Promise<RequestJournalPage> {
  const page = await control(ld).get(`/__control/requests${query}`);
  expect(page.status).toBe(200);
  return RequestJournalPage.parse(page.body);
}

/** `POST /__control/requests/verify` over HTTP, checked against the contract's schema. */
async function verified(ld: StartedReferenceServer, body: unknown): Promise<RequestVerification> {
  const answer = await control(ld).post('/__control/requests/verify', body);
  expect(answer.status).toBe(200);
  return RequestVerification.parse(answer.body);
}

/** A live offer of the house creator, ready for tokens. */
async function liveOffer(ld: StartedReferenceServer): Promise<string> {
  const { ids } = await ld.server.control.seed('live-drop');
  return ids.offers['parka']!;
}

describe('request journal over HTTP', () => {
  it('journals refused requests with their status, problem code, role and body digest', async () => {
    await using ld = await start({
      rateLimits: { routes: { getSeller: { perKey: { limit: 1, windowSeconds: 60 } } } },
    });
    const api = platform(ld);
    const anonymous = apiAs(ld.url, undefined);
    const browser = apiAs(ld.url, ld.server.keys.publishableKey);

    expect((await anonymous.get('/v1/events')).status).toBe(401);
    expect((await browser.post('/v1/sellers', { name: 'Acme' })).status).toBe(403);
    const invalid = JSON.stringify({ name: '' });
    expect((await api.post('/v1/sellers', undefined, { raw: invalid })).status).toBe(400);
    expect((await api.post('/v1/sellers', undefined, { raw: '{"name":' })).status).toBe(400);
    expect((await api.get('/v1/nowhere')).status).toBe(404);
    expect((await api.get('/v1/sellers/sel_missing')).status).toBe(404);
    expect((await api.get('/v1/sellers/sel_missing')).status).toBe(429);

    const { data } = await listed(ld);
    expect(data.map((e) => [e.method, e.path, e.status, e.code, e.role])).toEqual([
      ['GET', '/v1/events', 401, 'unauthenticated', null],
      ['POST', '/v1/sellers', 403, 'forbidden', 'publishable'],
      ['POST', '/v1/sellers', 400, 'validation_failed', 'platform'],
      ['POST', '/v1/sellers', 400, 'malformed_json', 'platform'],
      ['GET', '/v1/nowhere', 404, 'not_found', null],
      ['GET', '/v1/sellers/sel_missing', 404, 'not_found', 'platform'],
      ['GET', '/v1/sellers/sel_missing', 429, 'rate_limited', 'platform'],
    ]);
    expect(data.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(data[0]!.operation).toBe('listEvents');
    expect(data[4]!.operation).toBeNull();
    // The body the server read, as its SHA-256 and size; the malformed one too. None for a GET.
    expect(data[2]!.body).toEqual({ size: Buffer.byteLength(invalid), sha256: sha256(invalid) });
    expect(data[3]!.body).toEqual({ size: 8, sha256: sha256('{"name":') });
    expect(data[0]!.body).toBeNull();
    expect(data[2]!.headers['content-type']).toBe('application/json');
    // Each entry carries the Request-Id its response did, and the server clock's time.
    for (const entry of data) {
      expect(entry.requestId).toMatch(/^req_/);
      expect(entry.time).toBe('2026-11-25T18:00:00.000Z');
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(entry.replayed).toBe(false);
      expect(entry.faulted).toBe(false);
    }
  });

  it('journals faulted requests (latency, 503s before and after the change, 429s and resets from fault rules)', async () => {
    await using ld = await start();
    const api = platform(ld);
    await ld.server.control.faults({ errorRate: 1, errorPhase: 'after', paths: ['/v1/sellers'], latencyMs: 5 });
    expect((await api.post('/v1/sellers', { name: 'Acme' })).status).toBe(503);
    await ld.server.control.faults({ errorRate: 1, errorPhase: 'before', paths: ['/v1/sellers'] });
    expect((await api.post('/v1/sellers', { name: 'Acme' })).status).toBe(503);
    await ld.server.control.faults({});
    expect((await api.post('/v1/sellers', { name: 'Acme' })).status).toBe(201);

    // Fault rules: a 429 with Retry-After, and a reset connection (no response: status 0).
    await ld.server.control.faults({
      rules: [
        { method: 'GET', path: '/v1/events', status: 429, times: 1 },
        { method: 'POST', path: '/v1/sellers', connection: 'reset', times: 1 },
      ],
    });
    expect((await api.get('/v1/events')).status).toBe(429);
    await expect(api.post('/v1/sellers', { name: 'Lost' })).rejects.toThrow(TypeError);

    const { data } = await listed(ld);
    expect(data.map((e) => [e.status, e.code, e.faulted, e.fault])).toEqual([
      [503, 'service_unavailable', true, { latencyMs: 5, error: 'after', connection: null }],
      [503, 'service_unavailable', true, { latencyMs: 0, error: 'before', connection: null }],
      [201, null, false, null],
      [429, 'rate_limited', true, { latencyMs: 0, error: 'before', connection: null }],
      [0, null, true, { latencyMs: 0, error: 'before', connection: 'reset' }],
    ]);
    // Latency is wall time: the manual clock stood still while the server slept.
    expect(data[0]!.durationMs).toBeGreaterThanOrEqual(4);
    expect((await verified(ld, { match: { faulted: true, status: 503 }, count: 2 })).ok).toBe(true);
    expect((await verified(ld, { match: { faulted: true }, count: 4 })).ok).toBe(true);
  });

  it('journals idempotent replays with their key and the replayed refusal code', async () => {
    await using ld = await start();
    const api = platform(ld);
    const headers = { 'idempotency-key': 'seller-1' };
    await api.post('/v1/sellers', { name: 'Acme' }, { headers });
    const again = await api.post('/v1/sellers', { name: 'Acme' }, { headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A business refusal is stored under its key and replayed, code and all.
    const bad = { 'idempotency-key': 'bad-1' };
    const creator = { handle: 'taken', displayName: 'Taken' };
    expect((await api.post('/v1/creators', creator)).status).toBe(201);
    expect((await api.post('/v1/creators', creator, { headers: bad })).status).toBe(409);
    expect((await api.post('/v1/creators', creator, { headers: bad })).status).toBe(409);
    expect((await api.post('/v1/sellers', { name: 'Other' }, { headers })).status).toBe(422);

    const { data } = await listed(ld);
    expect(data.map((e) => [e.status, e.replayed, e.code, e.headers['idempotency-key']])).toEqual([
      [201, false, null, 'seller-1'],
      [201, true, null, 'seller-1'],
      [201, false, null, undefined],
      [409, false, 'already_exists', 'bad-1'],
      [409, true, 'already_exists', 'bad-1'],
      [422, false, 'idempotency_key_reused', 'seller-1'],
    ]);
    expect(data[1]!.requestId).toBe(again.headers.get('request-id'));
    const check = await verified(ld, {
      match: { headers: { 'Idempotency-Key': 'seller-1' }, replayed: true },
      count: 1,
    });
    expect(check).toMatchObject({ ok: true, matched: 1 });
  });

  it('journals a stream when its response starts, with its Last-Event-ID', async () => {
    await using ld = await start();
    const abort = new AbortController();
    const stream = await fetch(`${ld.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}`, 'last-event-id': '0' },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    abort.abort();
    const [entry] = (await listed(ld, '?operation=streamEvents')).data;
    expect(entry).toMatchObject({ status: 200, path: '/v1/events/stream', headers: { 'last-event-id': '0' } });
  });

  it('does not journal control calls, nor the requests a fixture makes', async () => {
    await using ld = await start();
    await liveOffer(ld);
    await ld.server.control.clock({ advanceMs: 1000 });
    await control(ld).get('/__control/state');
    expect((await listed(ld)).data).toEqual([]);
    await platform(ld).get('/v1/events');
    expect((await listed(ld)).data.map((e) => e.path)).toEqual(['/v1/events']);
  });

  it('filters by method, path pattern, operation, status or class, code, since and limit', async () => {
    await using ld = await start();
    const api = platform(ld);
    const a = await api.post('/v1/sellers', { name: 'A' });
    await api.post('/v1/sellers', { name: 'B' });
    await api.get(`/v1/sellers/${a.body.id}`);
    await api.get('/v1/sellers/sel_missing');
    await ld.server.control.clock({ advanceMs: 60_000 });
    await api.post('/v1/sellers', { name: '' });
    await api.get(`/v1/sellers/${a.body.id}`);

    const paths = async (query: string) => (await listed(ld, query)).data.map((e) => e.seq);
    expect(await paths('?method=post')).toEqual([1, 2, 5]);
    expect(await paths('?path=/v1/sellers')).toEqual([1, 2, 5]);
    expect(await paths('?path=/v1/sellers/*')).toEqual([3, 4, 6]);
    expect(await paths('?path=/v1/**')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await paths('?operation=getSeller')).toEqual([3, 4, 6]);
    expect(await paths('?status=4xx')).toEqual([4, 5]);
    expect(await paths('?status=201')).toEqual([1, 2]);
    expect(await paths('?code=not_found')).toEqual([4]);
    expect(await paths('?since=3')).toEqual([4, 5, 6]);
    expect(await paths('?since=2026-11-25T18:01:00Z')).toEqual([5, 6]);
    const page = await listed(ld, '?limit=2');
    expect(page.data.map((e) => e.seq)).toEqual([1, 2]);
    expect(page).toMatchObject({ hasMore: true, nextSince: 2, size: 1000, evicted: 0 });
    const next = await listed(ld, `?limit=2&since=${page.nextSince}`);
    expect(next.data.map((e) => e.seq)).toEqual([3, 4]);
    const last = await listed(ld, '?since=6');
    expect(last).toMatchObject({ data: [], hasMore: false, nextSince: 6 });
  });

  it('verifies a count, and when it is wrong names the near misses and the criterion each failed', async () => {
    await using ld = await start();
    const api = platform(ld);
    await api.post('/v1/sellers', { name: 'A' });
    await api.post('/v1/sellers', { name: '' });
    await api.get('/v1/events');

    const ok = await verified(ld, { match: { method: 'POST', path: '/v1/sellers', status: '2xx' }, count: 1 });
    expect(ok).toMatchObject({ ok: true, matched: 1, expected: { atLeast: 1, atMost: 1 }, nearMisses: [] });
    expect(ok.matches.map((e) => e.seq)).toEqual([1]);

    const wrong = await verified(ld, { match: { method: 'POST', path: '/v1/sellers', status: 201 }, count: 2 });
    expect(wrong).toMatchObject({ ok: false, matched: 1, expected: { atLeast: 2, atMost: 2 } });
    expect(wrong.nearMisses[0]).toMatchObject({
      entry: { seq: 2, status: 400, code: 'validation_failed' },
      mismatches: [{ field: 'status', expected: '201', actual: '400' }],
    });
    // The GET failed three criteria: it comes after the one-criterion miss.
    expect(wrong.nearMisses.map((m) => m.entry.seq)).toEqual([2, 3]);
    expect(wrong.nearMisses[1]!.mismatches.map((m) => m.field)).toEqual(['method', 'path', 'status']);
    expect(wrong.message).toBe(
      'Expected exactly 2 request(s) matching method=POST, path=/v1/sellers, status=201; found 1. Closest: #2 POST /v1/sellers → 400 (status: expected 201, was 400).',
    );

    const tooMany = await verified(ld, { match: { path: '/v1/**' }, count: { atMost: 1 } });
    expect(tooMany).toMatchObject({ ok: false, matched: 3, expected: { atLeast: 0, atMost: 1 }, nearMisses: [] });
    expect(tooMany.matches.map((e) => e.seq)).toEqual([1, 2, 3]);

    // No count: at least one. No match: any request.
    expect(await verified(ld, {})).toMatchObject({ ok: true, matched: 3, expected: { atLeast: 1, atMost: null } });
    const none = await verified(ld, { match: { bodySha256: sha256('{"name":"A"}') } });
    expect(none).toMatchObject({ ok: true, matched: 1 });
  });

  it('keeps only the newest `size` requests and says how many it pushed out', async () => {
    await using ld = await start({ journal: { size: 3 } });
    const api = platform(ld);
    for (let i = 0; i < 5; i++) await api.get(`/v1/events?limit=${i + 1}`);
    const page = await listed(ld);
    expect(page.data.map((e) => [e.seq, e.query['limit']])).toEqual([
      [3, '3'],
      [4, '4'],
      [5, '5'],
    ]);
    expect(page).toMatchObject({ size: 3, evicted: 2 });
  });

  it('never keeps a secret: keys, client secrets, buyer sessions and offer tokens are redacted or absent', async () => {
    await using ld = await start();
    const offerId = await liveOffer(ld);
    const api = platform(ld);
    const browser = apiAs(ld.url, ld.server.keys.publishableKey);
    const token = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId: 'alice' });
    const reservation = await api.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
    expect(reservation.status).toBe(201);
    const { clientSecret, id } = reservation.body;
    const read = await browser.get(`/v1/reservations/${id}?clientSecret=${clientSecret}`, {
      headers: { 'livedrop-buyer-session': 'bs_test_secret_value' },
    });
    expect(read.status).toBe(200);
    await browser.post(`/v1/reservations/${id}/confirm`, { clientSecret, paymentMethod: 'pm_test_ok' });

    const page = await control(ld).get('/__control/requests');
    const text = JSON.stringify(page.body);
    for (const secret of [
      ld.server.keys.secretKey,
      ld.server.keys.publishableKey,
      clientSecret,
      token.body.token,
      'bs_test_secret_value',
    ])
      expect(text).not.toContain(secret);
    const entries = RequestJournalPage.parse(page.body).data;
    const get = entries.find((e) => e.operation === 'getReservation')!;
    expect(get.query).toEqual({ clientSecret: '[redacted]' });
    expect(get.headers).toMatchObject({ authorization: '[redacted]', 'livedrop-buyer-session': '[redacted]' });
    expect(get.role).toBe('publishable');
    // Bodies only as digests: the reservation's body is journaled as its hash, never its token.
    const create = entries.find((e) => e.operation === 'createReservation')!;
    expect(create.body!.sha256).toBe(sha256(JSON.stringify({ offerToken: token.body.token, quantity: 1 })));
    expect(
      (
        await verified(ld, {
          match: { query: { clientSecret: '[redacted]' }, headers: { authorization: '[redacted]' } },
        })
      ).matched,
    ).toBe(1);
  });

  it('starts empty again after a reset, counting from seq 1', async () => {
    await using ld = await start();
    await platform(ld).get('/v1/events');
    await platform(ld).get('/v1/events');
    expect((await control(ld).post('/__control/reset')).status).toBe(200);
    expect((await listed(ld)).data).toEqual([]);
    await platform(ld).get('/v1/events');
    expect((await listed(ld)).data.map((e) => e.seq)).toEqual([1]);
  });

  it('refuses bad filters and counts with 400 naming the field, and changes nothing', async () => {
    await using ld = await start();
    await platform(ld).get('/v1/events');
    const ctl = control(ld);
    for (const [query, field] of [
      ['?status=abc', 'query.status'],
      ['?since=yesterday', 'query.since'],
      ['?limit=0', 'query.limit'],
      ['?path=v1/sellers', 'query.path'],
      ['?colour=red', 'query'],
    ] as const) {
      const refused = await ctl.get(`/__control/requests${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const badCount = await ctl.post('/__control/requests/verify', { count: { atLeast: 3, atMost: 1 } });
    expect(badCount.status).toBe(400);
    expect(badCount.body.errors[0].message).toContain('atLeast must not be greater than atMost');
    const badDigest = await ctl.post('/__control/requests/verify', { match: { bodySha256: 'abc' } });
    expect(badDigest.body.errors.map((e: { path: string }) => e.path)).toEqual(['match.bodySha256']);
    expect((await listed(ld)).data).toHaveLength(1);
  });

  it('journal: false keeps nothing and says so on the control routes (409 invalid_state)', async () => {
    await using ld = await start({ journal: false });
    await platform(ld).get('/v1/events');
    const refused = await control(ld).get('/__control/requests');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'invalid_state' });
    expect(refused.body.detail).toContain('journal: false');
  });
});
