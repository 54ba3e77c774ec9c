import { createOffsetClock, type ReferenceServerOptions } from '@livedrop/mock-server';
import { describe, expect, it } from 'vitest';
import { RateLimitError, createClient, isLiveDropError, type AttemptInfo, type ClientOptions } from './support/sdk';
import { liveOffer, rejectionOf, type ReferenceHarness } from './support/reference';
import { startReferenceServer } from '@livedrop/mock-server/node';

/**
 * A reference server whose clock follows the wall clock, so a bucket refills while the client
 * waits out `Retry-After` for real (one second at most in these tests).
 */
async function harnessWith(rateLimits: NonNullable<ReferenceServerOptions['rateLimits']>): Promise<ReferenceHarness> {
  const clock = createOffsetClock();
  const running = await startReferenceServer({ clock, port: 0, rateLimits });
  const client = (key: string, options: Partial<ClientOptions> = {}) =>
    createClient({ apiKey: key, baseUrl: running.url, ...options });
  const control = () => Promise.reject(new Error('these tests do not use the control API'));
  return { running, clock, ld: client(running.server.keys.secretKey), client, control, close: () => running.close() };
}

/** A client that records the status of every attempt of `operationId`. */
function recorded(h: ReferenceHarness, key: string, options: Partial<ClientOptions> = {}) {
  const attempts: AttemptInfo[] = [];
  const ld = h.client(key, { ...options, onAttempt: (attempt) => attempts.push(attempt) });
  const statuses = (operationId: string) => attempts.filter((a) => a.operationId === operationId).map((a) => a.status);
  return { ld, attempts, statuses };
}

describe('the client against the reference server’s rate limits', () => {
  it('waits out a 429 Retry-After on token issuance and returns the token it then gets', async () => {
    const h = await harnessWith({
      routes: { issueOfferToken: { perBuyer: { limit: 1, windowSeconds: 1 } } },
      velocity: false,
    });
    try {
      const { offer } = await liveOffer(h);
      const { ld, statuses } = recorded(h, h.running.server.keys.secretKey);
      const first = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' });
      const second = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' });
      expect(second.jti).not.toBe(first.jti);
      // The second call was refused with Retry-After: 1; its retry, after the wait, was admitted.
      const attempts = statuses('issueOfferToken');
      expect(attempts[0]).toBe(201);
      expect(attempts[1]).toBe(429);
      expect(attempts.at(-1)).toBe(201);
      expect(attempts.slice(1, -1).every((status) => status === 429)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('retries a throttled reservation with the same Idempotency-Key, and it holds', async () => {
    const h = await harnessWith({ routes: { createReservation: { perBuyer: { limit: 1, windowSeconds: 1 } } } });
    try {
      const { offer } = await liveOffer(h);
      const tokens = [
        await h.ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' }),
        await h.ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' }),
      ];
      const { ld, attempts } = recorded(h, h.running.server.keys.publishableKey);
      const held = [];
      for (const { token } of tokens) held.push(await ld.reservations.create({ offerToken: token, quantity: 1 }));
      expect(held.map((r) => r.status)).toEqual(['held', 'held']);
      expect(new Set(held.map((r) => r.id)).size).toBe(2);
      const second = attempts.filter((a) => a.operationId === 'createReservation').slice(1);
      expect(second[0]!.status).toBe(429);
      expect(second.at(-1)!.status).toBe(201);
      // Every attempt of the call carried the same key: the 429 was not kept as the request's result.
      expect(new Set(second.map((a) => a.idempotencyKey)).size).toBe(1);
      expect((await h.ld.offers.retrieve(offer.id)).stock).toMatchObject({ reserved: 2 });
    } finally {
      await h.close();
    }
  });

  it('surfaces a typed RateLimitError with code and retryAfterMs once retries are spent', async () => {
    const h = await harnessWith({
      routes: { issueOfferToken: { perBuyer: { limit: 1, windowSeconds: 1 } } },
      velocity: false,
    });
    try {
      const { offer } = await liveOffer(h);
      const { ld, statuses } = recorded(h, h.running.server.keys.secretKey, { maxRetries: 0 });
      await ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' });
      const error = await rejectionOf(ld.offers.issueToken(offer.id, { buyerId: 'buyer_ann' }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(isLiveDropError(error)).toBe(true);
      expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 1000 });
      expect((error as RateLimitError).requestId).toMatch(/^req_/);
      expect((error as RateLimitError).message).toContain('the per-buyer limit is 1 per 1 s');
      expect((error as RateLimitError).headers.get('ratelimit-policy')).toBe('"per-buyer";q=1;w=1');
      expect(statuses('issueOfferToken')).toEqual([201, 429]);
    } finally {
      await h.close();
    }
  });

  it('does not retry a velocity refusal whose Retry-After is beyond its cap: the caller gets velocity_exceeded', async () => {
    const h = await harnessWith({
      routes: { issueOfferToken: { perBuyer: false } },
      velocity: { maxTokens: 1, windowSeconds: 600 },
    });
    try {
      const { offer } = await liveOffer(h);
      const { ld, statuses } = recorded(h, h.running.server.keys.secretKey);
      await ld.offers.issueToken(offer.id, { buyerId: 'buyer_bot' });
      const error = await rejectionOf(ld.offers.issueToken(offer.id, { buyerId: 'buyer_bot' }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'velocity_exceeded' });
      // About ten minutes, as the server said (it counts from when the first token was issued).
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(590_000);
      expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(600_000);
      expect((error as RateLimitError).message).toContain('in the last 600 s');
      expect(statuses('issueOfferToken')).toEqual([201, 429]);
    } finally {
      await h.close();
    }
  });
});
