import { LiveDropEvent } from '@livedrop/core';
import { describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import type { EventRetentionOptions } from '../src/event-retention';
import type { MemoryStorage } from '../src/storage/memory/memory-storage';
import { apiAs } from './support/http';

/*
 * The event log's retention: past a tenant's bound (a count of events or an age), the oldest
 * events are handed to `archive` (the export's NDJSON lines) and then dropped; the audit walk
 * starts from the checkpoint, the (seq, hash) of the last event dropped.
 */

const START = Date.parse('2026-11-25T18:00:00Z');
const MINUTE = 60_000;

/** A server whose log keeps `retention`, and the lines its archive received per tenant. */
async function withRetention(retention: Omit<EventRetentionOptions, 'archive'>, failArchive = () => false) {
  const archived: string[] = [];
  const ld = await startReferenceServer({
    clock: createManualClock(START),
    eventRetention: {
      ...retention,
      archive: (_tenantId, lines) => {
        if (failArchive()) throw new Error('archive unavailable');
        archived.push(...lines);
      },
    },
  });
  return { ld, archived, api: apiAs(ld.url, ld.server.keys.secretKey) };
}

/** Creates `count` sellers through the API: one event each. */
async function createSellers(ld: StartedReferenceServer, count: number, prefix = 'Seller'): Promise<void> {
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  for (let index = 0; index < count; index++)
    expect((await api.post('/v1/sellers', { name: `${prefix} ${index}` })).status).toBe(201);
}

async function allEvents(api: ReturnType<typeof apiAs>): Promise<LiveDropEvent[]> {
  const events: LiveDropEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await api.get(`/v1/events?after=${after}&limit=100`);
    expect(page.status).toBe(200);
    events.push(...page.body.data);
    if (!page.body.hasMore) return events;
    after = page.body.nextAfter ?? page.body.data.at(-1).seq;
  }
}

describe('event log retention', () => {
  it('keeps at most maxEventsPerTenant, archives the rest first, and verifies from the checkpoint', async () => {
    const { ld, archived, api } = await withRetention({ maxEventsPerTenant: 50 });
    await using _ = ld;
    await createSellers(ld, 300);
    await ld.server.engine.eventRetention.settled();

    const head = await ld.server.engine.storage.events.head(ld.server.keys.tenantId);
    const kept = await allEvents(api);
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)!.seq).toBe(head);
    // Archived in order before being dropped: together with what is kept, the whole log, once.
    const dropped = archived.map((line) => LiveDropEvent.parse(JSON.parse(line)));
    expect(dropped.map((event) => event.seq)).toEqual(Array.from({ length: dropped.length }, (_, i) => i + 1));
    expect(kept[0]!.seq).toBe(dropped.length + 1);
    expect(kept[0]!.prevhash).toBe(dropped.at(-1)!.hash);

    const audit = await api.get('/v1/audit/verify');
    expect(audit.body).toEqual({
      object: 'audit_verification',
      valid: true,
      eventsChecked: kept.length,
      headSeq: head,
      headHash: kept.at(-1)!.hash,
      firstInvalidSeq: null,
      checkpoint: { seq: dropped.length, hash: dropped.at(-1)!.hash },
    });

    // The export streams what is kept, from the first event after the checkpoint.
    const exported = await fetch(`${ld.url}/v1/exports/events.ndjson`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    const lines = (await exported.text()).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual(kept.map((event) => event.seq));

    // Tampering with a kept event is still caught, at its seq.
    const log = (ld.server.engine.storage as MemoryStorage).events.log(ld.server.keys.tenantId);
    const victim = log.unsafeEventsForTesting()[3]!;
    (victim.data as { seller: { name: string } }).seller.name = 'Mallory';
    const tampered = await api.get('/v1/audit/verify');
    expect(tampered.body).toMatchObject({ valid: false, firstInvalidSeq: victim.seq });
  });

  it('drops events older than maxAgeMs once a write comes after them', async () => {
    const { ld, archived, api } = await withRetention({ maxAgeMs: 10 * MINUTE });
    await using _ = ld;
    await createSellers(ld, 5, 'Old');
    ld.server.engine.clock.advance(11 * MINUTE);
    await createSellers(ld, 2, 'New');
    await ld.server.engine.eventRetention.settled();
    const kept = await allEvents(api);
    expect(kept.map((event) => (event.data as { seller: { name: string } }).seller.name)).toEqual(['New 0', 'New 1']);
    expect(archived.map((line) => JSON.parse(line).data.seller?.name).filter(Boolean)).toEqual(
      expect.arrayContaining(['Old 0', 'Old 4']),
    );
    expect((await api.get('/v1/audit/verify')).body).toMatchObject({ valid: true, eventsChecked: 2 });
  });

  it('trims nothing while the archive fails, then catches up', async () => {
    let failing = true;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { ld, archived, api } = await withRetention({ maxEventsPerTenant: 10 }, () => failing);
    await using _ = ld;
    await createSellers(ld, 40);
    await ld.server.engine.eventRetention.settled();
    // The operator hears of it, and nothing was dropped.
    expect(String(logged.mock.calls[0]?.[0])).toContain('archiving failed');
    logged.mockRestore();
    const whole = await allEvents(api);
    expect(whole[0]!.seq).toBe(1);
    expect(archived).toEqual([]);
    failing = false;
    await createSellers(ld, 1, 'Late');
    await ld.server.engine.eventRetention.settled();
    const kept = await allEvents(api);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(archived).toHaveLength(kept[0]!.seq - 1);
    expect((await api.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it('refuses a bound that is not a positive integer, naming the option', async () => {
    await expect(startReferenceServer({ eventRetention: { maxEventsPerTenant: 0 } })).rejects.toThrow(
      /eventRetention\.maxEventsPerTenant/,
    );
  });
});
