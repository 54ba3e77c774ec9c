import { HttpResponse, delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  createClient,
  isLiveDropError,
  type AttemptInfo,
  type ClientOptions,
  type Offer,
} from './support/sdk';
import { rejectionOf } from './support/reference';

const BASE = 'https://api.livedrop.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const at = '2026-11-25T18:00:00.000Z';
const offer: Offer = {
  id: 'off_abc',
  object: 'offer',
  sessionId: 'ses_abc',
  sellerId: 'sel_abc',
  sku: 'PARKA-1',
  title: 'Storm Parka',
  price: { amount: 12900, currency: 'USD' },
  compareAtPrice: null,
  priceFloor: null,
  status: 'live',
  soldOut: false,
  stock: { total: 10, available: 10, reserved: 0, sold: 0, backordered: 0 },
  perBuyerLimit: null,
  reservationTtlSeconds: 600,
  backorder: null,
  split: { platformFeeBps: 1000, creatorCommissionBps: 1500 },
  moderation: { decision: 'approved', note: null, reviewedAt: at },
  version: 2,
  publishedAt: at,
  endsAt: null,
  endedAt: null,
  createdAt: at,
  updatedAt: at,
};
const reservation = {
  id: 'res_abc',
  object: 'reservation',
  offerId: 'off_abc',
  sessionId: 'ses_abc',
  buyerId: 'buyer_1',
  quantity: 1,
  status: 'held',
  unitPrice: { amount: 12900, currency: 'USD' },
  amount: { amount: 12900, currency: 'USD' },
  expiresAt: at,
  queuePosition: null,
  clientSecret: 'res_abc_secret_xyz',
  orderId: null,
  attribution: null,
  createdAt: at,
  updatedAt: at,
};
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  HttpResponse.json(
    {
      type: `https://docs.livedrop.dev/errors#${code}`,
      title: code,
      status,
      detail: `Injected ${code}.`,
      code,
      requestId: `req_${code}`,
    },
    { status, headers: { 'content-type': 'application/problem+json', 'request-id': `req_${code}`, ...headers } },
  );

function client(options: Partial<ClientOptions> = {}) {
  const attempts: AttemptInfo[] = [];
  const ld = createClient({ apiKey: 'sk_test_msw', baseUrl: BASE, onAttempt: (a) => attempts.push(a), ...options });
  return { ld, attempts };
}

