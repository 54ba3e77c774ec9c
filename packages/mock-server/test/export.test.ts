import { GENESIS_HASH, LiveDropEvent } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

/** Appends `count` small valid events straight to the default tenant's log (fast, for big logs). */
async function appendRotations(ld: Awaited<ReturnType<typeof startReferenceServer>>, count: number): Promise<void> {
  const { engine, keys } = ld.server;
  await engine.transact((tx) => {
    for (let index = 0; index < count; index++) {
      tx.emit(keys.tenantId, 'livedrop.signing_key.rotated', `key_${index}`, {
        currentKid: `key_${index}`,
        previousKid: index === 0 ? null : `key_${index - 1}`,
      });
    }
  });
}

async function exportLines(
  url: string,
  key: string,
  query = '',
): Promise<{ response: Response; lines: string[]; chunks: number }> {
  const response = await fetch(`${url}/v1/exports/events.ndjson${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  let text = '';
  let chunks = 0;
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks++;
    text += decoder.decode(read.value, { stream: true });
  }
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return { response, lines: text === '' ? [] : text.slice(0, -1).split('\n'), chunks };
}

describe('GET /v1/exports/events.ndjson', () => {
  it('streams the whole log as NDJSON, one valid CloudEvent per line, identical to the replay API', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    for (const name of ['Northwind', 'Contoso', 'Fabrikam'])
      expect((await api.post('/v1/sellers', { name })).status).toBe(201);
    await appendRotations(ld, 2_497);
    const head = await ld.server.engine.storage.events.head(ld.server.keys.tenantId);
    expect(head).toBe(2_501);

    const { response, lines, chunks } = await exportLines(ld.url, ld.server.keys.secretKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(lines).toHaveLength(head);
    // Read page by page on demand, not built in one piece.
    expect(chunks).toBeGreaterThan(1);
    let prevhash = GENESIS_HASH;
    lines.forEach((line, index) => {
      const parsed = LiveDropEvent.safeParse(JSON.parse(line));
      expect(parsed.success, line).toBe(true);
      expect(parsed.data!.seq).toBe(index + 1);
      expect(parsed.data!.prevhash).toBe(prevhash);
      prevhash = parsed.data!.hash;
    });
    const replay = await api.get('/v1/events?limit=1000');
    expect(lines.slice(0, 1000).map((line) => JSON.parse(line) as unknown)).toEqual(replay.body.data);
  });

  it('starts after the `after` cursor and answers an empty body past the head', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    await appendRotations(ld, 40);
    const { lines } = await exportLines(ld.url, ld.server.keys.secretKey, '?after=30');
    expect(lines.map((line) => (JSON.parse(line) as LiveDropEvent).seq)).toEqual([
      31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
    ]);
    const past = await exportLines(ld.url, ld.server.keys.secretKey, '?after=500');
    expect(past.response.status).toBe(200);
    expect(past.lines).toEqual([]);
  });

  it('exports the log as it was when the export began, even while events keep coming', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    await appendRotations(ld, 1_999);
    const response = await fetch(`${ld.url}/v1/exports/events.ndjson`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    await appendRotations(ld, 100);
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2_000);
  });

  it('refuses other keys and a bad cursor', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { keys } = ld.server;
    expect((await apiAs(ld.url, keys.publishableKey).get('/v1/exports/events.ndjson')).status).toBe(403);
    expect((await apiAs(ld.url, keys.creatorKey).get('/v1/exports/events.ndjson')).status).toBe(403);
    const bad = await apiAs(ld.url, keys.secretKey).get('/v1/exports/events.ndjson?after=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it("exports only the key's own tenant", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    await appendRotations(ld, 5);
    const other = ld.server.engine.createTenant('Other Platform');
    const { lines } = await exportLines(ld.url, other.secretKey);
    expect(lines.map((line) => (JSON.parse(line) as LiveDropEvent).type)).toEqual(['livedrop.creator.created']);
  });
});
