import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const start = () => startReferenceServer({ clock: createManualClock(START) });

/** Every event in the tenant's log, through the API (the logs in these tests stay small). */
async function events(api: Api): Promise<{ type: string; subject: string }[]> {
  const page = await api.get('/v1/events?limit=1000');
  expect(page.status).toBe(200);
  return page.body.data;
}

const control = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.controlKey);

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    code,
    type: expect.stringContaining(code),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(response.body.requestId).toBe(response.headers.get('request-id'));
}

describe('request ids and problem details', () => {
  it('puts a Request-Id on every response, success or failure, public or not', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const responses = [
      await api.post('/v1/sellers', { name: 'Acme' }),
      await api.get('/v1/events'),
      await api.get('/v1/nowhere'),
      await apiAs(ld.url, undefined).get('/v1/events'),
      await apiAs(ld.url, undefined).get('/openapi.json'),
      await control(ld).get('/__control/state'),
    ];
    const ids = responses.map((response) => response.headers.get('request-id'));
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers refusals as RFC 9457 problem+json with the code and the request id', async () => {
    await using ld = await start();
    const response = await apiAs(ld.url, ld.server.keys.secretKey).get('/v1/nowhere');
    expectProblem(response, 404, 'not_found');
    expect(Object.keys(response.body)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']),
    );
    expect(response.body.detail).toContain('/v1/nowhere');
  });
});

describe('authentication and roles', () => {
  it('answers 401 without a key and with a key it does not know', async () => {
    await using ld = await start();
    const missing = await apiAs(ld.url, undefined).post('/v1/sellers', { name: 'Acme' });
    expectProblem(missing, 401, 'unauthenticated');
    expect(missing.body.detail).toContain('Authorization: Bearer');
    const unknown = await apiAs(ld.url, 'sk_test_notarealkey').post('/v1/sellers', { name: 'Acme' });
    expectProblem(unknown, 401, 'unauthenticated');
    const malformed = await apiAs(ld.url, undefined).get('/v1/events', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expectProblem(malformed, 401, 'unauthenticated');
    expect(
      (await events(apiAs(ld.url, ld.server.keys.secretKey))).filter(
        (event) => event.type === 'livedrop.seller.created',
      ),
    ).toEqual([]);
  });

  it('answers 403 when the key role may not call the route, and changes nothing', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const before = await events(api);
    for (const key of [ld.server.keys.publishableKey, ld.server.keys.creatorKey, ld.server.keys.moderatorKey]) {
      const response = await apiAs(ld.url, key).post('/v1/sellers', { name: 'Acme' });
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toContain('platform');
    }
    expect(await events(api)).toEqual(before);
  });
});

describe('routing', () => {
  it('answers 404 for an unknown route, an id of the wrong shape, and another tenant’s object', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expectProblem(await api.get('/v1/unknown'), 404, 'not_found');
    expectProblem(await api.get('/v1/sellers/not-a-seller-id'), 404, 'not_found');
    expectProblem(await api.get('/v1/sellers/cr_wrongPrefix'), 404, 'not_found');
    // A malformed percent-escape is an id that cannot exist, not a server error.
    expectProblem(await api.get('/v1/sellers/%E0%A4%A'), 404, 'not_found');

    const other = ld.server.engine.createTenant('Other');
    const theirs = await apiAs(ld.url, other.secretKey).post('/v1/sellers', { name: 'Theirs' });
    expect(theirs.status).toBe(201);
    expect((await apiAs(ld.url, other.secretKey).get(`/v1/sellers/${theirs.body.id}`)).status).toBe(200);
    const leaked = await api.get(`/v1/sellers/${theirs.body.id}`);
    expectProblem(leaked, 404, 'not_found');
    // The answer is the same as for an id that never existed: existence is not disclosed.
    const never = await api.get('/v1/sellers/sel_doesNotExist');
    expect(leaked.body.detail.replace(theirs.body.id, 'X')).toBe(never.body.detail.replace('sel_doesNotExist', 'X'));
    expect((await events(api)).map((event) => event.subject)).not.toContain(theirs.body.id);
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const response = await api.delete('/v1/sellers');
    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('POST');
    const onItem = await api.post('/v1/sellers/sel_abc', { name: 'x' });
    expectProblem(onItem, 405, 'method_not_allowed');
    expect(onItem.headers.get('allow')).toBe('GET');
  });
});

