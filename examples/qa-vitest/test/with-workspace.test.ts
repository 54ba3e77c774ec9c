/**
 * The pattern for a CI run of many test files against one `livedrop-mock`: each file makes its own
 * workspace (own keys, clock, faults, journal and reset), loads a fixture file into it, and checks
 * what the client did through the request journal. Point `LIVEDROP_URL` and
 * `LIVEDROP_CONTROL_KEY` at a shared CLI to share one; without them this file starts its own.
 */
import { readFile } from 'node:fs/promises';
import { createClient, RateLimitError, type LiveDropClient } from '@livedrop/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from './support/cli';

const FIXTURE = new URL('../../fixtures/last-unit.json', import.meta.url);

/** The workspace's keys, as `POST /__control/workspaces` answers them. */
interface WorkspaceKeys {
  secretKey: string;
  controlKey: string;
}

let spawned: RunningCli | undefined;
let url: string;
let rootControlKey: string;
let workspace: { id: string; keys: WorkspaceKeys };
let offerId: string;

/** Calls a control route with `key`, failing the test on anything but 2xx. */
async function control<T = any>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/__control/${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await response.json();
  expect(response.ok, JSON.stringify(answer)).toBe(true);
  return answer as T;
}

/** This file's own control calls: its workspace's reset, clock, faults, seed and journal. */
const mine = <T = any>(method: string, path: string, body?: unknown) =>
  control<T>(workspace.keys.controlKey, method, path, body);

const client = (options: { maxRetries: number }): LiveDropClient =>
  createClient({ apiKey: workspace.keys.secretKey, baseUrl: url, ...options });

beforeAll(async () => {
  if (process.env.LIVEDROP_URL && process.env.LIVEDROP_CONTROL_KEY) {
    url = process.env.LIVEDROP_URL;
    rootControlKey = process.env.LIVEDROP_CONTROL_KEY;
  } else {
    spawned = await startCli();
    url = spawned.keys.LIVEDROP_URL;
    rootControlKey = spawned.keys.LIVEDROP_CONTROL_KEY;
  }
  workspace = await control(rootControlKey, 'POST', 'workspaces', { name: 'qa-vitest/with-workspace' });
  // "One unit left, three held, one backordered", from a fixture file.
  const definition = JSON.parse(await readFile(FIXTURE, 'utf8'));
  const seeded = await mine<{ ids: { offers: Record<string, string> } }>('POST', 'seed', { definition });
  offerId = seeded.ids.offers.parka!;
});

afterAll(async () => {
  await control(rootControlKey, 'DELETE', `workspaces/${workspace.id}`);
  if (spawned) expect(await spawned.stop()).toBe(0);
});

describe('a workspace per test file', () => {
  it('sees only its own fixture: the root tenant and other workspaces do not', async () => {
    const offer = await client({ maxRetries: 0 }).offers.retrieve(offerId);
    expect(offer.stock).toMatchObject({ available: 1, reserved: 3, backordered: 2 });
    const root = await fetch(`${url}/v1/offers/${offerId}`, {
      headers: { authorization: `Bearer ${spawned?.keys.LIVEDROP_SECRET_KEY ?? 'sk_test_unknown'}` },
    });
    expect(root.status).toBe(spawned ? 404 : 401);
  });

  it('the client waits out a 429 with Retry-After and retries with the same key; the journal shows both attempts', async () => {
    // The next reservation answers 429 with Retry-After: 1, then the rule stands down.
    await mine('POST', 'faults', {
      rules: [{ method: 'POST', path: '/v1/reservations', status: 429, retryAfterSeconds: 1, times: 1 }],
    });
    const since = (await mine('GET', 'requests?limit=1000')).nextSince;

    // Without retries the caller sees the 429 as a RateLimitError, with the server's Retry-After.
    const noRetries = client({ maxRetries: 0 });
    const first = await noRetries.offers.issueToken(offerId, { buyerId: 'erin' });
    const refused = await noRetries.reservations.create({ offerToken: first.token, quantity: 1 }).catch((e) => e);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).retryAfterMs).toBe(1000);

    // With retries, a second 429 is waited out: set the rule again and reserve the last unit.
    await mine('POST', 'faults', {
      rules: [{ method: 'POST', path: '/v1/reservations', status: 429, retryAfterSeconds: 1, times: 1 }],
    });
    const ld = client({ maxRetries: 2 });
    const { token } = await ld.offers.issueToken(offerId, { buyerId: 'frank' });
    const hold = await ld.reservations.create({ offerToken: token, quantity: 1 });
    expect(hold.status).toBe('held');

    // The journal: the refused attempt, then the retry under the same Idempotency-Key, which held.
    const page = await mine('GET', `requests?method=POST&path=/v1/reservations&since=${since}`);
    const attempts = page.data.slice(-2);
    expect(attempts.map((entry: { status: number }) => entry.status)).toEqual([429, 201]);
    expect(attempts[0].faulted).toBe(true);
    expect(attempts[1].headers['idempotency-key']).toBe(attempts[0].headers['idempotency-key']);
    expect(attempts[0].headers.authorization).toBe('[redacted]');

    // verify answers how many matched, and why not when the count is wrong.
    const held = await mine('POST', 'requests/verify', {
      match: { method: 'POST', path: '/v1/reservations', status: 201, since },
      count: 1,
    });
    expect(held.ok).toBe(true);
    const soldOut = await mine('POST', 'requests/verify', {
      match: { method: 'POST', path: '/v1/reservations', code: 'sold_out', since },
      count: 1,
    });
    expect(soldOut.ok).toBe(false);
    expect(soldOut.message).toMatch(/0/);
    expect(soldOut.nearMisses.length).toBeGreaterThan(0);
  });
});
