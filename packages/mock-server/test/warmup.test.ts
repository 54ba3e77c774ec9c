import { LiveDropEvent } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { START, expectStatus, startDropWorld, type DropWorld } from './support/drop-world';
import { parseSse, readUntil } from './support/sse';
import { startWebhookReceiver } from './support/webhook-receiver';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The lifecycle events of the log, parsed against the contract. */
async function lifecycle(world: DropWorld): Promise<LiveDropEvent[]> {
  const res = await world.api.get(
    '/v1/events?limit=1000&types=livedrop.session.created,livedrop.session.started,livedrop.session.ended,livedrop.session.warmup_due,livedrop.session.cooldown',
  );
  expect(res.status).toBe(200);
  return (res.body.data as unknown[]).map((event) => LiveDropEvent.parse(event));
}

const types = (events: LiveDropEvent[]) => events.map((event) => event.type.replace('livedrop.session.', ''));

describe('session.warmup_due', () => {
  it('is emitted once, the lead time before the scheduled start, on the injected clock', async () => {
    await using world = await startDropWorld();
    const session = await world.session({ scheduledStartAt: iso(START + 60 * MINUTE), expectedViewers: 25_000 });
    expect(session.expectedViewers).toBe(25_000);

    await world.advance(50 * MINUTE - 1);
    expect(types(await lifecycle(world))).toEqual(['created']);

    const tick = await world.advance(1);
    // `expired` counts holds that lapsed; a warm-up is not one.
    expect(tick.expired).toBe(0);
    const events = await lifecycle(world);
    expect(types(events)).toEqual(['created', 'warmup_due']);
    const warmup = events[1]!;
    expect(warmup).toMatchObject({ subject: session.id, time: iso(START + 50 * MINUTE) });
    expect(warmup.data).toEqual({
      sessionId: session.id,
      scheduledStartAt: iso(START + 60 * MINUTE),
      expectedViewers: 25_000,
      leadTimeMs: 10 * MINUTE,
    });

    // Starting, ending and more time never warm it up again.
    await world.advance(10 * MINUTE);
    await expectStatus(world.api.post(`/v1/sessions/${session.id}/start`));
    await world.advance(5 * MINUTE);
    expect(types(await lifecycle(world))).toEqual(['created', 'warmup_due', 'started']);
  });

  it('is emitted at once for a session scheduled inside the lead time', async () => {
    await using world = await startDropWorld();
    const session = await world.session({ scheduledStartAt: iso(START + 3 * MINUTE) });
    const events = await lifecycle(world);
    expect(types(events)).toEqual(['created', 'warmup_due']);
    expect(events[1]!.data).toMatchObject({ sessionId: session.id, expectedViewers: null, leadTimeMs: 10 * MINUTE });
    expect(events[1]!.time).toBe(iso(START));
  });

  it('follows a rescheduled start, and fires just before session.started when a session goes live early', async () => {
    await using world = await startDropWorld();
    const moved = await world.session({ scheduledStartAt: iso(START + 30 * MINUTE) });
    await expectStatus(
      world.api.patch(
        `/v1/sessions/${moved.id}`,
        { scheduledStartAt: iso(START + 90 * MINUTE), expectedViewers: 800 },
        { headers: { 'if-match': String(moved.version) } },
      ),
    );
    await world.advance(20 * MINUTE);
    expect(types(await lifecycle(world))).toEqual(['created']);
    await world.advance(60 * MINUTE);
    const warmed = (await lifecycle(world)).filter((event) => event.type === 'livedrop.session.warmup_due');
    expect(warmed.map((event) => [event.time, event.data])).toEqual([
      [
        iso(START + 80 * MINUTE),
        {
          sessionId: moved.id,
          scheduledStartAt: iso(START + 90 * MINUTE),
          expectedViewers: 800,
          leadTimeMs: 10 * MINUTE,
        },
      ],
    ]);

    const early = await world.session({ scheduledStartAt: iso(START + 300 * MINUTE) });
    await expectStatus(world.api.post(`/v1/sessions/${early.id}/start`));
    const ofEarly = (await lifecycle(world)).filter((event) => event.subject === early.id);
    expect(types(ofEarly)).toEqual(['created', 'warmup_due', 'started']);
    // The timer set for the original lead time finds it done and emits nothing.
    await world.advance(300 * MINUTE);
    expect(types((await lifecycle(world)).filter((event) => event.subject === early.id))).toEqual([
      'created',
      'warmup_due',
      'started',
    ]);
  });

  it('takes its lead time from the server options, and never warms up a session ended while scheduled', async () => {
    await using world = await startDropWorld({ edge: { warmupLeadTimeMs: 2 * MINUTE } });
    const session = await world.session({ scheduledStartAt: iso(START + 5 * MINUTE) });
    const cancelled = await world.session({ scheduledStartAt: iso(START + 5 * MINUTE), title: 'Cancelled' });
    await expectStatus(world.api.post(`/v1/sessions/${cancelled.id}/end`));
    await world.advance(3 * MINUTE);
    const warmups = (await lifecycle(world)).filter((event) => event.type === 'livedrop.session.warmup_due');
    expect(
      warmups.map((event) => [event.subject, event.time, (event.data as { leadTimeMs: number }).leadTimeMs]),
    ).toEqual([[session.id, iso(START + 3 * MINUTE), 2 * MINUTE]]);
  });

  it('goes to webhooks and the platform stream, not to the public session stream', async () => {
    await using world = await startDropWorld({ webhooks: { allowPrivateNetworks: true } });
    await using receiver = await startWebhookReceiver();
    await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['livedrop.session.warmup_due'] }),
      201,
    );
    const session = await world.session({ scheduledStartAt: iso(START + 5 * MINUTE), expectedViewers: 40 });
    await expectStatus(world.api.post(`/v1/sessions/${session.id}/start`));

    const [delivery] = await receiver.waitFor(1);
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: 'livedrop.session.warmup_due',
      subject: session.id,
      data: { expectedViewers: 40 },
    });

    const platform = await fetch(`${world.ld.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${world.keys.secretKey}` },
    });
    const platformText = await readUntil(platform, (text) =>
      parseSse(text).some((message) => message.event === 'livedrop.session.started'),
    );
    expect(parseSse(platformText).map((message) => message.event)).toContain('livedrop.session.warmup_due');

    const viewer = await fetch(`${world.ld.url}/v1/sessions/${session.id}/stream`, {
      headers: { authorization: `Bearer ${world.keys.publishableKey}` },
    });
    const viewerText = await readUntil(viewer, (text) =>
      parseSse(text).some((message) => message.event === 'session.started'),
    );
    expect(parseSse(viewerText).map((message) => message.event)).toEqual(['session.started']);
  });
});