describe('request bodies', () => {
  it('answers 400 malformed_json for a body that is not JSON', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const response = await api.post('/v1/sellers', undefined, { raw: '{"name": "Acme",' });
    expectProblem(response, 400, 'malformed_json');
    expect(response.body.detail).toContain('JSON');
    expect((await events(api)).filter((event) => event.type === 'livedrop.seller.created')).toEqual([]);
  });

  it('answers 413 payload_too_large for a body over 1 MiB, declared or streamed', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const huge = `{"name":"${'a'.repeat(1024 * 1024)}"}`;
    expectProblem(await api.post('/v1/sellers', undefined, { raw: huge }), 413, 'payload_too_large');

    // Without Content-Length (chunked): the server counts what it reads instead of trusting a header.
    const bytes = new TextEncoder().encode(huge);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024)
          controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(`${ld.url}/v1/sellers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { code: string }).code).toBe('payload_too_large');
    expect((await events(api)).filter((event) => event.type === 'livedrop.seller.created')).toEqual([]);
  });
});

describe('hostile payloads are refused with the field named, and create nothing', () => {
  /** A seller and an entitlement for the house creator, and a session to add offers to. */
  async function offerSetup(api: Api, creatorId: string) {
    const seller = await api.post('/v1/sellers', { name: 'Acme' });
    await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId: seller.body.id,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    const session = await api.post('/v1/sessions', {
      creatorId,
      title: 'Drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    expect(session.status).toBe(201);
    return { sellerId: seller.body.id as string, sessionId: session.body.id as string };
  }

  const cases: {
    name: string;
    path: (ids: { sellerId: string; sessionId: string; creatorId: string }) => string;
    raw: (ids: { sellerId: string }) => string;
    field: string;
    mentions?: string;
  }[] = [
    {
      name: 'unknown fields (mass assignment of id)',
      path: () => '/v1/sellers',
      raw: () => '{"name":"x","trust":{"verified":true},"id":"sel_x"}',
      field: '',
      mentions: '"id"',
    },
    {
      name: 'unknown fields (server-owned fields)',
      path: () => '/v1/creators',
      raw: () => '{"handle":"mallory","displayName":"M","object":"creator","createdAt":"2020-01-01T00:00:00.000Z"}',
      field: '',
      mentions: '"createdAt"',
    },
    {
      name: 'an unknown nested field',
      path: () => '/v1/sellers',
      raw: () => '{"name":"x","trust":{"verified":true,"admin":true}}',
      field: 'trust',
      mentions: '"admin"',
    },
    {
      name: 'a "__proto__" key',
      path: () => '/v1/sellers',
      raw: () => '{"name":"x","__proto__":{"admin":true}}',
      field: '__proto__',
      mentions: '__proto__',
    },
    {
      name: 'a "constructor.prototype" key',
      path: () => '/v1/creators',
      raw: () => '{"handle":"m","displayName":"M","constructor":{"prototype":{"admin":true}}}',
      field: 'constructor',
      mentions: 'constructor',
    },
    {
      name: 'a huge string',
      path: () => '/v1/sellers',
      raw: () => JSON.stringify({ name: 'x'.repeat(100_000) }),
      field: 'name',
    },
    {
      name: 'a huge array',
      path: ({ creatorId }) => `/v1/creators/${creatorId}/entitlements`,
      raw: ({ sellerId }) =>
        JSON.stringify({ sellerId, commissionBps: 100, contentRights: Array.from({ length: 50_000 }, () => 'replay') }),
      field: 'contentRights',
    },
    {
      name: '1e400 (Infinity once parsed)',
      path: () => '/v1/sellers',
      raw: () => '{"name":"x","trust":{"disputeRate":1e400}}',
      field: 'trust.disputeRate',
    },
    {
      name: 'a fractional count',
      path: () => '/v1/sellers',
      raw: () => '{"name":"x","trust":{"completedOrders":1.5}}',
      field: 'trust.completedOrders',
    },
    {
      name: 'fractional cents',
      path: ({ sessionId }) => `/v1/sessions/${sessionId}/offers`,
      raw: ({ sellerId }) =>
        JSON.stringify({ sellerId, sku: 'S', title: 'T', price: { amount: 19.99, currency: 'USD' }, quantity: 1 }),
      field: 'price.amount',
    },
    {
      name: 'an amount of 1e400',
      path: ({ sessionId }) => `/v1/sessions/${sessionId}/offers`,
      raw: ({ sellerId }) =>
        `{"sellerId":"${sellerId}","sku":"S","title":"T","price":{"amount":1e400,"currency":"USD"},"quantity":1}`,
      field: 'price.amount',
    },
    {
      name: 'a negative amount',
      path: ({ sessionId }) => `/v1/sessions/${sessionId}/offers`,
      raw: ({ sellerId }) =>
        JSON.stringify({ sellerId, sku: 'S', title: 'T', price: { amount: -100, currency: 'USD' }, quantity: 1 }),
      field: 'price.amount',
    },
    {
      name: 'a negative quantity',
      path: ({ sessionId }) => `/v1/sessions/${sessionId}/offers`,
      raw: ({ sellerId }) =>
        JSON.stringify({ sellerId, sku: 'S', title: 'T', price: { amount: 100, currency: 'USD' }, quantity: -5 }),
      field: 'quantity',
    },
    { name: 'a body that is an array', path: () => '/v1/sellers', raw: () => '[{"name":"x"}]', field: '' },
  ];

  for (const hostile of cases) {
    it(hostile.name, async () => {
      await using ld = await start();
      const api = apiAs(ld.url, ld.server.keys.secretKey);
      const ids = { ...(await offerSetup(api, ld.server.keys.creatorId)), creatorId: ld.server.keys.creatorId };
      const before = await events(api);
      const stateBefore = (await control(ld).get('/__control/state')).body.counts;

      const response = await api.post(hostile.path(ids), undefined, { raw: hostile.raw(ids) });

      expectProblem(response, 400, 'validation_failed');
      const errors: { path: string; code: string; message: string }[] = response.body.errors;
      expect(errors.length).toBeGreaterThan(0);
      const named = errors.find((error) => error.path === hostile.field);
      expect(named, JSON.stringify(errors)).toBeDefined();
      if (hostile.mentions) expect(named!.message).toContain(hostile.mentions);
      expect(await events(api)).toEqual(before);
      expect((await control(ld).get('/__control/state')).body.counts).toEqual(stateBefore);
    });
  }

  it('does not let a "__proto__" key reach any object prototype', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    await api.post('/v1/sellers', undefined, { raw: '{"name":"x","__proto__":{"polluted":true}}' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const seller = await api.post('/v1/sellers', { name: 'clean' });
    expect(seller.status).toBe(201);
    expect(Object.keys(seller.body).sort()).toEqual(['createdAt', 'id', 'name', 'object', 'trust']);
  });
});

describe('idempotency', () => {
  const key = (name: string) => ({ headers: { 'idempotency-key': `test-${name}` } });

  it('replays the first response for the same key and body, creating one object', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const first = await api.post('/v1/sellers', { name: 'Acme' }, key('same'));
    const second = await api.post('/v1/sellers', { name: 'Acme' }, key('same'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('request-id')).not.toBe(first.headers.get('request-id'));
    expect(
      (await events(api)).filter((event) => event.type === 'livedrop.seller.created').map((event) => event.subject),
    ).toEqual([first.body.id]);
  });

  it('scopes keys to the API key: another key with the same Idempotency-Key is a new request', async () => {
    await using ld = await start();
    const other = ld.server.engine.createTenant('Other');
    const mine = await apiAs(ld.url, ld.server.keys.secretKey).post('/v1/sellers', { name: 'Acme' }, key('shared'));
    const theirs = await apiAs(ld.url, other.secretKey).post('/v1/sellers', { name: 'Acme' }, key('shared'));
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('refuses the same key with a different body (422 idempotency_key_reused), creating nothing', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const first = await api.post('/v1/sellers', { name: 'Acme' }, key('reused'));
    const before = await events(api);
    const second = await api.post('/v1/sellers', { name: 'Other name' }, key('reused'));
    expectProblem(second, 422, 'idempotency_key_reused');
    const onAnotherRoute = await api.post('/v1/creators', { handle: 'acme', displayName: 'Acme' }, key('reused'));
    expectProblem(onAnotherRoute, 422, 'idempotency_key_reused');
    expect(await events(api)).toEqual(before);
    // The original is still what the key replays.
    const third = await api.post('/v1/sellers', { name: 'Acme' }, key('reused'));
    expect(third.body).toEqual(first.body);
  });

  it('answers 409 idempotency_key_in_use while the first request with the key is still running', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    // Injected latency keeps each /v1/sellers request in flight; two sent together with one key overlap.
    expect((await control(ld).post('/__control/faults', { latencyMs: 500, paths: ['/v1/sellers'] })).status).toBe(200);
    const [a, b] = await Promise.all([
      api.post('/v1/sellers', { name: 'Acme' }, key('in-flight')),
      api.post('/v1/sellers', { name: 'Acme' }, key('in-flight')),
    ]);
    const [done, concurrent] = a.status === 201 ? [a, b] : [b, a];
    expectProblem(concurrent, 409, 'idempotency_key_in_use');
    expect(concurrent.headers.get('retry-after')).toBe('1');
    expect(done.status).toBe(201);
    await control(ld).post('/__control/faults', {});
    const retry = await api.post('/v1/sellers', { name: 'Acme' }, key('in-flight'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(done.body.id);
    expect((await events(api)).filter((event) => event.type === 'livedrop.seller.created')).toHaveLength(1);
  });

  it('forgets a key after 24 hours on the injected clock', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const first = await api.post('/v1/sellers', { name: 'Acme' }, key('day'));
    await control(ld).post('/__control/clock', { advanceMs: DAY_MS - 1 });
    const stillKept = await api.post('/v1/sellers', { name: 'Acme' }, key('day'));
    expect(stillKept.headers.get('idempotent-replayed')).toBe('true');
    expect(stillKept.body.id).toBe(first.body.id);

    await control(ld).post('/__control/clock', { advanceMs: 1 });
    const afterADay = await api.post('/v1/sellers', { name: 'Acme' }, key('day'));
    expect(afterADay.status).toBe(201);
    expect(afterADay.headers.get('idempotent-replayed')).toBeNull();
    expect(afterADay.body.id).not.toBe(first.body.id);
    expect((await events(api)).filter((event) => event.type === 'livedrop.seller.created')).toHaveLength(2);
  });

  it('replays a business refusal (4xx from the handler) for the same key', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expect((await api.post('/v1/creators', { handle: 'taken', displayName: 'First' })).status).toBe(201);
    const refused = await api.post('/v1/creators', { handle: 'taken', displayName: 'Second' }, key('refusal'));
    expectProblem(refused, 409, 'already_exists');
    const replayed = await api.post('/v1/creators', { handle: 'taken', displayName: 'Second' }, key('refusal'));
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('content-type')).toBe('application/problem+json');
    // The replay is the first answer, request id included.
    expect(replayed.body).toEqual(refused.body);
    expect(replayed.headers.get('request-id')).not.toBe(refused.body.requestId);
  });

  it('does not store validation failures: a corrected body may reuse the key', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expectProblem(await api.post('/v1/sellers', { name: '' }, key('fixable')), 400, 'validation_failed');
    const fixed = await api.post('/v1/sellers', { name: 'Acme' }, key('fixable'));
    expect(fixed.status).toBe(201);
  });
});

describe('CORS', () => {
  it('answers a preflight and lets any origin read the API with a key in the header', async () => {
    await using ld = await startReferenceServer();
    const preflight = await fetch(`${ld.url}/v1/sessions/ses_x`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://creator.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, if-none-match',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('if-none-match');
    const read = await fetch(`${ld.url}/v1/events`, {
      headers: { origin: 'https://creator.example', authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect(read.headers.get('access-control-expose-headers')).toContain('request-id');
  });
});

describe('faults on cached reads', () => {
  it('an "after" fault loses a hydrate response too, and the view is served again once faults clear', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const control = apiAs(ld.url, ld.server.controlKey);
    const session = await api.post('/v1/sessions', {
      creatorId: ld.server.keys.creatorId,
      title: 'Drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    expect((await api.get(`/v1/sessions/${session.body.id}`)).status).toBe(200);
    await control.post('/__control/faults', { errorRate: 1, errorPhase: 'after', paths: ['/v1/sessions/'] });
    const lost = await api.get(`/v1/sessions/${session.body.id}`);
    expect(lost.status).toBe(503);
    expect(lost.body.code).toBe('service_unavailable');
    await control.post('/__control/faults', {});
    const again = await api.get(`/v1/sessions/${session.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.session.id).toBe(session.body.id);
  });
});
