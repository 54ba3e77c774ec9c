import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { createReferenceServer } from '../src/server';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

describe('workspaces (POST /__control/workspaces)', () => {
  it('isolate keys, objects, clock, faults and reset between parallel suites on one server', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const root = apiAs(ld.url, ld.server.controlKey);
    const a = await root.post('/__control/workspaces', { name: 'shard-a' });
    const b = await root.post('/__control/workspaces', { name: 'shard-b' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ object: 'workspace', name: 'shard-a', id: expect.stringMatching(/^ws_/) });
    const [keysA, keysB] = [a.body.keys, b.body.keys];
    expect(keysA.secretKey).not.toBe(keysB.secretKey);

    // Each seeds through its own control key.
    const seeded = await apiAs(ld.url, keysA.controlKey).post('/__control/seed', { fixture: 'live-drop' });
    expect(seeded.status).toBe(200);
    const apiA = apiAs(ld.url, keysA.secretKey);
    const apiB = apiAs(ld.url, keysB.secretKey);
    expect((await apiA.get('/v1/sessions')).body.data).toHaveLength(1);
    expect((await apiB.get('/v1/sessions')).body.data).toEqual([]);
    expect((await apiAs(ld.url, ld.server.keys.secretKey).get('/v1/sessions')).body.data).toEqual([]);
    const offerId = seeded.body.ids.offers.parka;
    expect((await apiB.get(`/v1/offers/${offerId}`)).status).toBe(404);

    // A's clock, faults and reset are A's alone.
    await apiAs(ld.url, keysA.controlKey).post('/__control/clock', { advanceMs: 3_600_000 });
    await apiAs(ld.url, keysA.controlKey).post('/__control/faults', { errorRate: 1 });
    expect((await apiA.get('/v1/sessions')).status).toBe(503);
    expect((await apiB.get('/v1/sessions')).status).toBe(200);
    const stateB = await apiAs(ld.url, keysB.controlKey).get('/__control/state');
    expect(stateB.body).toMatchObject({ now: '2026-11-25T18:00:00.000Z', faults: {} });
    await apiAs(ld.url, keysB.controlKey).post('/__control/reset');
    expect((await apiAs(ld.url, keysA.controlKey).get('/__control/state')).body.counts.offers).toBe(2);

    const listed = await root.get('/__control/workspaces');
    expect(listed.body.data.map((w: { name: string }) => w.name)).toEqual(['shard-a', 'shard-b']);
  });

  it('DELETE drops a workspace: its keys answer 401, the others carry on', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const root = apiAs(ld.url, ld.server.controlKey);
    const a = (await root.post('/__control/workspaces', {})).body;
    expect(a.name).toBe('workspace');
    const dropped = await root.delete(`/__control/workspaces/${a.id}`);
    expect(dropped.status).toBe(200);
    expect((await apiAs(ld.url, a.keys.secretKey).get('/v1/sessions')).status).toBe(401);
    expect((await apiAs(ld.url, a.keys.controlKey).get('/__control/state')).status).toBe(401);
    expect((await root.delete(`/__control/workspaces/${a.id}`)).status).toBe(404);
    expect((await root.get('/__control/workspaces')).body.data).toEqual([]);
  });

  it('only the root control key makes workspaces, up to maxWorkspaces', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START), maxWorkspaces: 1 });
    const root = apiAs(ld.url, ld.server.controlKey);
    const a = (await root.post('/__control/workspaces', { name: 'one' })).body;
    const nested = await apiAs(ld.url, a.keys.controlKey).post('/__control/workspaces', {});
    expect(nested.status).toBe(409);
    expect(nested.body.detail).toContain('root control key');
    const full = await root.post('/__control/workspaces', {});
    expect(full.status).toBe(409);
    expect(full.body.detail).toContain('maximum of 1');
    expect((await apiAs(ld.url, ld.server.keys.secretKey).post('/__control/workspaces', {})).status).toBe(401);
    expect((await root.post('/__control/workspaces', { name: '' })).status).toBe(400);
  });

  it('in-process: server.workspaces.create() is a server of its own', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    const { workspace, server: shard } = server.workspaces.create('unit');
    const { ids } = await shard.control.seed('basic');
    // Through the root entry point, the workspace's key reaches the workspace.
    const response = await server.handle(
      new Request(`http://x/v1/offers/${ids.offers.parka}`, {
        headers: { authorization: `Bearer ${workspace.keys.secretKey}` },
      }),
    );
    expect(response.status).toBe(200);
    expect((await server.control.state()).counts.offers).toBe(0);
    server.workspaces.delete(workspace.id);
    expect(server.workspaces.list()).toEqual([]);
  });
});
