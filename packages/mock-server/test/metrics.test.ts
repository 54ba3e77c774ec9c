import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../src/node';
import { MemoryStorage } from '../src/storage/memory/memory-storage';
import { expectStatus, startDropWorld } from './support/drop-world';
import { openSse, waitUntil } from './support/sse';

/** The value of the sample `name{labels}` (labels as printed, sorted by prom-client), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(url: string, controlKey: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${controlKey}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  it('is for the control key only: metrics reveal traffic', async () => {
    await using world = await startDropWorld();
    for (const authorization of [undefined, `Bearer ${world.keys.secretKey}`, 'Bearer nope']) {
      const res = await fetch(`${world.ld.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).code).toBe('unauthenticated');
    }
  });

  it('labels request latency by operation id and status, never by raw path', async () => {
    await using world = await startDropWorld();
    const session = await world.session();
    await expectStatus(world.api.get(`/v1/sessions/${session.id}`));
    await expectStatus(world.api.get('/v1/sessions/ses_doesnotexist'), 404);
    await fetch(`${world.ld.url}/no/such/path/${'x'.repeat(8)}`);

    const text = await scrape(world.ld.url, world.ld.server.controlKey);
    expect(text).toContain('# TYPE livedrop_http_request_duration_seconds histogram');
    expect(sample(text, 'livedrop_http_request_duration_seconds_count{route="getSession",status="200"}')).toBe(1);
    expect(sample(text, 'livedrop_http_request_duration_seconds_count{route="getSession",status="404"}')).toBe(1);
    expect(sample(text, 'livedrop_http_request_duration_seconds_count{route="createSession",status="201"}')).toBe(1);
    expect(sample(text, 'livedrop_http_request_duration_seconds_count{route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain(session.id);
    expect(text).not.toContain('/no/such/path');
  });

  it('counts reservations by outcome: created, backordered, and refused by problem code', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id, {
      quantity: 1,
      backorder: { allowed: true, limit: 1, sellerConsentAt: '2026-11-25T17:00:00.000Z' },
    });
    await world.reserve(offer.id, 'buyer_1');
    const backordered = await world.reserve(offer.id, 'buyer_2', { backorderConsent: true });
    expect(backordered.reservation.status).toBe('backordered');
    const issued = await expectStatus(world.api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_3' }), 201);
    await expectStatus(world.browser.post('/v1/reservations', { offerToken: issued.token, quantity: 1 }), 409);
    await expectStatus(world.browser.post('/v1/reservations', { offerToken: 'not-a-token', quantity: 1 }), 401);

    const text = await scrape(world.ld.url, world.ld.server.controlKey);
    expect(sample(text, 'livedrop_reservations_total{outcome="created"}')).toBe(1);
    expect(sample(text, 'livedrop_reservations_total{outcome="backordered"}')).toBe(1);
    expect(sample(text, 'livedrop_reservations_total{outcome="refused",code="sold_out"}')).toBe(1);
    expect(sample(text, 'livedrop_reservations_total{outcome="refused",code="token_invalid"}')).toBe(1);
  });

  it('gauges open SSE subscribers, the stock invariant and the stream lag (0 in memory)', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const before = await scrape(world.ld.url, world.ld.server.controlKey);
    expect(sample(before, 'livedrop_sse_subscribers')).toBe(0);
    expect(sample(before, 'livedrop_stock_invariant_holds')).toBe(1);
    expect(sample(before, 'livedrop_stream_lag')).toBe(0);

    using first = openSse(`${world.ld.url}/v1/sessions/${session.id}/stream`, world.keys.publishableKey, []);
    using second = openSse(`${world.ld.url}/v1/sessions/${session.id}/stream`, world.keys.publishableKey, []);
    // The clients connect on their own time: scrape until both are counted (the test's timeout bounds it).
    let during = '';
    while (sample(during, 'livedrop_sse_subscribers') !== 2) {
      await waitUntil(() => first.requests.length > 0 && second.requests.length > 0, 'both clients to connect');
      during = await scrape(world.ld.url, world.ld.server.controlKey);
    }
    expect(sample(during, 'livedrop_sse_subscribers')).toBe(2);
    first.close();
    second.close();
    let after = during;
    while (sample(after, 'livedrop_sse_subscribers') !== 0)
      after = await scrape(world.ld.url, world.ld.server.controlKey);
    expect(sample(after, 'livedrop_stock_invariant_holds')).toBe(1);
  });

  it("reads the storage's streamLag() when it has one", async () => {
    await using ld = await startReferenceServer({
      storage: (context) => Object.assign(new MemoryStorage(context), { streamLag: () => 42 }),
    });
    expect(sample(await scrape(ld.url, ld.server.controlKey), 'livedrop_stream_lag')).toBe(42);
  });

  it('still answers when streamLag() throws, with NaN for the lag', async () => {
    await using ld = await startReferenceServer({
      storage: (context) =>
        Object.assign(new MemoryStorage(context), {
          streamLag: (): number => {
            throw new Error('stream unreachable');
          },
        }),
    });
    expect(sample(await scrape(ld.url, ld.server.controlKey), 'livedrop_stream_lag')).toBeNaN();
  });

  it('keeps each running server in a registry of its own', async () => {
    await using one = await startDropWorld();
    await using other = await startDropWorld();
    await one.session();
    const text = await scrape(other.ld.url, other.ld.server.controlKey);
    expect(sample(text, 'livedrop_http_request_duration_seconds_count{route="createSession",status="201"}')).toBe(
      undefined,
    );
  });
});
