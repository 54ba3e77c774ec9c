import { createClient, isLiveDropError, type LiveDropClient, type Offer } from '@livedrop/browser';
import { createManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetReservation, reserveOnce, resumeReservation, type KeyStorage } from '../src/reserve-once';

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

/** A buyer's page: the publishable key and the buyer session the platform minted for that buyer. */
const pageOf = async (buyerId: string, maxRetries = 0) =>
  createClient({
    apiKey: ref.server.keys.publishableKey,
    baseUrl: ref.url,
    maxRetries,
    buyerSession: (await ld.buyerSessions.create({ buyerId })).credential,
  });
/** An offer token for the buyer the page's buyer session asserts. */
const tokenOn = async (client: LiveDropClient, offerId: string) => (await client.offers.issueToken(offerId)).token;
const token = (offerId: string) => tokenOn(page, offerId);
const slotOf = (offerId: string) => `livedrop:reservation:${offerId}`;
const reserved = async (offerId: string) => (await ld.offers.retrieve(offerId)).stock.reserved;

beforeAll(async () => {
  // Many tokens for one buyer in a few milliseconds: this suite is about reserving once, not rate limits.
  ref = await startReferenceServer({ clock: createManualClock(START), port: 0, rateLimits: false });
  ld = createClient({ apiKey: ref.server.keys.secretKey, baseUrl: ref.url });
  page = await pageOf('buyer_1');
});
afterAll(() => ref.close());

describe('reserveOnce', () => {
  it('reserves and keeps the answered attempt, so a reload can find the hold', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const hold = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(hold.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);
    const kept = JSON.parse(storage.items.get(slotOf(offer.id)) ?? '{}');
    expect(kept).toMatchObject({ buyerId: 'buyer_1', idempotencyKey: expect.any(String), answered: true });
    // The next call is a new attempt with a new key: the buyer asked for another unit.
    const second = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(second.id).not.toBe(hold.id);
    expect(await reserved(offer.id)).toBe(2);
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
    expect([...storage.items.keys()]).toEqual([slotOf(offer.id)]);
    expect(await reserved(offer.id)).toBe(1);

    // A new page (same tab storage), with a new buyer session and a new token for the same buyer.
    const fresh = await pageOf('buyer_1', 2);
    const hold = await reserveOnce(
      fresh,
      offer.id,
      { offerToken: await tokenOn(fresh, offer.id), quantity: 1 },
      { storage },
    );
    expect(hold.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);
    expect(JSON.parse(storage.items.get(slotOf(offer.id))!).answered).toBe(true);
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
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    const soldOut = await reserveOnce(
      page,
      offer.id,
      { offerToken: await token(offer.id), quantity: 1 },
      { storage },
    ).catch((error: unknown) => error);
    expect((soldOut as { code?: string }).code).toBe('sold_out');
    expect(storage.items.has(slotOf(offer.id))).toBe(false);
  });

  it('sends the new body when the kept request is finally refused (it reserved nothing)', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const slot = slotOf(offer.id);
    // A kept attempt whose token the server never accepts (as if its request never arrived, then expired).
    storage.setItem(
      slot,
      JSON.stringify({
        buyerId: 'buyer_1',
        idempotencyKey: crypto.randomUUID(),
        body: { offerToken: 'not-a-token', quantity: 1 },
      }),
    );
    const hold = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    expect(hold.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);
    expect(JSON.parse(storage.items.get(slot)!).body.offerToken).not.toBe('not-a-token');
  });

  it("keys the kept attempt by the asserted buyer: another buyer on this tab never gets the first one's hold", async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const x = await pageOf('buyer_x');
    const y = await pageOf('buyer_y');
    await control({ errorRate: 1, errorPhase: 'after', paths: ['/v1/reservations'] });
    await reserveOnce(x, offer.id, { offerToken: await tokenOn(x, offer.id), quantity: 1 }, { storage }).catch(
      () => undefined,
    );
    await control({});
    // buyer_y signs in on the same tab: its own token is a new attempt, not a replay of buyer_x's.
    const ys = await reserveOnce(y, offer.id, { offerToken: await tokenOn(y, offer.id), quantity: 1 }, { storage });
    expect(ys.buyerId).toBe('buyer_y');
    expect(await reserved(offer.id)).toBe(2);
    expect(JSON.parse(storage.items.get(slotOf(offer.id))!)).toMatchObject({ buyerId: 'buyer_y', answered: true });
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
    expect((await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 })).status).toBe('held');
  });
});

