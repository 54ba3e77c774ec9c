import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs, type Api } from './support/http';

const NOW = Date.parse('2026-11-25T18:00:00Z');
const MINUTE = 60_000;
const usd = (amount: number) => ({ amount, currency: 'USD' });

const boot = () => startReferenceServer({ clock: createManualClock(NOW) });

async function events(api: Api, after = 0): Promise<any[]> {
  const page = await api.get(`/v1/events?after=${after}&limit=1000`);
  expect(page.status).toBe(200);
  expect(page.body.hasMore).toBe(false);
  return page.body.data;
}
const eventCount = async (api: Api) => (await events(api)).length;

/** A seller the house creator may sell for, and a scheduled session of the house creator. */
async function world(ld: StartedReferenceServer) {
  const { keys } = ld.server;
  const api = apiAs(ld.url, keys.secretKey);
  const seller = await api.post('/v1/sellers', { name: 'Acme Audio', trust: { verified: true, completedOrders: 120 } });
  const entitled = await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
    sellerId: seller.body.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  expect(entitled.status).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId: keys.creatorId,
    title: 'Black Friday drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
    metadata: { internalRef: 'bf-26' },
  });
  expect(session.status).toBe(201);
  return { api, keys, sellerId: seller.body.id as string, session: session.body };
}

