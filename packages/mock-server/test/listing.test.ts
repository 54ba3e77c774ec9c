import { createClient, ListingEvent, ListingFeed } from '@livedrop/core';
import { describe, expect, it } from 'vitest';
import { START, expectStatus, startDropWorld, usd, type DropWorld } from './support/drop-world';

/*
 * A structural check written from schema.org's definitions (independent of the zod contract):
 * - Event: name Text; startDate/endDate Date or DateTime (ISO 8601); eventStatus an EventStatusType
 *   member; eventAttendanceMode an EventAttendanceModeEnumeration member; location Place,
 *   PostalAddress, Text or VirtualLocation (url URL); performer and organizer Person or
 *   Organization; offers Offer or Demand.
 * - Offer: price Number or Text (a number, `.` as decimal separator, no currency symbol);
 *   priceCurrency Text (ISO 4217); availability an ItemAvailability member; validFrom/validThrough
 *   DateTime; seller Person or Organization; sku Text; inventoryLevel QuantitativeValue (value Number).
 * - ItemList: itemListElement ListItem, Text or Thing; numberOfItems Integer; ListItem position
 *   Integer or Text, item Thing.
 */
const EVENT_STATUS = ['EventScheduled', 'EventCancelled', 'EventMovedOnline', 'EventPostponed', 'EventRescheduled'].map(
  (name) => `https://schema.org/${name}`,
);
const ATTENDANCE = ['OfflineEventAttendanceMode', 'OnlineEventAttendanceMode', 'MixedEventAttendanceMode'].map(
  (name) => `https://schema.org/${name}`,
);
const ITEM_AVAILABILITY = [
  'BackOrder',
  'Discontinued',
  'InStock',
  'InStoreOnly',
  'LimitedAvailability',
  'MadeToOrder',
  'OnlineOnly',
  'OutOfStock',
  'PreOrder',
  'PreSale',
  'Reserved',
  'SoldOut',
].map((name) => `https://schema.org/${name}`);
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;
function problems(
  node: unknown,
  path: string,
  rules: Record<string, (value: unknown) => boolean>,
  required: readonly string[],
  out: string[],
): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    out.push(`${path} is not an object`);
    return;
  }
  for (const name of required) if (!(name in node)) out.push(`${path}.${name} is required`);
  for (const [name, value] of Object.entries(node)) {
    const rule = rules[name];
    if (rule && !rule(value)) out.push(`${path}.${name} has the wrong type: ${JSON.stringify(value)}`);
  }
}
const isText = (value: unknown) => typeof value === 'string' && value.length > 0;
const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\//.test(value);
const isDateTime = (value: unknown) =>
  typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value));
const isAgent = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  ['Person', 'Organization'].includes((value as Json)['@type'] as string) &&
  isText((value as Json).name);

function schemaOrgEventProblems(event: Json, path: string, out: string[]): void {
  problems(
    event,
    path,
    {
      '@type': (v) => v === 'Event',
      name: isText,
      startDate: isDateTime,
      endDate: isDateTime,
      eventStatus: (v) => EVENT_STATUS.includes(v as string),
      eventAttendanceMode: (v) => ATTENDANCE.includes(v as string),
      location: (v) =>
        typeof v === 'object' &&
        v !== null &&
        (v as Json)['@type'] === 'VirtualLocation' &&
        (!('url' in v) || isUrl((v as Json).url)),
      url: isUrl,
      performer: isAgent,
      organizer: isAgent,
      offers: Array.isArray,
    },
    [
      '@type',
      'name',
      'startDate',
      'eventStatus',
      'eventAttendanceMode',
      'location',
      'performer',
      'organizer',
      'offers',
    ],
    out,
  );
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the callback's value is the problems it appended, not used
  ((event.offers as unknown[]) ?? []).forEach((offer, i) =>
    problems(
      offer,
      `${path}.offers[${i}]`,
      {
        '@type': (v) => v === 'Offer',
        price: (v) =>
          (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)),
        priceCurrency: (v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v),
        availability: (v) => ITEM_AVAILABILITY.includes(v as string),
        validFrom: isDateTime,
        validThrough: isDateTime,
        seller: isAgent,
        sku: isText,
        name: isText,
        inventoryLevel: (v) =>
          typeof v === 'object' &&
          v !== null &&
          (v as Json)['@type'] === 'QuantitativeValue' &&
          Number.isInteger((v as Json).value) &&
          ((v as Json).value as number) >= 0,
      },
      ['@type', 'price', 'priceCurrency', 'availability', 'validFrom', 'seller', 'sku', 'inventoryLevel'],
      out,
    ),
  );
}

