/**
 * Sets up a drop on a reference server in-process, through `server.handle(request)` (the full
 * pipeline: auth, validation, idempotency, events), which is much faster than over a socket.
 */

const BASE = 'http://bench.livedrop.test';

/** Calls `server.handle` as key `key`; throws unless the status is `expect`. */
export function apiOf(server) {
  /** `parse: false` leaves the body as text (timed loops that should not pay for JSON.parse). */
  return async function call(key, method, path, body, { expect, headers = {}, parse = true } = {}) {
    const init = { method, headers: { authorization: `Bearer ${key}`, ...headers } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await server.handle(new Request(`${BASE}${path}`, init));
    const text = await response.text();
    const parsed = text === '' || !parse ? text : JSON.parse(text);
    if (expect !== undefined && response.status !== expect)
      throw new Error(`${method} ${path} answered ${response.status}, expected ${expect}: ${text.slice(0, 500)}`);
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/** Runs `task(i)` for i in 0..count-1 with at most `width` in flight; returns the results in order. */
export async function inParallel(count, width, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}

/**
 * A seller the house creator is entitled to sell for, a started session, and `offers` published
 * offers of `quantity` units each. Returns their ids.
 */
export async function createDrop(
  server,
  { offers = 1, quantity = 1_000_000, title = 'Bench drop', offerFields = {} } = {},
) {
  const call = apiOf(server);
  const { secretKey, creatorId } = server.keys;
  const seller = await call(secretKey, 'POST', '/v1/sellers', { name: 'Bench Outfitters' }, { expect: 201 });
  await call(
    secretKey,
    'POST',
    `/v1/creators/${creatorId}/entitlements`,
    { sellerId: seller.body.id, commissionBps: 1500, contentRights: ['live_stream'] },
    { expect: 201 },
  );
  const session = await call(
    secretKey,
    'POST',
    '/v1/sessions',
    { creatorId, title, scheduledStartAt: '2026-11-25T19:00:00.000Z' },
    { expect: 201 },
  );
  await call(secretKey, 'POST', `/v1/sessions/${session.body.id}/start`, undefined, { expect: 200 });
  const offerIds = await addOffers(server, session.body.id, seller.body.id, offers, { quantity, ...offerFields });
  return { sellerId: seller.body.id, sessionId: session.body.id, offerIds };
}

/** Adds `count` published offers to a session; returns their ids. */
export async function addOffers(server, sessionId, sellerId, count, fields = {}) {
  const call = apiOf(server);
  const { secretKey } = server.keys;
  return inParallel(count, 16, async (index) => {
    const offer = await call(
      secretKey,
      'POST',
      `/v1/sessions/${sessionId}/offers`,
      {
        sellerId,
        sku: `BENCH-${index}`,
        title: `Storm Parka, colour ${index}`,
        price: { amount: 12_900, currency: 'USD' },
        compareAtPrice: { amount: 18_900, currency: 'USD' },
        quantity: 1_000_000,
        ...fields,
      },
      { expect: 201 },
    );
    await call(secretKey, 'POST', `/v1/offers/${offer.body.id}/publish`, undefined, { expect: 200 });
    return offer.body.id;
  });
}

/** Issues one single-use offer token per buyer `${prefix}_${i}` for `offerId`. */
export async function issueTokens(server, offerId, count, prefix = 'buyer') {
  const call = apiOf(server);
  const { secretKey } = server.keys;
  return inParallel(
    count,
    32,
    async (index) =>
      (
        await call(
          secretKey,
          'POST',
          `/v1/offers/${offerId}/tokens`,
          { buyerId: `${prefix}_${index}`, ttlSeconds: 900 },
          { expect: 201 },
        )
      ).body.token,
  );
}