async function offerIn(
  api: Api,
  sessionId: string,
  sellerId: string,
  extra: Record<string, unknown> = {},
): Promise<any> {
  const res = await api.post(`/v1/sessions/${sessionId}/offers`, {
    sellerId,
    sku: 'HP-1',
    title: 'Headphones',
    price: usd(4999),
    quantity: 10,
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('creating sessions', () => {
  it('schedules a session at version 1 and emits session.created', async () => {
    await using ld = await boot();
    const { api, keys, session } = await world(ld);
    expect(session).toMatchObject({
      object: 'session',
      creatorId: keys.creatorId,
      title: 'Black Friday drop',
      status: 'scheduled',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
      startedAt: null,
      endedAt: null,
      metadata: { internalRef: 'bf-26' },
      version: 1,
      createdAt: '2026-11-25T18:00:00.000Z',
      updatedAt: '2026-11-25T18:00:00.000Z',
    });
    expect(session.id).toMatch(/^ses_/);
    expect((await events(api)).at(-1)).toMatchObject({
      type: 'livedrop.session.created',
      subject: session.id,
      data: { session },
    });
    const bare = await api.post('/v1/sessions', {
      creatorId: keys.creatorId,
      title: 'No metadata',
      scheduledStartAt: '2026-11-26T19:00:00Z',
    });
    expect(bare.status).toBe(201);
    expect(bare.body.metadata).toEqual({});
    // Timestamps come back in the server's own form.
    expect(bare.body.scheduledStartAt).toBe('2026-11-26T19:00:00.000Z');
  });

  it('lets a creator key schedule only for its own creator (403 otherwise), changing nothing', async () => {
    await using ld = await boot();
    const { api, keys } = await world(ld);
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    const own = await creatorApi.post('/v1/sessions', {
      creatorId: keys.creatorId,
      title: 'Mine',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    expect(own.status).toBe(201);
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const before = await eventCount(api);
    const theirs = await creatorApi.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Not mine',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe('forbidden');
    expect(await eventCount(api)).toBe(before);
  });

  it('answers 404 for an unknown or foreign creator, 400 naming bad fields, 401 and 403 by key', async () => {
    await using ld = await boot();
    const { api, keys } = await world(ld);
    const other = ld.server.engine.createTenant('Other');
    const before = await eventCount(api);
    const unknown = await api.post('/v1/sessions', {
      creatorId: 'cr_nobody',
      title: 'X',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('cr_nobody');
    expect(
      (
        await api.post('/v1/sessions', {
          creatorId: other.creatorId,
          title: 'X',
          scheduledStartAt: '2026-11-26T19:00:00.000Z',
        })
      ).status,
    ).toBe(404);

    const invalid = await api.post('/v1/sessions', { creatorId: keys.creatorId, scheduledStartAt: 'tomorrow' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['scheduledStartAt', 'title']);
    const extra = await api.post('/v1/sessions', {
      creatorId: keys.creatorId,
      title: 'X',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
      status: 'live',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);

    const body = { creatorId: keys.creatorId, title: 'X', scheduledStartAt: '2026-11-26T19:00:00.000Z' };
    expect((await apiAs(ld.url, undefined).post('/v1/sessions', body)).status).toBe(401);
    expect((await apiAs(ld.url, keys.publishableKey).post('/v1/sessions', body)).status).toBe(403);
    expect((await apiAs(ld.url, keys.moderatorKey).post('/v1/sessions', body)).status).toBe(403);
    expect(await eventCount(api)).toBe(before);
  });
});

describe('listing sessions', () => {
  it('lists newest first, filters by status and creator, and pages with hasMore/nextCursor', async () => {
    await using ld = await boot();
    const { api, keys, session: a } = await world(ld);
    ld.server.engine.clock.advance(MINUTE);
    const b = (
      await api.post('/v1/sessions', {
        creatorId: keys.creatorId,
        title: 'B',
        scheduledStartAt: '2026-11-26T19:00:00.000Z',
      })
    ).body;
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const c = (
      await api.post('/v1/sessions', {
        creatorId: zoe.body.id,
        title: 'C',
        scheduledStartAt: '2026-11-27T19:00:00.000Z',
      })
    ).body;
    expect((await api.post(`/v1/sessions/${b.id}/start`)).status).toBe(200);

    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((s) => s.id);
    const all = await api.get('/v1/sessions');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ object: 'list', hasMore: false, nextCursor: null });
    expect(ids(all)).toEqual([c.id, b.id, a.id]);
    expect(ids(await api.get('/v1/sessions?status=live'))).toEqual([b.id]);
    expect(ids(await api.get('/v1/sessions?status=scheduled'))).toEqual([c.id, a.id]);
    expect(ids(await api.get(`/v1/sessions?creatorId=${zoe.body.id}`))).toEqual([c.id]);
    expect(ids(await api.get(`/v1/sessions?creatorId=${keys.creatorId}&status=scheduled`))).toEqual([a.id]);

    const first = await api.get('/v1/sessions?limit=2');
    expect(ids(first)).toEqual([c.id, b.id]);
    expect(first.body).toMatchObject({ hasMore: true, nextCursor: b.id });
    const second = await api.get(`/v1/sessions?limit=2&startingAfter=${first.body.nextCursor}`);
    expect(ids(second)).toEqual([a.id]);
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });

    const creatorView = await apiAs(ld.url, keys.creatorKey).get('/v1/sessions');
    expect(ids(creatorView)).toEqual([b.id, a.id]);
    expect(ids(await apiAs(ld.url, keys.creatorKey).get(`/v1/sessions?creatorId=${zoe.body.id}`))).toEqual([]);
    const otherTenant = apiAs(ld.url, ld.server.engine.createTenant('Other').secretKey);
    expect(ids(await otherTenant.get('/v1/sessions'))).toEqual([]);
  });

  it('refuses a bad filter, an unknown cursor and a publishable key', async () => {
    await using ld = await boot();
    const { api, keys } = await world(ld);
    const status = await api.get('/v1/sessions?status=paused');
    expect(status.status).toBe(400);
    expect(status.body.errors[0].path).toBe('query.status');
    const cursor = await api.get('/v1/sessions?startingAfter=ses_unknown');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].path).toContain('startingAfter');
    expect((await apiAs(ld.url, keys.publishableKey).get('/v1/sessions')).status).toBe(403);
  });
});

describe('hydrating a session', () => {
  it('returns the session, its creator, its offers with live stock and their distinct sellers', async () => {
    await using ld = await boot();
    const { api, keys, sellerId, session } = await world(ld);
    const second = await api.post('/v1/sellers', { name: 'Beta Goods' });
    await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: second.body.id,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    const o1 = await offerIn(api, session.id, sellerId);
    const o2 = await offerIn(api, session.id, second.body.id, { sku: 'B-1' });
    const o3 = await offerIn(api, session.id, sellerId, { sku: 'HP-2' });

    const res = await api.get(`/v1/sessions/${session.id}`);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('session_view');
    expect(res.body.session).toEqual(session);
    expect(res.body.creator).toMatchObject({ id: keys.creatorId, object: 'creator', verified: true });
    expect(res.body.offers.map((o: { id: string }) => o.id)).toEqual([o1.id, o2.id, o3.id]);
    expect(res.body.offers[0].stock).toEqual({ total: 10, available: 10, reserved: 0, sold: 0, backordered: 0 });
    expect(res.body.sellers.map((s: { id: string }) => s.id)).toEqual([sellerId, second.body.id]);
    expect(res.body.sellers[0].trust).toMatchObject({
      verified: true,
      completedOrders: 120,
      disputeRate: 0,
      disputeRateBps: 0,
      basis: { window: 'P90D', baseline: { completedOrders: 120, disputedOrders: 0 } },
    });
    expect(res.headers.get('cache-control')).toBe('private, no-store');

    expect((await apiAs(ld.url, keys.moderatorKey).get(`/v1/sessions/${session.id}`)).body.offers).toHaveLength(3);
    expect((await apiAs(ld.url, keys.creatorKey).get(`/v1/sessions/${session.id}`)).status).toBe(200);
  });

  it('gives publishable keys the public projection: no draft or pending offers, no metadata', async () => {
    await using ld = await boot();
    const { api, keys, sellerId, session } = await world(ld);
    const second = await api.post('/v1/sellers', { name: 'Hidden Seller' });
    await api.post(`/v1/creators/${keys.creatorId}/entitlements`, {
      sellerId: second.body.id,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    await api.post(`/v1/sessions/${session.id}/start`);
    const live = await offerIn(api, session.id, sellerId);
    const paused = await offerIn(api, session.id, sellerId, { sku: 'P' });
    const ended = await offerIn(api, session.id, sellerId, { sku: 'E' });
    const draft = await offerIn(api, session.id, second.body.id, { sku: 'D' });
    const pending = await offerIn(api, session.id, sellerId, { sku: 'R', compareAtPrice: usd(4999 * 3) });
    expect(pending.status).toBe('pending_review');
    for (const id of [live.id, paused.id, ended.id])
      expect((await api.post(`/v1/offers/${id}/publish`)).status).toBe(200);
    await api.post(`/v1/offers/${paused.id}/pause`);
    await api.post(`/v1/offers/${ended.id}/end`);

    const pub = await apiAs(ld.url, keys.publishableKey).get(`/v1/sessions/${session.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.session).not.toHaveProperty('metadata');
    expect(pub.body.session.title).toBe('Black Friday drop');
    expect(pub.body.offers.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [live.id, 'live'],
      [paused.id, 'paused'],
      [ended.id, 'ended'],
    ]);
    // The draft's seller sells nothing visible, so the viewer doesn't learn of it either.
    expect(pub.body.sellers.map((s: { id: string }) => s.id)).toEqual([sellerId]);
    expect(JSON.stringify(pub.body)).not.toContain(draft.id);

    const full = await api.get(`/v1/sessions/${session.id}`);
    expect(full.body.offers).toHaveLength(5);
    expect(full.body.session.metadata).toEqual({ internalRef: 'bf-26' });
    expect(full.headers.get('etag')).not.toBe(pub.headers.get('etag'));
  });

  it('sends a strong ETag and answers 304 to a matching If-None-Match until something changes', async () => {
    await using ld = await boot();
    const { api, sellerId, session } = await world(ld);
    const first = await api.get(`/v1/sessions/${session.id}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await api.get(`/v1/sessions/${session.id}`)).headers.get('etag')).toBe(etag);

    const notModified = await api.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': etag! } });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(
      (await api.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status,
    ).toBe(304);
    expect((await api.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);

    await api.patch(`/v1/sessions/${session.id}`, { title: 'Renamed' }, { headers: { 'if-match': '1' } });
    const afterPatch = await api.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': etag! } });
    expect(afterPatch.status).toBe(200);
    expect(afterPatch.body.session.title).toBe('Renamed');
    const etag2 = afterPatch.headers.get('etag');
    expect(etag2).not.toBe(etag);

    // A new offer changes the view too.
    await offerIn(api, session.id, sellerId);
    const afterOffer = await api.get(`/v1/sessions/${session.id}`, { headers: { 'if-none-match': etag2! } });
    expect(afterOffer.status).toBe(200);
    expect(afterOffer.headers.get('etag')).not.toBe(etag2);
  });

  it('answers 404 for another creator’s session (creator key), another tenant and an unknown id', async () => {
    await using ld = await boot();
    const { api, keys } = await world(ld);
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const zoes = await api.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Zoe live',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    expect((await apiAs(ld.url, keys.creatorKey).get(`/v1/sessions/${zoes.body.id}`)).status).toBe(404);
    const other = ld.server.engine.createTenant('Other');
    for (const key of [other.secretKey, other.publishableKey]) {
      const res = await apiAs(ld.url, key).get(`/v1/sessions/${zoes.body.id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await api.get('/v1/sessions/ses_unknown')).status).toBe(404);
    expect((await apiAs(ld.url, undefined).get(`/v1/sessions/${zoes.body.id}`)).status).toBe(401);
  });
});

describe('changing a session', () => {
  it('needs If-Match: 428 without it, 412 naming the current version when stale, 400 when not a version', async () => {
    await using ld = await boot();
    const { api, session } = await world(ld);
    const before = await eventCount(api);
    const missing = await api.patch(`/v1/sessions/${session.id}`, { title: 'New' });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('precondition_required');
    const stale = await api.patch(`/v1/sessions/${session.id}`, { title: 'New' }, { headers: { 'if-match': '7' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.detail).toContain('version 1');
    const garbage = await api.patch(
      `/v1/sessions/${session.id}`,
      { title: 'New' },
      { headers: { 'if-match': 'soon' } },
    );
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors[0].path).toBe('If-Match');
    expect(await eventCount(api)).toBe(before);
    expect((await api.get(`/v1/sessions/${session.id}`)).body.session).toEqual(session);
  });

  it('applies a change with the current version, bumps version and updatedAt, emits session.updated', async () => {
    await using ld = await boot();
    const { api, session } = await world(ld);
    ld.server.engine.clock.advance(MINUTE);
    const res = await api.patch(
      `/v1/sessions/${session.id}`,
      { title: 'Cyber Monday', metadata: { internalRef: 'cm-26' } },
      { headers: { 'if-match': '1' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: 'Cyber Monday',
      metadata: { internalRef: 'cm-26' },
      version: 2,
      updatedAt: '2026-11-25T18:01:00.000Z',
      createdAt: session.createdAt,
    });
    expect((await events(api)).at(-1)).toMatchObject({ type: 'livedrop.session.updated', data: { session: res.body } });
    // The quoted form of the version works too; the old version no longer does.
    const quoted = await api.patch(
      `/v1/sessions/${session.id}`,
      { scheduledStartAt: '2026-11-30T19:00:00.000Z' },
      { headers: { 'if-match': '"2"' } },
    );
    expect(quoted.status).toBe(200);
    expect(quoted.body.version).toBe(3);
    expect(
      (await api.patch(`/v1/sessions/${session.id}`, { title: 'Lost update' }, { headers: { 'if-match': '2' } }))
        .status,
    ).toBe(412);
  });

  it('refuses unknown fields, other creators’ sessions and ended sessions', async () => {
    await using ld = await boot();
    const { api, keys, session } = await world(ld);
    const before = await eventCount(api);
    const unknown = await api.patch(`/v1/sessions/${session.id}`, { status: 'live' }, { headers: { 'if-match': '1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('unrecognized_keys');
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const zoes = await api.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Zoe live',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    const afterSetup = await eventCount(api);
    expect(afterSetup).toBe(before + 2);
    expect(
      (
        await apiAs(ld.url, keys.creatorKey).patch(
          `/v1/sessions/${zoes.body.id}`,
          { title: 'Mine now' },
          { headers: { 'if-match': '1' } },
        )
      ).status,
    ).toBe(404);
    const own = await apiAs(ld.url, keys.creatorKey).patch(
      `/v1/sessions/${session.id}`,
      { title: 'Mine' },
      { headers: { 'if-match': '1' } },
    );
    expect(own.status).toBe(200);

    const ended = await api.post(`/v1/sessions/${session.id}/end`);
    expect(ended.body.version).toBe(3);
    const count = await eventCount(api);
    const late = await api.patch(`/v1/sessions/${session.id}`, { title: 'Too late' }, { headers: { 'if-match': '3' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_state');
    expect(await eventCount(api)).toBe(count);
  });
});

describe('starting and ending a session', () => {
  it('starts a scheduled session once', async () => {
    await using ld = await boot();
    const { api, keys, session } = await world(ld);
    ld.server.engine.clock.advance(5 * MINUTE);
    const started = await apiAs(ld.url, keys.creatorKey).post(`/v1/sessions/${session.id}/start`);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'live', startedAt: '2026-11-25T18:05:00.000Z', version: 2 });
    expect((await events(api)).at(-1)).toMatchObject({
      type: 'livedrop.session.started',
      data: { session: started.body },
    });
    const before = await eventCount(api);
    const again = await api.post(`/v1/sessions/${session.id}/start`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_state');
    expect(await eventCount(api)).toBe(before);
  });

  it('ends the session and each draft, live and paused offer with one event each; pending offers stay', async () => {
    await using ld = await boot();
    const { api, keys, sellerId, session } = await world(ld);
    await api.post(`/v1/sessions/${session.id}/start`);
    const draft = await offerIn(api, session.id, sellerId, { sku: 'D' });
    const live = await offerIn(api, session.id, sellerId, { sku: 'L' });
    const paused = await offerIn(api, session.id, sellerId, { sku: 'P' });
    const pending = await offerIn(api, session.id, sellerId, { sku: 'R', compareAtPrice: usd(20_000) });
    const alreadyEnded = await offerIn(api, session.id, sellerId, { sku: 'E' });
    await api.post(`/v1/offers/${live.id}/publish`);
    await api.post(`/v1/offers/${paused.id}/publish`);
    await api.post(`/v1/offers/${paused.id}/pause`);
    await api.post(`/v1/offers/${alreadyEnded.id}/end`);
    const seq = await eventCount(api);
    ld.server.engine.clock.advance(MINUTE);

    const ended = await api.post(`/v1/sessions/${session.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', endedAt: '2026-11-25T18:01:00.000Z' });
    const emitted = await events(api, seq);
    expect(emitted.map((e) => [e.type, e.subject])).toEqual([
      ['livedrop.offer.ended', draft.id],
      ['livedrop.offer.ended', live.id],
      ['livedrop.offer.ended', paused.id],
      ['livedrop.session.ended', session.id],
      // The creator ran one more session.
      ['livedrop.creator.trust_updated', keys.creatorId],
    ]);
    expect(emitted[0].data.offer).toMatchObject({ status: 'ended', endedAt: '2026-11-25T18:01:00.000Z' });

    const view = await api.get(`/v1/sessions/${session.id}`);
    expect(view.body.offers.map((o: { status: string }) => o.status)).toEqual([
      'ended',
      'ended',
      'ended',
      'pending_review',
      'ended',
    ]);
    const count = await eventCount(api);
    expect((await api.post(`/v1/sessions/${session.id}/end`)).status).toBe(409);
    expect((await api.post(`/v1/sessions/${session.id}/start`)).status).toBe(409);
    expect(await eventCount(api)).toBe(count);
    expect(pending.status).toBe('pending_review');
    expect((await api.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it('ends a scheduled session directly, and refuses other creators’ sessions with 404', async () => {
    await using ld = await boot();
    const { api, keys, session } = await world(ld);
    const zoe = await api.post('/v1/creators', { handle: 'zoe', displayName: 'Zoe' });
    const zoes = await api.post('/v1/sessions', {
      creatorId: zoe.body.id,
      title: 'Zoe live',
      scheduledStartAt: '2026-11-26T19:00:00.000Z',
    });
    const creatorApi = apiAs(ld.url, keys.creatorKey);
    expect((await creatorApi.post(`/v1/sessions/${zoes.body.id}/start`)).status).toBe(404);
    expect((await creatorApi.post(`/v1/sessions/${zoes.body.id}/end`)).status).toBe(404);
    expect((await apiAs(ld.url, keys.publishableKey).post(`/v1/sessions/${session.id}/end`)).status).toBe(403);
    const ended = await creatorApi.post(`/v1/sessions/${session.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', startedAt: null });
    expect((await api.get(`/v1/sessions/${zoes.body.id}`)).body.session.status).toBe('scheduled');
  });

  it('lets holds granted before the end keep their TTL', async () => {
    await using ld = await boot();
    const { api, sellerId, session } = await world(ld);
    await api.post(`/v1/sessions/${session.id}/start`);
    const offer = await offerIn(api, session.id, sellerId, { reservationTtlSeconds: 300 });
    await api.post(`/v1/offers/${offer.id}/publish`);
    const token = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' });
    expect(token.status).toBe(201);
    const held = await api.post('/v1/reservations', { offerToken: token.body.token, quantity: 2 });
    expect(held.status).toBe(201);
    expect(held.body.status).toBe('held');

    ld.server.engine.clock.advance(MINUTE);
    expect((await api.post(`/v1/sessions/${session.id}/end`)).status).toBe(200);
    const after = await api.get(`/v1/reservations/${held.body.id}`);
    expect(after.body).toMatchObject({ status: 'held', expiresAt: held.body.expiresAt });
    const view = await api.get(`/v1/sessions/${session.id}`);
    expect(view.body.offers[0]).toMatchObject({ status: 'ended', stock: { total: 10, available: 8, reserved: 2 } });

    ld.server.engine.clock.advance(5 * MINUTE);
    expect((await api.get(`/v1/reservations/${held.body.id}`)).body.status).toBe('expired');
  });
});