/** Fails naming every schema.org violation of a listing document. */
function expectSchemaOrgEvent(document: Json): void {
  const out: string[] = [];
  if (document['@context'] !== 'https://schema.org') out.push('@context must be https://schema.org');
  schemaOrgEventProblems(document, 'Event', out);
  expect(out).toEqual([]);
}

function expectSchemaOrgItemList(document: Json): void {
  const out: string[] = [];
  if (document['@context'] !== 'https://schema.org') out.push('@context must be https://schema.org');
  problems(
    document,
    'ItemList',
    { '@type': (v) => v === 'ItemList', numberOfItems: Number.isInteger, itemListElement: Array.isArray },
    ['@type', 'itemListElement'],
    out,
  );
  const items = (document.itemListElement as unknown[]) ?? [];
  if (document.numberOfItems !== items.length) out.push('numberOfItems must count itemListElement');
  items.forEach((entry, i) => {
    problems(
      entry,
      `ItemList.itemListElement[${i}]`,
      { '@type': (v) => v === 'ListItem', position: (v) => Number.isInteger(v) && (v as number) >= 1 },
      ['@type', 'position', 'item'],
      out,
    );
    schemaOrgEventProblems((entry as Json).item as Json, `ItemList.itemListElement[${i}].item`, out);
  });
  expect(out).toEqual([]);
}