describe('resumeReservation', () => {
  const advanceClock = async (advanceMs: number) => {
    const response = await fetch(`${ref.url}/__control/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ref.server.controlKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs }),
    });
    expect(response.status).toBe(200);
  };

  it('finds the hold reserveOnce made on this tab, as it is now on the server, without reserving again', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    const hold = await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    // A reloaded page: a new client with a new buyer session for the same buyer, the same tab storage.
    const fresh = await pageOf('buyer_1', 2);
    const found = await resumeReservation(fresh, offer.id, { storage });
    expect(found).toMatchObject({ id: hold.id, status: 'held', expiresAt: hold.expiresAt });
    expect(found?.clientSecret).toBe(hold.clientSecret);
    expect(await reserved(offer.id)).toBe(1);
  });

  it("does not resume another buyer's hold: the server scopes the replay to the asserted buyer", async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage });
    const other = await pageOf('buyer_2');
    expect(await resumeReservation(other, offer.id, { storage })).toBeUndefined();
    expect(storage.items.has(slotOf(offer.id))).toBe(false);
    expect(await reserved(offer.id)).toBe(1);
  });

  it('reads the real state: released, expired, or paid, not the replayed snapshot', async () => {
    const offer = await liveOffer();
    // One tab per buyer: each keeps its own storage and buyer session.
    const take = async (buyerId: string) => {
      const client = await pageOf(buyerId);
      const tab = memoryStorage();
      const hold = await reserveOnce(
        client,
        offer.id,
        { offerToken: await tokenOn(client, offer.id), quantity: 1 },
        { storage: tab },
      );
      return { client, tab, hold, secret: { clientSecret: hold.clientSecret } };
    };
    const released = await take('buyer_r');
    await released.client.reservations.release(released.hold.id, released.secret);
    const paid = await take('buyer_p');
    await paid.client.reservations.confirm(paid.hold.id, {
      clientSecret: paid.hold.clientSecret ?? '',
      paymentMethod: 'pm_test_ok',
    });
    const expired = await take('buyer_e');
    await advanceClock(11 * 60_000);
    const resume = (tab: Awaited<ReturnType<typeof take>>) =>
      resumeReservation(tab.client, offer.id, { storage: tab.tab });
    expect((await resume(released))?.status).toBe('released');
    expect(await resume(paid)).toMatchObject({ status: 'captured', orderId: expect.stringMatching(/^ord_/) });
    expect((await resume(expired))?.id).toBe(expired.hold.id);
    expect((await resume(expired))?.status).toBe('expired');
    expect(await reserved(offer.id)).toBe(0);

    forgetReservation(offer.id, { storage: expired.tab });
    expect(await resume(expired)).toBeUndefined();
  });

  it('completes a request whose answer was lost, and forgets one the server refused', async () => {
    const offer = await liveOffer();
    const storage = memoryStorage();
    await control({ errorRate: 1, errorPhase: 'after', paths: ['/v1/reservations'] });
    await reserveOnce(page, offer.id, { offerToken: await token(offer.id), quantity: 1 }, { storage }).catch(
      () => undefined,
    );
    await control({});
    expect((await resumeReservation(page, offer.id, { storage }))?.status).toBe('held');
    expect(await reserved(offer.id)).toBe(1);

    storage.setItem(
      slotOf(offer.id),
      JSON.stringify({
        buyerId: 'buyer_1',
        idempotencyKey: crypto.randomUUID(),
        body: { offerToken: 'not-a-token', quantity: 1 },
      }),
    );
    expect(await resumeReservation(page, offer.id, { storage })).toBeUndefined();
    expect(storage.items.has(slotOf(offer.id))).toBe(false);
  });
});
