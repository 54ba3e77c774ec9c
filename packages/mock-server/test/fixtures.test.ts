import { readFile } from 'node:fs/promises';
import type { FixtureDefinition } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { loadFixture } from '../src/control-api';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { ApiProblem } from '../src/problem';
import { createReferenceServer } from '../src/server';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const LAST_UNIT = new URL('../../../examples/fixtures/last-unit.json', import.meta.url);

const start = () => startReferenceServer({ clock: createManualClock(START) });
const control = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.controlKey);
const platform = (ld: StartedReferenceServer) => apiAs(ld.url, ld.server.keys.secretKey);
const lastUnit = async (): Promise<FixtureDefinition> => JSON.parse(await readFile(LAST_UNIT, 'utf8'));

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** A seller, the house creator's entitlement and a live session with one live offer of `quantity`. */
function oneOffer(offer: Record<string, unknown> = {}): FixtureDefinition {
  return {
    sellers: { acme: { name: 'Acme' } },
    entitlements: { e: { creator: 'house', seller: 'acme', commissionBps: 1000, contentRights: ['live_stream'] } },
    sessions: { drop: { creator: 'house', title: 'Drop', live: true } },
    offers: {
      parka: {
        session: 'drop',
        seller: 'acme',
        sku: 'P-1',
        title: 'Parka',
        price: usd(5000),
        quantity: 3,
        live: true,
        ...offer,
      },
    },
  } as FixtureDefinition;
}