async function listing(world: DropWorld, sessionId: string) {
  const res = await world.browser.get(`/v1/sessions/${sessionId}/listing`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/ld+json');
  return res.body as ListingEvent;
}

describe('GET /v1/sessions/{id}/listing', () => {
  it('is a schema.org Event with Offers, valid against the contract and schema.org', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession({ title: 'Winter drop', watchUrl: 'https://watch.example.com/winter' });
    const parka = await world.liveOffer(session.id, { compareAtPrice: usd(19_900) });
    // A draft is not public: it is not listed.
    await expectStatus(
      world.api.post(`/v1/sessions/${session.id}/offers`, {
        sellerId: world.sellerId,
        sku: 'SECRET-1',
        title: 'Unannounced',
        price: usd(100),
        quantity: 1,
      }),
      201,
    );

    const event = await listing(world, session.id);
    expectSchemaOrgEvent(event as unknown as Json);
    expect(ListingEvent.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Event',
      identifier: session.id,
      name: 'Winter drop',
      startDate: session.startedAt,
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
      location: { '@type': 'VirtualLocation', url: 'https://watch.example.com/winter' },
      performer: { '@type': 'Person', name: 'Test Platform house creator', alternateName: 'house_creator' },
      organizer: { '@type': 'Organization', name: 'Test Platform' },
    });
    expect(event.endDate).toBeUndefined();
    expect(event.offers).toEqual([
      {
        '@type': 'Offer',
        identifier: parka.id,
        name: 'Storm Parka',
        sku: 'NW-1',
        price: '129.00',
        priceCurrency: 'USD',
        availability: 'https://schema.org/InStock',
        inventoryLevel: { '@type': 'QuantitativeValue', value: 10, unitCode: 'C62' },
        validFrom: parka.publishedAt,
        seller: {
          '@type': 'Organization',
          name: 'Northwind Outfitters',
          identifier: world.sellerId,
          interactionStatistic: {
            '@type': 'InteractionCounter',
            interactionType: 'https://schema.org/BuyAction',
            userInteractionCount: 0,
            description: expect.stringContaining('last 90 days'),
          },
        },
      },
    ]);
    expect(JSON.stringify(event)).not.toContain('SECRET-1');
  });

  it('follows live stock: reserving lowers inventoryLevel, few left is LimitedAvailability, none is SoldOut or BackOrder', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const parka = await world.liveOffer(session.id, { quantity: 10 });
    const backorder = { allowed: true, limit: 1, sellerConsentAt: '2026-11-20T09:00:00.000Z' };
    const boots = await world.liveOffer(session.id, { sku: 'NW-2', title: 'Trail Boots', quantity: 1, backorder });
    const offerOf = async (id: string) =>
      (await listing(world, session.id)).offers.find((offer) => offer.identifier === id)!;

    const before = await world.browser.get(`/v1/sessions/${session.id}/listing`);
    await world.reserve(parka.id, 'buyer_1', { quantity: 3 });
    expect(await offerOf(parka.id)).toMatchObject({
      inventoryLevel: { value: 7 },
      availability: 'https://schema.org/InStock',
    });
    // The listing changed, so its ETag did.
    const after = await world.browser.get(`/v1/sessions/${session.id}/listing`, {
      headers: { 'if-none-match': before.headers.get('etag')! },
    });
    expect(after.status).toBe(200);

    for (const buyer of ['buyer_2', 'buyer_3', 'buyer_4', 'buyer_5', 'buyer_6', 'buyer_7'])
      await world.reserve(parka.id, buyer);
    expect(await offerOf(parka.id)).toMatchObject({
      inventoryLevel: { value: 1 },
      availability: 'https://schema.org/LimitedAvailability',
    });
    await world.reserve(parka.id, 'buyer_8');
    expect(await offerOf(parka.id)).toMatchObject({
      inventoryLevel: { value: 0 },
      availability: 'https://schema.org/SoldOut',
    });

    // Sold out but taking backorders; once the queue is full, sold out.
    await world.reserve(boots.id, 'buyer_9');
    expect(await offerOf(boots.id)).toMatchObject({
      inventoryLevel: { value: 0 },
      availability: 'https://schema.org/BackOrder',
    });
    await world.reserve(boots.id, 'buyer_10', { backorderConsent: true });
    expect(await offerOf(boots.id)).toMatchObject({ availability: 'https://schema.org/SoldOut' });

    // Ending closes the validity window and the event.
    const ended = await expectStatus(world.api.post(`/v1/sessions/${session.id}/end`));
    const final = await listing(world, session.id);
    expectSchemaOrgEvent(final as unknown as Json);
    expect(final.endDate).toBe(ended.endedAt);
    expect(final.offers.map((offer) => [offer.sku, offer.availability, offer.validThrough])).toEqual([
      ['NW-1', 'https://schema.org/SoldOut', ended.endedAt],
      ['NW-2', 'https://schema.org/SoldOut', ended.endedAt],
    ]);
  });

  it('writes prices with each currency exponent, and a paused offer is OutOfStock', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const yen = await world.liveOffer(session.id, { sku: 'JP-1', price: { amount: 1500, currency: 'JPY' } });
    const dinar = await world.liveOffer(session.id, { sku: 'KW-1', price: { amount: 1250, currency: 'KWD' } });
    await expectStatus(world.api.post(`/v1/offers/${dinar.id}/pause`));
    const event = await listing(world, session.id);
    expectSchemaOrgEvent(event as unknown as Json);
    expect(
      event.offers.map((offer) => [offer.identifier, offer.price, offer.priceCurrency, offer.availability]),
    ).toEqual([
      [yen.id, '1500', 'JPY', 'https://schema.org/InStock'],
      [dinar.id, '1.250', 'KWD', 'https://schema.org/OutOfStock'],
    ]);
  });

  it('is cacheable like the public hydrate, answers 304 to its ETag, and hides other tenants', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const first = await world.browser.get(`/v1/sessions/${session.id}/listing`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=10');
    expect(first.headers.get('vary')).toBe('Authorization, Accept-Encoding');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const again = await world.browser.get(`/v1/sessions/${session.id}/listing`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await world.api.get(`/v1/sessions/${session.id}/listing`)).headers.get('cache-control')).toBe(
      'private, no-store',
    );

    const other = world.ld.server.engine.createTenant('Other Platform');
    const stranger = await fetch(`${world.ld.url}/v1/sessions/${session.id}/listing`, {
      headers: { authorization: `Bearer ${other.publishableKey}` },
    });
    expect(stranger.status).toBe(404);
    expect(
      (
        await fetch(`${world.ld.url}/v1/sessions/${session.id}/listing`, {
          headers: { authorization: `Bearer ${world.keys.moderatorKey}` },
        })
      ).status,
    ).toBe(403);
  });
});