describe('retries', () => {
  it('waits out a 429 Retry-After and retries the POST with the same Idempotency-Key', async () => {
    const keys: (string | null)[] = [];
    const sentAt: number[] = [];
    server.use(
      http.post(`${BASE}/v1/reservations`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        sentAt.push(Date.now());
        return keys.length === 1
          ? problem(429, 'rate_limited', { 'retry-after': '1' })
          : HttpResponse.json(reservation, { status: 201 });
      }),
    );
    const { ld, attempts } = client();
    const hold = await ld.reservations.create({ offerToken: 'tok', quantity: 1 });
    expect(hold.id).toBe('res_abc');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(950);
    expect(attempts.map((a) => [a.status, a.retryCount])).toEqual([
      [429, 0],
      [201, 1],
    ]);
  });

  it('keeps a caller-supplied Idempotency-Key across retries', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(`${BASE}/v1/reservations`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length === 1
          ? problem(503, 'service_unavailable', { 'retry-after': '0' })
          : HttpResponse.json(reservation, { status: 201 });
      }),
    );
    await client().ld.reservations.create({ offerToken: 'tok', quantity: 1 }, { idempotencyKey: 'cart-7' });
    expect(keys).toEqual(['cart-7', 'cart-7']);
  });

  it('retries a torn connection', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => (++calls === 1 ? HttpResponse.error() : HttpResponse.json(offer))),
    );
    const { ld, attempts } = client();
    expect(await ld.offers.retrieve('off_abc')).toEqual(offer);
    expect(calls).toBe(2);
    expect(attempts[0]).toMatchObject({ status: null, error: 'TypeError', retryCount: 0 });
    expect(attempts[1]).toMatchObject({ status: 200, retryCount: 1 });
  });

  it('gives up after maxRetries with a ConnectionError', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const error = await rejectionOf(client({ maxRetries: 1 }).ld.offers.retrieve('off_abc'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/GET \/v1\/offers\/off_abc could not reach .* \(after 2 attempt\(s\)\)/);
    expect(calls).toBe(2);
  });

  it('retries 5xx up to maxRetries, then throws InternalServerError with its request id', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => {
        calls++;
        return problem(500, 'internal_error');
      }),
    );
    const error = await rejectionOf(client().ld.offers.retrieve('off_abc', { maxRetries: 2 }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req_internal_error' });
    expect(calls).toBe(3);
  });

  it('retries 409 idempotency_key_in_use but not other conflicts', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/reservations`, () =>
        ++calls === 1
          ? problem(409, 'idempotency_key_in_use', { 'retry-after': '0' })
          : HttpResponse.json(reservation, { status: 201 }),
      ),
    );
    await client().ld.reservations.create({ offerToken: 'tok', quantity: 1 });
    expect(calls).toBe(2);

    calls = 0;
    server.use(
      http.post(`${BASE}/v1/reservations`, () => {
        calls++;
        return problem(409, 'sold_out');
      }),
    );
    const error = await rejectionOf(client().ld.reservations.create({ offerToken: 'tok', quantity: 1 }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('sold_out');
    expect(calls).toBe(1);
  });

  it('does not wait out a Retry-After beyond the cap: the caller gets retryAfterMs', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => {
        calls++;
        return problem(429, 'rate_limited', { 'retry-after': '3600' });
      }),
    );
    const error = await rejectionOf(client().ld.offers.retrieve('off_abc'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(calls).toBe(1);
  });

  it('retries a proxy error page that is not problem+json', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () =>
        ++calls === 1
          ? new HttpResponse('<h1>502 Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } })
          : HttpResponse.json(offer),
      ),
    );
    expect((await client().ld.offers.retrieve('off_abc')).id).toBe('off_abc');
    expect(calls).toBe(2);
  });
});

describe('response validation', () => {
  it('rejects a malformed JSON body without retrying', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => {
        calls++;
        return new HttpResponse('{"id": "off_abc",', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const error = await rejectionOf(client().ld.offers.retrieve('off_abc'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ operationId: 'getOffer', status: 200, path: '' });
    expect((error as Error).message).toMatch(/not JSON/);
    expect(calls).toBe(1);
  });

  it('names the field of a 200 that breaks the contract, and the operation', async () => {
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () =>
        HttpResponse.json(
          { ...offer, stock: { ...offer.stock, available: 'ten' } },
          { headers: { 'request-id': 'req_bad' } },
        ),
      ),
    );
    const error = await rejectionOf(client().ld.offers.retrieve('off_abc'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(isLiveDropError(error)).toBe(true);
    expect(error).toMatchObject({ operationId: 'getOffer', path: 'stock.available', requestId: 'req_bad' });
    expect((error as Error).message).toContain('"stock.available"');
    expect((error as Error).message).toContain('getOffer');
  });

  it('can be turned off for a server newer than the client', async () => {
    server.use(http.get(`${BASE}/v1/offers/off_abc`, () => HttpResponse.json({ ...offer, newField: true })));
    await expect(client().ld.offers.retrieve('off_abc')).rejects.toMatchObject({ path: '' });
    await expect(client({ validateResponses: false }).ld.offers.retrieve('off_abc')).resolves.toMatchObject({
      newField: true,
    });
  });
});

describe('timeouts and aborts', () => {
  it('aborts with AbortError and never retries', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, async () => {
        calls++;
        await delay(2000);
        return HttpResponse.json(offer);
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left the page')), 50);
    const started = Date.now();
    const error = await rejectionOf(client().ld.offers.retrieve('off_abc', { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error('user left the page'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls).toBe(1);
  });

  it('aborts during a backoff wait', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, () => {
        calls++;
        return problem(503, 'service_unavailable', { 'retry-after': '5' });
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await rejectionOf(client().ld.offers.retrieve('off_abc', { signal: controller.signal }))).toBeInstanceOf(
      AbortError,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(calls).toBe(1);
  });

  it('times out each attempt with TimeoutError, retrying in between', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/offers/off_abc`, async () => {
        calls++;
        await delay(1000);
        return HttpResponse.json(offer);
      }),
    );
    const error = await rejectionOf(client({ timeout: 100 }).ld.offers.retrieve('off_abc', { maxRetries: 1 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100 });
    expect(calls).toBe(2);
    const once = await rejectionOf(client().ld.offers.retrieve('off_abc', { timeout: 50, maxRetries: 0 }));
    expect(once).toBeInstanceOf(TimeoutError);
  });
});

describe('requests', () => {
  it('sends bearer auth, JSON, If-Match and extra headers, under a base path', async () => {
    let seen: Request | undefined;
    let body: unknown;
    server.use(
      http.patch('https://gw.livedrop.test/api/v1/offers/off_abc', async ({ request }) => {
        seen = request;
        body = await request.json();
        return HttpResponse.json(offer);
      }),
    );
    const ld = createClient({ apiKey: 'sk_test_msw', baseUrl: 'https://gw.livedrop.test/api/' });
    await ld.offers.update('off_abc', { title: 'New' }, { version: 2, headers: { 'x-trace': 'abc' } });
    expect(seen!.headers.get('authorization')).toBe('Bearer sk_test_msw');
    expect(seen!.headers.get('if-match')).toBe('2');
    expect(seen!.headers.get('content-type')).toBe('application/json');
    expect(seen!.headers.get('x-trace')).toBe('abc');
    expect(seen!.headers.get('idempotency-key')).toBeNull();
    expect(body).toEqual({ title: 'New' });
  });

  it('uses an injected fetch', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return Response.json(offer);
    };
    expect((await client({ fetch }).ld.offers.retrieve('off abc/x')).id).toBe('off_abc');
    expect(urls).toEqual([`${BASE}/v1/offers/off%20abc%2Fx`]);
  });
});
