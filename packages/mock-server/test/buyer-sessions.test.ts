import { describe, expect, it } from 'vitest';
import { START, expectStatus, startDropWorld, type DropWorld } from './support/drop-world';
import { apiAs } from './support/http';

/** The claims of a compact JWS, read without verifying (the server verified them). */
function claimsOf(token: string): { sub: string } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

async function liveOfferIn(world: DropWorld, body: Record<string, unknown> = {}) {
  const session = await world.liveSession();
  return world.liveOffer(session.id, body);
}

describe('buyer sessions: the platform asserts the buyer, the browser cannot choose one', () => {
  it('mints a credential with the secret key: bs_test_…, the buyer, and 15 minutes by default', async () => {
    await using world = await startDropWorld();
    const res = await world.api.post('/v1/buyer-sessions', { buyerId: 'alice' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      object: 'buyer_session',
      credential: expect.stringMatching(/^bs_test_[A-Za-z0-9_-]{32,}$/),
      buyerId: 'alice',
      expiresAt: new Date(START + 900_000).toISOString(),
    });
    const longer = await expectStatus(
      world.api.post('/v1/buyer-sessions', { buyerId: 'alice', ttlSeconds: 86_400 }),
      201,
    );
    expect(longer.expiresAt).toBe(new Date(START + 86_400_000).toISOString());
    expect(longer.credential).not.toBe(res.body.credential);
  });

  it('refuses a TTL outside 60 s – 24 h, naming ttlSeconds, and mints nothing', async () => {
    await using world = await startDropWorld();
    for (const ttlSeconds of [59, 86_401, 1.5]) {
      const res = await world.api.post('/v1/buyer-sessions', { buyerId: 'alice', ttlSeconds });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['ttlSeconds']);
    }
  });

  it('is the platform key only: a publishable or creator key is forbidden', async () => {
    await using world = await startDropWorld();
    for (const key of [world.keys.publishableKey, world.keys.creatorKey]) {
      const res = await apiAs(world.ld.url, key).post('/v1/buyer-sessions', { buyerId: 'alice' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
  });

  it('issues offer tokens for the asserted buyer only', async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const alice = await world.buyer('alice');
    const issued = await expectStatus(alice.post(`/v1/offers/${offer.id}/tokens`, {}), 201);
    expect(claimsOf(issued.token).sub).toBe('alice');
    const hold = await expectStatus(alice.post('/v1/reservations', { offerToken: issued.token, quantity: 1 }), 201);
    expect(hold.buyerId).toBe('alice');
  });

  it('refuses a publishable key that names a buyer: 403 buyer_id_not_allowed, with or without a session', async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const alice = await world.buyer('alice');
    for (const caller of [world.browser, alice]) {
      const res = await caller.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'alice' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('buyer_id_not_allowed');
      expect(res.body.detail).toMatch(/LiveDrop-Buyer-Session/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'buyerId' })]);
    }
  });

  it('answers 401 buyer_session_required, _invalid and _expired, each with what to do', async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const path = `/v1/offers/${offer.id}/tokens`;

    const none = await world.browser.post(path, {});
    expect([none.status, none.body.code]).toEqual([401, 'buyer_session_required']);
    expect(none.body.detail).toMatch(/POST \/v1\/buyer-sessions/);

    const forged = await world.browser.post(path, {}, { headers: { 'livedrop-buyer-session': 'bs_test_forged' } });
    expect([forged.status, forged.body.code]).toEqual([401, 'buyer_session_invalid']);

    const alice = await world.buyer('alice', 60);
    await expectStatus(alice.post(path, {}), 201);
    await world.advance(60_000);
    const expired = await alice.post(path, {});
    expect([expired.status, expired.body.code]).toEqual([401, 'buyer_session_expired']);
    expect(expired.body.detail).toMatch(/mint a new one/);
  });

  it("refuses another tenant's buyer session as invalid", async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const other = world.ld.server.engine.createTenant('Other Platform');
    const theirs = await expectStatus(
      apiAs(world.ld.url, other.secretKey).post('/v1/buyer-sessions', { buyerId: 'alice' }),
      201,
    );
    const res = await world.browser.post(
      `/v1/offers/${offer.id}/tokens`,
      {},
      { headers: { 'livedrop-buyer-session': theirs.credential } },
    );
    expect([res.status, res.body.code]).toEqual([401, 'buyer_session_invalid']);
  });

  it('still lets the platform key name buyerId, and requires it there', async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const issued = await expectStatus(world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'bob' }), 201);
    expect(claimsOf(issued.token).sub).toBe('bob');
    const missing = await world.api.post(`/v1/offers/${offer.id}/tokens`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'buyerId' })]);
  });

  it("refuses to reserve with another buyer's token beside a buyer session", async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const bobs = await expectStatus(world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'bob' }), 201);
    const alice = await world.buyer('alice');
    const res = await alice.post('/v1/reservations', { offerToken: bobs.token, quantity: 1 });
    expect([res.status, res.body.code]).toEqual([401, 'token_invalid']);
    const view = await expectStatus(world.api.get(`/v1/offers/${offer.id}`));
    expect(view.stock.reserved).toBe(0);
  });

  it('invented buyers cannot sell out an offer past its per-buyer limit (25 × 2 of 50)', async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world, { quantity: 50, perBuyerLimit: 2 });
    for (let i = 0; i < 25; i++) {
      const res = await world.browser.post(`/v1/offers/${offer.id}/tokens`, {
        buyerId: `invented_${i}`,
        quantityMax: 2,
      });
      expect(res.status).toBe(403);
    }
    // One browser with one asserted buyer gets at most its two units, however many tokens it asks for.
    const mallory = await world.buyer('mallory');
    const first = await expectStatus(mallory.post(`/v1/offers/${offer.id}/tokens`, {}), 201);
    await expectStatus(mallory.post('/v1/reservations', { offerToken: first.token, quantity: 2 }), 201);
    const second = await expectStatus(mallory.post(`/v1/offers/${offer.id}/tokens`, {}), 201);
    const more = await mallory.post('/v1/reservations', { offerToken: second.token, quantity: 1 });
    expect([more.status, more.body.code]).toEqual([422, 'limit_exceeded']);
    const view = await expectStatus(world.api.get(`/v1/offers/${offer.id}`));
    expect(view.stock).toMatchObject({ available: 48, reserved: 2 });
  });

  it("cannot lock a real buyer out: tokens asked for alice by anyone else leave alice's velocity untouched", async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    for (let i = 0; i < 20; i++) {
      const res = await world.browser.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'alice' });
      expect(res.status).toBe(403);
    }
    const mallory = await world.buyer('mallory');
    for (let i = 0; i < 20; i++) {
      await expectStatus(mallory.post(`/v1/offers/${offer.id}/tokens`, {}), 201);
      await world.advance(1000); // under the per-buyer burst limit; well inside the velocity window
    }
    const platformForAlice = await world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'alice' });
    expect(platformForAlice.status).toBe(201);
    const alice = await world.buyer('alice');
    await expectStatus(alice.post(`/v1/offers/${offer.id}/tokens`, {}), 201);
    // Mallory's own 21st token is hers to lose: velocity counts the asserted buyer.
    const mallorys21st = await mallory.post(`/v1/offers/${offer.id}/tokens`, {});
    expect([mallorys21st.status, mallorys21st.body.code]).toEqual([429, 'velocity_exceeded']);
  });

  it("scopes a publishable key's idempotency keys per asserted buyer", async () => {
    await using world = await startDropWorld();
    const offer = await liveOfferIn(world);
    const headers = { 'idempotency-key': 'same-key-for-everyone' };
    const alice = await world.buyer('alice');
    const bob = await world.buyer('bob');
    const first = await alice.post(`/v1/offers/${offer.id}/tokens`, {}, { headers });
    expect(first.status).toBe(201);
    const bobs = await bob.post(`/v1/offers/${offer.id}/tokens`, {}, { headers });
    expect(bobs.status).toBe(201);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
    expect(claimsOf(bobs.body.token).sub).toBe('bob');
    const again = await alice.post(`/v1/offers/${offer.id}/tokens`, {}, { headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).toBe(first.body.token);
  });
});
