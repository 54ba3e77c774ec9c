import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs } from './support/http';

describe('reading webhook endpoints', () => {
  it('lists a tenant’s endpoints and reads one, never showing the secret again', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const first = await api.post('/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/a',
      eventTypes: ['livedrop.order.created'],
    });
    const second = await api.post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/b', eventTypes: ['*'] });
    expect(first.body.secret).toMatch(/^whsec_/);

    const page = await api.get('/v1/webhook-endpoints?limit=1');
    expect(page.status).toBe(200);
    expect(page.body.data.map((e: { id: string }) => e.id)).toEqual([first.body.id]);
    expect(page.body.hasMore).toBe(true);
    const next = await api.get(`/v1/webhook-endpoints?limit=1&startingAfter=${page.body.nextCursor}`);
    expect(next.body.data.map((e: { id: string }) => e.id)).toEqual([second.body.id]);

    const read = await api.get(`/v1/webhook-endpoints/${first.body.id}`);
    expect(read.body).toMatchObject({ id: first.body.id, status: 'enabled', consecutiveFailures: 0 });
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify(page.body)).not.toContain('whsec_');

    const other = ld.server.engine.createTenant('Other');
    const foreign = await apiAs(ld.url, other.secretKey).get(`/v1/webhook-endpoints/${first.body.id}`);
    expect(foreign.status).toBe(404);
    expect((await apiAs(ld.url, other.secretKey).get('/v1/webhook-endpoints')).body.data).toEqual([]);
  });
});