describe('session.cooldown', () => {
  it('is emitted once, the configured delay after the session ends', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession({ expectedViewers: 300 });
    await world.advance(30 * MINUTE);
    const ended = await expectStatus(world.api.post(`/v1/sessions/${session.id}/end`));

    await world.advance(MINUTE - 1);
    expect(types(await lifecycle(world)).at(-1)).toBe('ended');
    await world.advance(1);
    const events = await lifecycle(world);
    expect(types(events).slice(-2)).toEqual(['ended', 'cooldown']);
    expect(events.at(-1)!.data).toEqual({
      sessionId: session.id,
      startedAt: session.startedAt,
      endedAt: ended.endedAt,
      expectedViewers: 300,
      cooldownDelayMs: MINUTE,
    });
    await world.advance(60 * MINUTE);
    expect(types(await lifecycle(world)).filter((type) => type === 'cooldown')).toHaveLength(1);
  });

  it('comes with the end when the delay is 0', async () => {
    await using world = await startDropWorld({ edge: { cooldownDelayMs: 0 } });
    const session = await world.liveSession();
    await expectStatus(world.api.post(`/v1/sessions/${session.id}/end`));
    expect(types(await lifecycle(world)).slice(-2)).toEqual(['ended', 'cooldown']);
  });
});

describe('expectedViewers', () => {
  it("is set on create, changed and cleared by PATCH, and shown in the session (the platform's view only)", async () => {
    await using world = await startDropWorld();
    const session = await world.session();
    expect(session).toMatchObject({ expectedViewers: null, watchUrl: null });
    const patched = await expectStatus(
      world.api.patch(
        `/v1/sessions/${session.id}`,
        { expectedViewers: 12_000, watchUrl: 'https://watch.example.com/d/1' },
        { headers: { 'if-match': String(session.version) } },
      ),
    );
    expect(patched).toMatchObject({
      expectedViewers: 12_000,
      watchUrl: 'https://watch.example.com/d/1',
      version: session.version + 1,
    });
    const cleared = await expectStatus(
      world.api.patch(
        `/v1/sessions/${session.id}`,
        { expectedViewers: null },
        { headers: { 'if-match': String(patched.version) } },
      ),
    );
    expect(cleared.expectedViewers).toBeNull();
    expect((await world.api.get(`/v1/sessions/${session.id}`)).body.session.expectedViewers).toBeNull();
    // Capacity planning is the platform's business: the public view leaves it out.
    expect((await world.browser.get(`/v1/sessions/${session.id}`)).body.session).not.toHaveProperty('expectedViewers');
  });

  it('refuses a negative, fractional or non-numeric audience with the field named, and changes nothing', async () => {
    await using world = await startDropWorld();
    for (const expectedViewers of [-1, 2.5, '100']) {
      const res = await world.api.post('/v1/sessions', {
        creatorId: world.keys.creatorId,
        title: 'Bad',
        scheduledStartAt: iso(START + MINUTE),
        expectedViewers,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((error: { path: string }) => error.path)).toContain('expectedViewers');
    }
    const bad = await world.api.post('/v1/sessions', {
      creatorId: world.keys.creatorId,
      title: 'Bad',
      scheduledStartAt: iso(START + MINUTE),
      watchUrl: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain('watchUrl');
    expect((await world.api.get('/v1/sessions')).body.data).toEqual([]);
    expect(types(await lifecycle(world))).toEqual([]);
  });
});
