/**
 * The reference server behind msw: no socket, no port, a clock that moves only when the test says
 * so. The SDK client calls `fetch` as in production; msw hands each request to the server.
 */
import { createHandlers, createManualClock, createReferenceServer } from '@livedrop/mock-server';
import { ConflictError, createClient, RateLimitError } from '@livedrop/node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openLiveOffer } from './support/live-offer';

const baseUrl = 'https://api.livedrop.test';
const clock = createManualClock(Date.parse('2026-11-25T18:00:00Z'));
const server = createReferenceServer({ clock });
const mocks = setupServer(...createHandlers(server, { baseUrl }));
const ld = createClient({ apiKey: server.keys.secretKey, baseUrl });

beforeAll(() => mocks.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  mocks.resetHandlers(); // drops per-test overrides, keeps the reference server's handlers
  await server.engine.reset(); // a clean server between tests, same keys
});
afterAll(() => mocks.close());

describe('the reference server behind msw', () => {
  it('expires a hold when the clock passes its TTL, and the stock comes back', async () => {
    const offer = await openLiveOffer(ld, { quantity: 3, reservationTtlSeconds: 60 });
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_ada' });
    const held = await ld.reservations.create({ offerToken: token, quantity: 2 });
    expect(held.status).toBe('held');
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ available: 1, reserved: 2 });

    clock.advance(59_000);
    expect((await ld.reservations.retrieve(held.id)).status).toBe('held');

    clock.advance(2_000);
    expect((await ld.reservations.retrieve(held.id)).status).toBe('expired');
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ total: 3, available: 3, reserved: 0, sold: 0 });
    // Too late to take payment for it.
    await expect(ld.reservations.capture(held.id, { paymentReference: 'pay_late' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('overrides one answer with msw for an edge case: a 429 with Retry-After, which the client waits out and retries', async () => {
    let throttled = 0;
    mocks.use(
      http.get(
        `${baseUrl}/v1/offers/:id`,
        () => {
          throttled++;
          return HttpResponse.json(
            {
              type: 'about:blank',
              title: 'Too Many Requests',
              status: 429,
              code: 'rate_limited',
              detail: 'Slow down.',
            },
            { status: 429, headers: { 'retry-after': '0', 'content-type': 'application/problem+json' } },
          );
        },
        { once: true },
      ),
    );
    const offer = await openLiveOffer(ld);
    const retries: number[] = [];
    const read = await ld.offers.retrieve(offer.id, { onResponse: ({ retryCount }) => void retries.push(retryCount) });
    expect([throttled, retries, read.id]).toEqual([1, [1], offer.id]);

    // Without retries the 429 reaches the caller as its own error class.
    mocks.use(
      http.get(
        `${baseUrl}/v1/offers/:id`,
        () => HttpResponse.json({ status: 429, code: 'rate_limited' }, { status: 429 }),
        { once: true },
      ),
    );
    await expect(ld.offers.retrieve(offer.id, { maxRetries: 0 })).rejects.toBeInstanceOf(RateLimitError);
  });
});
