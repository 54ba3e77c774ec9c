import { MAX_OFFER_TOKEN_LENGTH } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld, usd } from './support/drop-world';

const key = (name: string, headers: Record<string, string> = {}) => ({
  headers: { 'idempotency-key': `bounds-${name}`, ...headers },
});

describe('idempotency records are bounded and only kept for requests that ran', () => {
  it('refuses an offer token longer than MAX_OFFER_TOKEN_LENGTH with 400 naming offerToken', async () => {
    await using world = await startDropWorld();
    const response = await world.browser.post(
      '/v1/reservations',
      { offerToken: 'x'.repeat(MAX_OFFER_TOKEN_LENGTH + 1), quantity: 1 },
      key('long-token'),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors[0].path).toBe('offerToken');
    expect(response.body.errors[0].message).toContain(String(MAX_OFFER_TOKEN_LENGTH));
  });

  it("does not store a handler's own validation_failed: the corrected retry with the same key succeeds", async () => {
    await using world = await startDropWorld();
    const refused = await world.api.post(
      '/v1/webhook-endpoints',
      { url: 'http://hooks.example.test/in', eventTypes: ['*'] },
      key('webhook-url'),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    const corrected = await world.api.post(
      '/v1/webhook-endpoints',
      { url: 'https://hooks.example.test/in', eventTypes: ['*'] },
      key('webhook-url'),
    );
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not store a 404 for an unknown sellerId: the corrected retry with the same key succeeds', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = { sku: 'NW-9', title: 'Parka', price: usd(9_900), quantity: 5 };
    const path = `/v1/sessions/${session.id}/offers`;
    const refused = await world.api.post(path, { ...offer, sellerId: 'sel_unknown000000' }, key('seller'));
    expect(refused.status).toBe(404);
    const corrected = await world.api.post(path, { ...offer, sellerId: world.sellerId }, key('seller'));
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
  });

  it('does not store an endsAt in the past (the handler’s own check): the corrected retry succeeds', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = { sellerId: world.sellerId, sku: 'NW-9', title: 'Parka', price: usd(9_900), quantity: 5 };
    const path = `/v1/sessions/${session.id}/offers`;
    const refused = await world.api.post(path, { ...offer, endsAt: '2026-11-25T17:00:00.000Z' }, key('ends'));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('endsAt');
    const corrected = await world.api.post(path, { ...offer, endsAt: '2026-11-25T20:00:00.000Z' }, key('ends'));
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
  });

  it('still replays a refusal the request met in the state (409 sold_out) for the same key', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id, { quantity: 1 });
    await world.reserve(offer.id, 'buyer-a');
    const issued = await expectStatus(world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer-b' }), 201);
    const first = await world.browser.post('/v1/reservations', { offerToken: issued.token, quantity: 1 }, key('sold'));
    expect(first.body.code).toBe('sold_out');
    const again = await world.browser.post('/v1/reservations', { offerToken: issued.token, quantity: 1 }, key('sold'));
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('never stores a refusal for bad credentials (a forged offer token) under the shared publishable scope', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id);
    const forged = await world.browser.post(
      '/v1/reservations',
      { offerToken: 'not.a.token', quantity: 1 },
      key('cred'),
    );
    expect(forged.status).toBe(401);
    const issued = await expectStatus(world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer-a' }), 201);
    // Another request under the same key is another fingerprint: refused as reused, never as the stored 401.
    const real = await world.browser.post('/v1/reservations', { offerToken: issued.token, quantity: 1 }, key('cred'));
    expect(real.status, JSON.stringify(real.body)).toBe(201);
  });

  for (const via of ['query', 'header'] as const) {
    it(`a replay without the client secret (sent in the ${via}) neither answers nor reveals it`, async () => {
      await using world = await startDropWorld();
      const session = await world.liveSession();
      const offer = await world.liveOffer(session.id);
      const { reservation } = await world.reserve(offer.id, 'buyer-a');
      const secret: string = reservation.clientSecret;
      const path = `/v1/reservations/${reservation.id}/release`;
      const released =
        via === 'query'
          ? await world.browser.post(`${path}?clientSecret=${encodeURIComponent(secret)}`, undefined, key('release'))
          : await world.browser.post(path, undefined, key('release', { 'livedrop-client-secret': secret }));
      expect(released.status, JSON.stringify(released.body)).toBe(200);
      expect(released.body.status).toBe('released');

      const replay = await world.browser.post(path, undefined, key('release'));
      expect(replay.status).toBe(422);
      expect(replay.body.code).toBe('idempotency_key_reused');
      expect(JSON.stringify(replay.body)).not.toContain(secret);
      // A wrong secret is no better than none.
      const wrong = await world.browser.post(path, undefined, key('release', { 'livedrop-client-secret': 'nope' }));
      expect(wrong.status).toBe(422);
      expect(JSON.stringify(wrong.body)).not.toContain(secret);
    });
  }
});
