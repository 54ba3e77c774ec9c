import { createClient, isLiveDropError, type LiveDropClient, type Offer } from '@livedrop/browser';
import { createManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveOnce, type KeyStorage } from '../src/reserve-once';

const START = Date.parse('2026-11-25T18:00:00.000Z');

/** sessionStorage as a Map: what survives a reload of the tab. */
function memoryStorage(): KeyStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

let ref: StartedReferenceServer;
let ld: LiveDropClient;
let page: LiveDropClient;

const control = async (body: unknown) => {
  const response = await fetch(`${ref.url}/__control/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ref.server.controlKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
};

async function liveOffer(quantity = 5): Promise<Offer> {
  const { creatorId } = ref.server.keys;
  const seller = await ld.sellers.create({ name: 'Northwind' });
  await ld.creators.entitlements.create(creatorId, {
    sellerId: seller.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  const session = await ld.sessions.create({
    creatorId,
    title: 'Drop',
    scheduledStartAt: new Date(START + 60_000).toISOString(),
  });
  await ld.sessions.start(session.id);
  const offer = await ld.offers.create(session.id, {
    sellerId: seller.id,
    sku: 'P-1',
    title: 'Print',
    price: { amount: 4_900, currency: 'USD' },
    quantity,
  });
  return ld.offers.publish(offer.id);
}

const token = async (offerId: string, buyerId = 'buyer_1') => (await ld.offers.issueToken(offerId, { buyerId })).token;
const reserved = async (offerId: string) => (await ld.offers.retrieve(offerId)).stock.reserved;

beforeAll(async () => {
  ref = await startReferenceServer({ clock: createManualClock(START), port: 0 });
  ld = createClient({ apiKey: ref.server.keys.secretKey, baseUrl: ref.url });
  page = createClient({ apiKey: ref.server.keys.publishableKey, baseUrl: ref.url, maxRetries: 0 });
});
afterAll(() => ref.close());

describe('reserveOnce', () => {
  it('reserves and leaves nothing kept on success', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const hold = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(hold.status).toBe('held');
    expect(storage.items.size).toBe(0);
    expect(await reserved(offer.id)).toBe(1);
  });

  it('after a lost response and a "reload" with a fresh token, replays the first hold instead of making a second', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    await control({ errorRate: 1, errorPhase: 'after', paths: ['/v1/reservations'] });
    const lost = await reserveOnce(
      page,
      offer.id,
      { offerToken: await token(offer.id), quantity: 1 },
      { storage },
    ).catch((error: unknown) => error);
    await control({});
    expect(isLiveDropError(lost) && (lost as { status?: number }).status).toBe(503);
    expect([...storage.items.keys()]).toEqual([`livedrop:reservation:${offer.id}:buyer_1`]);
    expect(await reserved(offer.id)).toBe(1);

    // A new page (same tab storage) with a new token for the same buyer.
    const fresh = createClient({ apiKey: ref.server.keys.publishableKey, baseUrl: ref.url });
    const hold = await reserveOnce(fresh, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(hold.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);
    expect(storage.items.size).toBe(0);
  });

  it('shows why the body is kept: the kept key with a different body is refused', async () => {
    const offer = await liveOffer();
    const key = crypto.randomUUID();
    await page.reservations.create({ offerToken: await token(offer.id), quantity: 1 }, { idempotencyKey: key });
    const reused = await page.reservations
      .create({ offerToken: await token(offer.id), quantity: 1 }, { idempotencyKey: key })
      .catch((error: unknown) => error);
    expect((reused as { code?: string }).code).toBe('idempotency_key_reused');
  });

  it('clears the slot on a final rejection, so the next attempt starts afresh', async () => {
    const offer = await liveOffer(1);
    const storage = memoryStorage();
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id, 'buyer_a'), quantity: 1 }, { storage });
    const soldOut = await reserveOnce(
      page,
      offer.id,
      { offerToken: await token(offer.id, 'buyer_b'), quantity: 1 },
      { storage },
    ).catch((error: unknown) => error);
    expect((soldOut as { code?: string }).code).toBe('sold_out');
    expect(storage.items.size).toBe(0);
  });

  it('sends the new body when the kept request is finally refused (it reserved nothing)', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const slot = `livedrop:reservation:${offer.id}:buyer_1`;
    // A kept attempt whose token the server never accepts (as if its request never arrived, then expired).
    storage.setItem(
      slot,
      JSON.stringify({ idempotencyKey: crypto.randomUUID(), body: { offerToken: 'not-a-token', quantity: 1 } }),
    );
    const hold = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(hold.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);
    expect(storage.items.size).toBe(0);
  });

  it('keys the slot by the buyer in the token, so two buyers on one device do not share it', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    await control({ errorRate: 1, errorPhase: 'after', paths: ['/v1/reservations'] });
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id, 'buyer_x'), quantity: 1 }, { storage }).catch(
      () => undefined,
    );
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id, 'buyer_y'), quantity: 1 }, { storage }).catch(
      () => undefined,
    );
    await control({});
    expect([...storage.items.keys()].sort()).toEqual([
      `livedrop:reservation:${offer.id}:buyer_x`,
      `livedrop:reservation:${offer.id}:buyer_y`,
    ]);
  });

  it('still reserves when storage is unavailable or full', async () => {
    const offer = await liveOffer();
    const full: KeyStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(
      (await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage: full })).status,
    ).toBe('held');
    // In Node there is no sessionStorage at all.
    expect(
      (await reserveOnce(page, offer.id, { offerToken: await token(offer.id, 'buyer_2'), quantity: 1 })).status,
    ).toBe('held');
  });
});
