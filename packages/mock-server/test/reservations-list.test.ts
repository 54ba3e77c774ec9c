import { readFile } from 'node:fs/promises';
import { createClient } from '@livedrop/core';
import type { FixtureDefinition } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const LAST_UNIT = new URL('../../../examples/fixtures/last-unit.json', import.meta.url);

async function lastUnitServer() {
  const ld = await startReferenceServer({ clock: createManualClock(START) });
  const definition: FixtureDefinition = JSON.parse(await readFile(LAST_UNIT, 'utf8'));
  const ids = (await ld.server.control.seed(definition)).ids;
  return { ld, ids, api: apiAs(ld.url, ld.server.keys.secretKey) };
}

describe('GET /v1/reservations (secret key)', () => {
  it('lists the tenant’s reservations newest first, filtered by offer, buyer and status, without client secrets', async () => {
    const { ld, ids, api } = await lastUnitServer();
    await using _ = ld;
    const all = await api.get(`/v1/reservations?offerId=${ids.offers.parka}`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((r: { buyerId: string }) => r.buyerId)).toEqual(['dave', 'carol', 'bob', 'alice']);
    expect(all.body.data.every((r: object) => !('clientSecret' in r))).toBe(true);

    const held = await api.get('/v1/reservations?status=held&limit=2');
    expect(held.body).toMatchObject({ hasMore: true, nextCursor: ids.reservations.bob });
    const rest = await api.get(`/v1/reservations?status=held&limit=2&startingAfter=${held.body.nextCursor}`);
    expect(rest.body.data.map((r: { id: string }) => r.id)).toEqual([ids.reservations.alice]);

    const dave = await api.get(`/v1/reservations?buyerId=dave&sessionId=${ids.sessions.winter}`);
    expect(dave.body.data).toEqual([expect.objectContaining({ status: 'backordered', quantity: 2 })]);
  });

  it('refuses other keys and bad filters, and never shows another tenant’s reservations', async () => {
    const { ld, api } = await lastUnitServer();
    await using _ = ld;
    const { keys } = ld.server;
    expect((await apiAs(ld.url, keys.publishableKey).get('/v1/reservations')).status).toBe(403);
    expect((await apiAs(ld.url, keys.creatorKey).get('/v1/reservations')).status).toBe(403);
    const bad = await api.get('/v1/reservations?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.status');

    const other = ld.server.engine.createTenant('Other');
    const theirs = await apiAs(ld.url, other.secretKey).get('/v1/reservations');
    expect(theirs.body.data).toEqual([]);
  });

  it('is ld.reservations.list in the client, paging with for await', async () => {
    const { ld, api } = await lastUnitServer();
    await using _ = ld;
    const ld2 = createClient({ apiKey: ld.server.keys.secretKey, baseUrl: ld.url });
    const buyers: string[] = [];
    for await (const reservation of ld2.reservations.list({ limit: 1 })) buyers.push(reservation.buyerId);
    expect(buyers).toEqual(['dave', 'carol', 'bob', 'alice']);
    expect((await api.get('/v1/reservations?buyerId=alice')).body.data).toHaveLength(1);
  });
});