describe('fixtures from a definition (POST /__control/seed {definition})', () => {
  it('recreates "one unit left, three held, one backordered" in one call and answers the ids by name', async () => {
    await using ld = await start();
    const seeded = await control(ld).post('/__control/seed', { definition: await lastUnit() });
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(200);
    const { ids } = seeded.body;
    expect(Object.keys(ids.reservations)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(seeded.body).toMatchObject({
      invariantHolds: true,
      counts: { sellers: 1, creators: 2, offers: 1, reservations: 4 },
    });

    const api = platform(ld);
    const offer = await api.get(`/v1/offers/${ids.offers.parka}`);
    expect(offer.body.stock).toEqual({ total: 4, available: 1, reserved: 3, sold: 0, backordered: 2 });
    const creator = await api.get(`/v1/creators/${ids.creators.maya}`);
    expect(creator.body).toMatchObject({ handle: 'maya.makes', verified: true });
    const session = await api.get(`/v1/sessions/${ids.sessions.winter}`);
    expect(session.body.session).toMatchObject({ status: 'live', creatorId: ids.creators.maya });
    const dave = await api.get(`/v1/reservations/${ids.reservations.dave}`);
    expect(dave.body).toMatchObject({ status: 'backordered', buyerId: 'dave', quantity: 2, queuePosition: 1 });
    const endpoint = await api.get(`/v1/webhook-endpoints/${ids.webhookEndpoints.ci}`);
    expect(endpoint.status).toBe(200);
    expect(ids.webhookSecrets.ci).toMatch(/^whsec_/);

    // The client secrets are the buyers' own: alice's browser can release her hold with hers.
    const browser = apiAs(ld.url, ld.server.keys.publishableKey);
    const released = await browser.post(
      `/v1/reservations/${ids.reservations.alice}/release?clientSecret=${ids.clientSecrets.alice}`,
    );
    expect(released.body.status, JSON.stringify(released.body)).toBe('released');
  });

  it('confirms a "captured" reservation with the test card, so the order and the sale exist', async () => {
    await using ld = await start();
    const definition = oneOffer();
    definition.reservations = { paid: { offer: 'parka', buyerId: 'erin', status: 'captured' } };
    const seeded = await control(ld).post('/__control/seed', { definition });
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(200);
    const api = platform(ld);
    const reservation = await api.get(`/v1/reservations/${seeded.body.ids.reservations.paid}`);
    expect(reservation.body.status).toBe('captured');
    const offer = await api.get(`/v1/offers/${seeded.body.ids.offers.parka}`);
    expect(offer.body.stock).toMatchObject({ available: 2, reserved: 0, sold: 1 });
    expect(seeded.body.counts.orders).toBe(1);
  });

  it('refuses a reference to a missing entry with the field and the fix, and changes nothing', async () => {
    await using ld = await start();
    await control(ld).post('/__control/seed', { fixture: 'basic' });
    const definition = oneOffer({ seller: 'northwind' });
    definition.reservations = { r: { offer: 'hat', buyerId: 'alice' } };
    const refused = await control(ld).post('/__control/seed', { definition });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        path: 'definition.offers.parka.seller',
        message: expect.stringContaining('add it under sellers'),
      }),
      expect.objectContaining({ path: 'definition.reservations.r.offer', message: expect.stringContaining('"hat"') }),
    ]);
    // The basic fixture is still there.
    expect((await control(ld).get('/__control/state')).body.counts).toMatchObject({ sellers: 1, offers: 2 });
  });

  it('refuses a live offer in a session that is not started, and a bad field with its path', async () => {
    await using ld = await start();
    const definition = oneOffer();
    definition.sessions!.drop!.live = false;
    const notStarted = await control(ld).post('/__control/seed', { definition });
    expect(notStarted.status).toBe(400);
    expect(notStarted.body.errors[0].path).toBe('definition.offers.parka.live');

    const badField = await control(ld).post('/__control/seed', { definition: oneOffer({ quantity: 0 }) });
    expect(badField.status).toBe(400);
    expect(badField.body.errors[0]).toMatchObject({ path: 'definition.offers.parka.quantity', code: 'too_small' });
  });

  it('names the entry when the API refuses it, and leaves no half-loaded fixture', async () => {
    await using ld = await start();
    // The price is below the floor: the offer route itself refuses it.
    const refused = await control(ld).post('/__control/seed', {
      definition: oneOffer({ priceFloor: usd(9000) }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain("The fixture's offers.parka could not be loaded");
    expect(refused.body.errors[0].path).toMatch(/^definition\.offers\.parka/);
    expect((await control(ld).get('/__control/state')).body.counts).toMatchObject({ sellers: 0, sessions: 0 });

    // A reservation that cannot come out as asked: there is stock, so no backorder.
    const definition = oneOffer();
    definition.reservations = { r: { offer: 'parka', buyerId: 'alice', status: 'backordered' } };
    const wrongStatus = await control(ld).post('/__control/seed', { definition });
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.errors[0]).toMatchObject({
      path: 'definition.reservations.r.status',
      message: expect.stringContaining('made it held'),
    });
  });

  it('refuses fixture and definition together, or neither', async () => {
    await using ld = await start();
    for (const body of [{}, { fixture: 'basic', definition: {} }]) {
      const refused = await control(ld).post('/__control/seed', body);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].message).toContain('exactly one of fixture');
    }
  });
});

describe('control methods in-process (server.control, loadFixture)', () => {
  it('seeds, moves the clock, injects faults, reads the state and resets, without building a Request', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    const ids = await loadFixture(server, await lastUnit());
    expect(ids.offers.parka).toMatch(/^off_/);

    const moved = await server.control.clock({ advanceMs: 11 * 60_000 });
    expect(moved).toMatchObject({ object: 'clock', now: '2026-11-25T18:11:00.000Z', expired: 3 });

    await server.control.faults({ errorRate: 1, paths: ['/v1/sessions'] });
    const state = await server.control.state();
    expect(state).toMatchObject({ faults: { errorRate: 1 }, counts: { reservations: 4 }, invariantHolds: true });

    const reset = await server.control.reset();
    expect(reset.counts).toMatchObject({ sellers: 0, offers: 0 });
    const basic = await server.control.seed('basic');
    expect(Object.keys(basic.ids.offers)).toEqual(['parka', 'beanie']);
  });

  it('throws the ApiProblem the server answered', async () => {
    const server = createReferenceServer({ clock: createManualClock(START) });
    const refused = server.control.clock({ setTo: '2020-01-01T00:00:00.000Z' });
    await expect(refused).rejects.toBeInstanceOf(ApiProblem);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_state', status: 409 });
  });
});