describe('GET /v1/listings', () => {
  it('is a schema.org ItemList of Events, newest first, paginated by cursor with Link: rel="next"', async () => {
    await using world = await startDropWorld();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await world.liveSession({ title: `Drop ${i}` })).id);
    await world.session({ title: 'Later', scheduledStartAt: new Date(START + 86_400_000).toISOString() });

    const first = await world.browser.get('/v1/listings?status=live&limit=2');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/ld+json');
    expect(first.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=10');
    expectSchemaOrgItemList(first.body);
    expect(ListingFeed.safeParse(first.body).success).toBe(true);
    const feed = first.body as ListingFeed;
    expect(feed.itemListElement.map((entry) => [entry.position, entry.item.identifier])).toEqual([
      [1, ids[4]],
      [2, ids[3]],
    ]);
    expect(first.headers.get('link')).toBe(`</v1/listings?status=live&limit=2&startingAfter=${ids[3]}>; rel="next"`);

    const second = await world.browser.get(`/v1/listings?status=live&limit=2&startingAfter=${ids[3]}`);
    expect(
      (second.body as ListingFeed).itemListElement.map((entry) => [entry.position, entry.item.identifier]),
    ).toEqual([
      [3, ids[2]],
      [4, ids[1]],
    ]);
    const last = await world.browser.get(`/v1/listings?status=live&limit=2&startingAfter=${ids[1]}`);
    expect((last.body as ListingFeed).itemListElement.map((entry) => entry.item.identifier)).toEqual([ids[0]]);
    expect(last.headers.get('link')).toBeNull();

    const unchanged = await world.browser.get('/v1/listings?status=live&limit=2', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(unchanged.status).toBe(304);
  });

  it('refuses a bad query with the field named', async () => {
    await using world = await startDropWorld();
    const res = await world.browser.get('/v1/listings?status=streaming');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(JSON.stringify(res.body.errors)).toContain('status');
    const cursor = await world.browser.get('/v1/listings?startingAfter=ses_nothere');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.startingAfter']);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('is read by the client: listings.retrieve validates the Event, listings.list pages through the feed', async () => {
    await using world = await startDropWorld();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await world.liveSession({ title: `Drop ${i}` })).id);
    await world.liveOffer(ids[0]!);
    const ld = createClient({ apiKey: world.keys.publishableKey, baseUrl: world.ld.url, maxRetries: 0 });

    const event = await ld.listings.retrieve(ids[0]!);
    expect(event.offers.map((offer) => offer.sku)).toEqual(['NW-1']);

    const page = await ld.listings.list({ status: 'live', limit: 2 });
    expect(page.data.map((item) => item.identifier)).toEqual([ids[2], ids[1]]);
    expect(page).toMatchObject({ hasMore: true, nextCursor: ids[1] });
    expect(page.itemList['@type']).toBe('ItemList');
    const all = await ld.listings.list({ status: 'live', limit: 2 }).toArray();
    expect(all.map((item) => item.identifier)).toEqual([ids[2], ids[1], ids[0]]);
  });
});
