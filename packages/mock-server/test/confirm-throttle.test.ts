import { DEFAULT_RATE_LIMITS } from '@livedrop/mock-server';
import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld, type DropWorld } from './support/drop-world';

/*
 * Declined confirms are throttled per reservation: the publishable key cannot grow the event log
 * (or probe cards) without bound by confirming one hold with a declined card over and over.
 */

async function heldReservation(world: DropWorld, buyerId: string) {
  const session = await world.liveSession();
  const offer = await world.liveOffer(session.id);
  const { reservation } = await world.reserve(offer.id, buyerId);
  return reservation as { id: string; clientSecret: string };
}

function confirm(world: DropWorld, reservation: { id: string; clientSecret: string }, paymentMethod: string) {
  return world.browser.post(`/v1/reservations/${reservation.id}/confirm`, {
    clientSecret: reservation.clientSecret,
    paymentMethod,
  });
}

const head = (world: DropWorld) => world.ld.server.engine.storage.events.head(world.keys.tenantId);

describe('declined confirms are throttled per reservation', () => {
  it('answers 429 with Retry-After past the declines a hold may have, and records nothing more', async () => {
    await using world = await startDropWorld();
    const held = await heldReservation(world, 'alice');
    const { maxDeclines, windowSeconds } = DEFAULT_RATE_LIMITS.declinedConfirms;
    for (let attempt = 0; attempt < maxDeclines; attempt++) {
      const declined = await confirm(world, held, 'pm_test_declined');
      expect(declined.status, JSON.stringify(declined.body)).toBe(402);
      expect(declined.body.code).toBe('payment_declined');
    }
    const before = await head(world);
    for (let attempt = 0; attempt < 200; attempt++) {
      const throttled = await confirm(world, held, 'pm_test_declined');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('content-type')).toContain('application/problem+json');
      expect(throttled.body.code).toBe('rate_limited');
      expect(throttled.body.detail).toContain(held.id);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    }
    // 200 more attempts recorded nothing: the log stays where it was.
    expect(await head(world)).toBe(before);
    const events = await expectStatus(world.api.get('/v1/events?types=livedrop.payment.declined&limit=100'));
    expect(events.data).toHaveLength(maxDeclines);
  });

  it('counts each hold on its own, only declines, and lets a hold pay once its window has moved', async () => {
    await using world = await startDropWorld({
      rateLimits: { declinedConfirms: { maxDeclines: 2, windowSeconds: 60 } },
    });
    const alice = await heldReservation(world, 'alice');
    const bob = await heldReservation(world, 'bob');
    // A wrong client secret is not a decline: it spends nothing.
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await confirm(world, { ...alice, clientSecret: 'wrong' }, 'pm_test_declined')).status).toBe(404);
    expect((await confirm(world, alice, 'pm_test_declined')).status).toBe(402);
    expect((await confirm(world, alice, 'pm_test_declined')).status).toBe(402);
    const throttled = await confirm(world, alice, 'pm_test_ok');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    // Bob's hold is another hold.
    expect((await confirm(world, bob, 'pm_test_declined')).status).toBe(402);
    await world.advance(60_000);
    const paid = await confirm(world, alice, 'pm_test_ok');
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.object).toBe('order');
  });

  it('refuses a declines policy that is not positive integers, naming the field', async () => {
    await expect(
      startDropWorld({ rateLimits: { declinedConfirms: { maxDeclines: 0, windowSeconds: 60 } } }),
    ).rejects.toThrow(/declinedConfirms\.maxDeclines/);
  });
});
