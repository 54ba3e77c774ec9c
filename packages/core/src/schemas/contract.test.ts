import { describe, expect, it } from 'vitest';
import { ROUTES } from '../contract/all-routes';
import { ERROR_CODES, ERROR_STATUS, Problem } from './error';
import { EVENT_TYPES, GENESIS_HASH, LiveDropEvent } from './event';
import { OfferCreate } from './offer';
import { ReservationCreate } from './reservation';
import { SessionCreate } from './session';

const offer = {
  id: 'off_1',
  object: 'offer',
  sessionId: 'ses_1',
  sellerId: 'sel_1',
  sku: 'SKU-1',
  title: 'Sneaker',
  price: { amount: 9900, currency: 'USD' },
  compareAtPrice: null,
  priceFloor: null,
  status: 'live',
  soldOut: false,
  stock: { total: 10, available: 9, reserved: 1, sold: 0, backordered: 0 },
  perBuyerLimit: null,
  reservationTtlSeconds: 600,
  backorder: null,
  split: { platformFeeBps: 1000, creatorCommissionBps: 1500 },
  moderation: { decision: 'approved', note: null, reviewedAt: '2026-11-25T18:00:00.000Z' },
  version: 1,
  publishedAt: '2026-11-25T18:00:00.000Z',
  endsAt: null,
  endedAt: null,
  createdAt: '2026-11-25T18:00:00.000Z',
  updatedAt: '2026-11-25T18:00:00.000Z',
};

const event = {
  specversion: '1.0',
  id: 'evt_1',
  source: '/livedrop/reference',
  type: 'livedrop.offer.published',
  time: '2026-11-25T18:00:00.000Z',
  subject: 'off_1',
  datacontenttype: 'application/json',
  seq: 1,
  prevhash: GENESIS_HASH,
  hash: 'a'.repeat(64),
  data: { offer },
};

describe('the event model', () => {
  it('parses a CloudEvents envelope whose type selects the data shape', () => {
    const parsed = LiveDropEvent.parse(event);
    expect(parsed.type).toBe('livedrop.offer.published');
    if (parsed.type === 'livedrop.offer.published') expect(parsed.data.offer.stock.available).toBe(9);
  });

  it('refuses data that does not match its type', () => {
    expect(LiveDropEvent.safeParse({ ...event, type: 'livedrop.order.created' }).success).toBe(false);
  });

  it('refuses unknown types, a bad hash and extra attributes', () => {
    expect(LiveDropEvent.safeParse({ ...event, type: 'livedrop.offer.exploded' }).success).toBe(false);
    expect(LiveDropEvent.safeParse({ ...event, hash: 'xyz' }).success).toBe(false);
    expect(LiveDropEvent.safeParse({ ...event, extra: 1 }).success).toBe(false);
  });

  it('lists every type under the livedrop namespace', () => {
    expect(EVENT_TYPES.length).toBeGreaterThan(20);
    for (const type of EVENT_TYPES) expect(type).toMatch(/^livedrop\.[a-z_]+\.[a-z_]+$/);
  });
});

describe('request schemas', () => {
  it('are strict: unknown fields are refused, not dropped', () => {
    const result = SessionCreate.safeParse({
      creatorId: 'cr_1',
      title: 'Drop',
      scheduledStartAt: '2026-11-25T18:00:00.000Z',
      status: 'live',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['status'] });
  });

  it('refuse a __proto__ key from parsed JSON', () => {
    const body = JSON.parse('{"offerToken":"t","quantity":1,"__proto__":{"admin":true}}') as unknown;
    expect(ReservationCreate.safeParse(body).success).toBe(false);
  });

  it('bound the reservation TTL to 10..3600 seconds', () => {
    const base = { sellerId: 'sel_1', sku: 'A', title: 'A', price: { amount: 100, currency: 'USD' }, quantity: 1 };
    expect(OfferCreate.safeParse({ ...base, reservationTtlSeconds: 9 }).success).toBe(false);
    expect(OfferCreate.safeParse({ ...base, reservationTtlSeconds: 3601 }).success).toBe(false);
    expect(OfferCreate.safeParse({ ...base, reservationTtlSeconds: 600 }).success).toBe(true);
  });

  it('check ids by prefix', () => {
    const result = SessionCreate.safeParse({
      creatorId: 'sel_1',
      title: 'Drop',
      scheduledStartAt: '2026-11-25T18:00:00.000Z',
    });
    expect(result.error?.issues[0]?.path).toEqual(['creatorId']);
  });
});

describe('errors', () => {
  it('map every code to a 4xx or 5xx status, with the statuses the design fixes', () => {
    for (const code of ERROR_CODES) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS).toMatchObject({
      token_invalid: 401,
      sold_out: 409,
      version_conflict: 412,
      price_below_floor: 422,
      payment_declined: 402,
      payload_too_large: 413,
    });
  });

  it('parse a problem+json body', () => {
    const problem = {
      type: 'https://docs.livedrop.dev/errors#sold_out',
      title: 'Sold out',
      status: 409,
      detail: 'No units left.',
      code: 'sold_out',
      requestId: 'req_1',
    };
    expect(Problem.parse(problem)).toEqual(problem);
  });
});

describe('the route table', () => {
  it('gives every route a unique method and path, and only known error codes', () => {
    const seen = new Set<string>();
    for (const route of Object.values(ROUTES)) {
      const key = `${route.method} ${route.path}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      for (const code of route.errors) expect(ERROR_CODES).toContain(code);
    }
  });
});
