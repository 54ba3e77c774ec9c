import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { entitlementInForce } from '../src/domain/parties';
import { startReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const NOW = Date.parse('2026-11-25T18:00:00Z');
const HOUR = 60 * 60 * 1000;

const boot = () => startReferenceServer({ clock: createManualClock(NOW) });

/** How many events the tenant's log holds: a refused request must not add one. */
async function eventCount(api: Api): Promise<number> {
  const page = await api.get('/v1/events?limit=1000');
  expect(page.status).toBe(200);
  expect(page.body.hasMore).toBe(false);
  return page.body.data.length;
}

async function lastEvent(api: Api): Promise<any> {
  const page = await api.get('/v1/events?limit=1000');
  return page.body.data.at(-1);
}

describe('sellers', () => {
  it('creates a seller with default trust signals and emits seller.created', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const res = await api.post('/v1/sellers', { name: 'Acme Audio' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'seller',
      name: 'Acme Audio',
      trust: { verified: false, completedOrders: 0, disputeRate: 0 },
      createdAt: '2026-11-25T18:00:00.000Z',
    });
    expect(res.body.id).toMatch(/^sel_/);
    const event = await lastEvent(api);
    expect(event).toMatchObject({ type: 'livedrop.seller.created', subject: res.body.id, data: { seller: res.body } });

    const read = await api.get(`/v1/sellers/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('keeps the history a platform sends as the baseline, as whole orders, filling the rest with defaults', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const res = await api.post('/v1/sellers', {
      name: 'Trusted',
      trust: { verified: true, completedOrders: 400, disputeRate: 0.01 },
    });
    expect(res.status).toBe(201);
    expect(res.body.trust).toMatchObject({
      verified: true,
      completedOrders: 400,
      disputeRate: 0.01,
      disputeRateBps: 100,
      basis: { baseline: { completedOrders: 400, disputedOrders: 4 } },
    });
    // A rate without orders stands for no disputed order: the baseline keeps counts, not rates.
    const bare = await api.post('/v1/sellers', { name: 'Bare', trust: { disputeRate: 0.01 } });
    expect(bare.body.trust).toMatchObject({
      verified: false,
      completedOrders: 0,
      disputeRateBps: 0,
      basis: { baseline: { completedOrders: 0, disputedOrders: 0 } },
    });
  });

  it('refuses unknown fields and bad values with validation_failed naming each field, changing nothing', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const before = await eventCount(api);
    const unknown = await api.post('/v1/sellers', { name: 'Acme', isAdmin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect(unknown.body.errors).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    expect(unknown.body.errors[0].message).toContain('isAdmin');

    const bad = await api.post('/v1/sellers', { name: '', trust: { disputeRate: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'trust.disputeRate']);
    expect(await eventCount(api)).toBe(before);
  });

  it('answers 404 for an unknown seller and for another tenant’s seller', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const other = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    const theirs = await other.post('/v1/sellers', { name: 'Theirs' });
    expect(theirs.status).toBe(201);

    const foreign = await api.get(`/v1/sellers/${theirs.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await api.get('/v1/sellers/sel_doesnotexist')).status).toBe(404);
    expect((await api.get('/v1/sellers/not-an-id')).status).toBe(404);
  });

  it('needs a valid key (401) of the platform role (403)', async () => {
    await using ld = await boot();
    const anonymous = await apiAs(ld.url, undefined).post('/v1/sellers', { name: 'Acme' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    expect((await apiAs(ld.url, 'sk_test_wrong').post('/v1/sellers', { name: 'Acme' })).status).toBe(401);
    for (const key of [ld.server.keys.publishableKey, ld.server.keys.creatorKey, ld.server.keys.moderatorKey]) {
      const res = await apiAs(ld.url, key).post('/v1/sellers', { name: 'Acme' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect(await eventCount(apiAs(ld.url, ld.server.keys.secretKey))).toBe(1); // the seeded creator only
  });
});

describe('creators', () => {
  it('creates a creator (unverified by default) and emits creator.created', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const res = await api.post('/v1/creators', { handle: 'mia.live', displayName: 'Mia' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'creator', handle: 'mia.live', displayName: 'Mia', verified: false });
    expect(res.body.id).toMatch(/^cr_/);
    expect(await lastEvent(api)).toMatchObject({
      type: 'livedrop.creator.created',
      subject: res.body.id,
      data: { creator: res.body },
    });
    expect((await api.get(`/v1/creators/${res.body.id}`)).body).toEqual(res.body);
  });

  it('refuses a handle already taken in the tenant with 409 naming handle, but allows it in another tenant', async () => {
    await using ld = await boot();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    expect((await api.post('/v1/creators', { handle: 'mia', displayName: 'Mia', verified: true })).status).toBe(201);
    const before = await eventCount(api);
    const dup = await api.post('/v1/creators', { handle: 'mia', displayName: 'Another Mia' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('already_exists');
    expect(dup.body.errors).toEqual([expect.objectContaining({ path: 'handle' })]);
    expect(await eventCount(api)).toBe(before);

    const other = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    expect((await other.post('/v1/creators', { handle: 'mia', displayName: 'Mia elsewhere' })).status).toBe(201);
  });

  it('refuses a malformed handle naming the field', async () => {
    await using ld = await boot();
    const res = await apiAs(ld.url, ld.server.keys.secretKey).post('/v1/creators', {
      handle: 'Not A Handle',
      displayName: 'X',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'handle' })]);
  });

  it('lets a creator key read only its own creator; other creators and tenants read as 404', async () => {
    await using ld = await boot();
    const { keys } = ld.server;
    const api = apiAs(ld.url, keys.secretKey);
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    const own = await creatorApi.get(`/v1/creators/${keys.creatorId}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: keys.creatorId, verified: true });

    const someoneElse = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    expect((await creatorApi.get(`/v1/creators/${someoneElse.body.id}`)).status).toBe(404);
    expect((await api.get(`/v1/creators/${someoneElse.body.id}`)).status).toBe(200);

    const other = ld.server.engine.createTenant('Other');
    expect((await apiAs(ld.url, other.secretKey).get(`/v1/creators/${keys.creatorId}`)).status).toBe(404);
    expect((await apiAs(ld.url, keys.publishableKey).get(`/v1/creators/${keys.creatorId}`)).status).toBe(403);
  });
});

describe('entitlements', () => {
  async function sellerOf(api: Api, name = 'Acme'): Promise<string> {
    const res = await api.post('/v1/sellers', { name });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('creates an entitlement and emits entitlement.created', async () => {
    await using ld = await boot();
    const { creatorId, secretKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    const res = await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId,
      commissionBps: 1500,
      contentRights: ['live_stream', 'clips'],
      expiresAt: '2026-12-31T00:00:00.000Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'entitlement',
      creatorId,
      sellerId,
      commissionBps: 1500,
      contentRights: ['live_stream', 'clips'],
      expiresAt: '2026-12-31T00:00:00.000Z',
    });
    expect(res.body.id).toMatch(/^ent_/);
    expect(await lastEvent(api)).toMatchObject({
      type: 'livedrop.entitlement.created',
      subject: res.body.id,
      data: { entitlement: res.body },
    });

    const open = await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId,
      commissionBps: 0,
      contentRights: ['replay'],
    });
    expect(open.body.expiresAt).toBeNull();
  });

  it('answers 404 naming the creator or the seller that does not exist in the tenant, changing nothing', async () => {
    await using ld = await boot();
    const { creatorId, secretKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    const other = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    const foreignSeller = await sellerOf(other, 'Theirs');
    const before = await eventCount(api);

    const noCreator = await api.post('/v1/creators/cr_nobody/entitlements', {
      sellerId,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    expect(noCreator.status).toBe(404);
    expect(noCreator.body.detail).toContain('creator');
    expect(noCreator.body.detail).toContain('cr_nobody');

    const noSeller = await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId: foreignSeller,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    expect(noSeller.status).toBe(404);
    expect(noSeller.body.detail).toContain('seller');
    expect(noSeller.body.detail).toContain(foreignSeller);
    expect(await eventCount(api)).toBe(before);
  });

  it('refuses bad commission, empty rights, unknown fields and a past expiry with 400 naming the field', async () => {
    await using ld = await boot();
    const { creatorId, secretKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    const before = await eventCount(api);
    const path = `/v1/creators/${creatorId}/entitlements`;
    const cases: [unknown, string][] = [
      [{ sellerId, commissionBps: 10_001, contentRights: ['live_stream'] }, 'commissionBps'],
      [{ sellerId, commissionBps: 12.5, contentRights: ['live_stream'] }, 'commissionBps'],
      [{ sellerId, commissionBps: 100, contentRights: [] }, 'contentRights'],
      [{ sellerId, commissionBps: 100, contentRights: ['tv'] }, 'contentRights.0'],
      [{ sellerId, commissionBps: 100, contentRights: ['replay'], expiresAt: '2026-11-25T17:59:59.000Z' }, 'expiresAt'],
      [{ sellerId: 'cr_wrongkind', commissionBps: 100, contentRights: ['replay'] }, 'sellerId'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post(path, body);
      expect(res.status, field).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const unknown = await api.post(path, { sellerId, commissionBps: 100, contentRights: ['replay'], creatorId });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('unrecognized_keys');
    expect(await eventCount(api)).toBe(before);
    expect(
      (
        await apiAs(ld.url, ld.server.keys.creatorKey).post(path, {
          sellerId,
          commissionBps: 100,
          contentRights: ['replay'],
        })
      ).status,
    ).toBe(403);
  });

  it('lists a creator’s entitlements in creation order across pages', async () => {
    await using ld = await boot();
    const { creatorId, secretKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post(`/v1/creators/${creatorId}/entitlements`, {
        sellerId,
        commissionBps: 100 * i,
        contentRights: ['live_stream'],
      });
      ids.push(res.body.id);
    }
    // Another creator's entitlement is not in this list.
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    await api.post(`/v1/creators/${zoe.body.id}/entitlements`, {
      sellerId,
      commissionBps: 100,
      contentRights: ['live_stream'],
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: boolean[] = [];
    do {
      const res: any = await api.get(
        `/v1/creators/${creatorId}/entitlements?limit=2${cursor ? `&startingAfter=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
      seen.push(...res.body.data.map((e: { id: string }) => e.id));
      pages.push(res.body.hasMore);
      cursor = res.body.nextCursor;
      if (res.body.hasMore) expect(cursor).toBe(res.body.data.at(-1).id);
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toEqual([true, true, false]);

    const exact = await api.get(`/v1/creators/${creatorId}/entitlements?limit=5`);
    expect(exact.body).toMatchObject({ hasMore: false, nextCursor: null });
    const all = await api.get(`/v1/creators/${creatorId}/entitlements`);
    expect(all.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(all.body.data).toHaveLength(5);
  });

  it('refuses an unknown cursor and an out-of-range limit naming the query field', async () => {
    await using ld = await boot();
    const { creatorId, secretKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const cursor = await api.get(`/v1/creators/${creatorId}/entitlements?startingAfter=ent_unknown`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('validation_failed');
    expect(cursor.body.errors[0].path).toContain('startingAfter');
    const limit = await api.get(`/v1/creators/${creatorId}/entitlements?limit=101`);
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].path).toContain('limit');
    const unknown = await api.get(`/v1/creators/${creatorId}/entitlements?sort=desc`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('unrecognized_keys');
  });

  it('lets a creator key list only its own creator’s entitlements', async () => {
    await using ld = await boot();
    const { creatorId, secretKey, creatorKey } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId,
      commissionBps: 100,
      contentRights: ['live_stream'],
    });
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const creatorApi = apiAs(ld.url, creatorKey);
    const own = await creatorApi.get(`/v1/creators/${creatorId}/entitlements`);
    expect(own.status).toBe(200);
    expect(own.body.data).toHaveLength(1);
    expect((await creatorApi.get(`/v1/creators/${zoe.body.id}/entitlements`)).status).toBe(404);
    const otherTenant = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    expect((await otherTenant.get(`/v1/creators/${creatorId}/entitlements`)).status).toBe(404);
  });

  it('finds the latest entitlement that has not expired on the clock', async () => {
    await using ld = await boot();
    const { creatorId, secretKey, tenantId } = ld.server.keys;
    const { engine } = ld.server;
    const api = apiAs(ld.url, secretKey);
    const sellerId = await sellerOf(api);
    expect(entitlementInForce(engine, tenantId, creatorId, sellerId)).toBeUndefined();
    const lasting = await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    const shortLived = await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId,
      commissionBps: 2000,
      contentRights: ['live_stream'],
      expiresAt: new Date(NOW + HOUR).toISOString(),
    });
    expect(entitlementInForce(engine, tenantId, creatorId, sellerId)?.id).toBe(shortLived.body.id);
    engine.clock.advance(HOUR);
    expect(entitlementInForce(engine, tenantId, creatorId, sellerId)?.id).toBe(lasting.body.id);
    expect(entitlementInForce(engine, 'ten_other', creatorId, sellerId)).toBeUndefined();
  });
});
