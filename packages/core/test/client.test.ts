import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  LiveDropError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  UnprocessableEntityError,
  isLiveDropError,
  verifyOfferToken,
  type AttemptInfo,
  type Session,
} from './support/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, liveOffer, rejectionOf, startHarness, type ReferenceHarness } from './support/reference';

let h: ReferenceHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('parties', () => {
  it('creates and reads sellers, creators and entitlements', async () => {
    const { ld } = h;
    const seller = await ld.sellers.create({ name: 'Acme', trust: { verified: true, completedOrders: 12 } });
    expect(seller).toMatchObject({ object: 'seller', name: 'Acme', trust: { verified: true, completedOrders: 12 } });
    expect(await ld.sellers.retrieve(seller.id)).toEqual(seller);

    const creator = await ld.creators.create({ handle: 'nora.live', displayName: 'Nora', verified: true });
    expect(await ld.creators.retrieve(creator.id)).toEqual(creator);

    const sellers = await Promise.all([0, 1, 2].map((i) => ld.sellers.create({ name: `Seller ${i}` })));
    for (const s of sellers)
      await ld.creators.entitlements.create(creator.id, {
        sellerId: s.id,
        commissionBps: 1000,
        contentRights: ['live_stream', 'clips'],
      });
    const first = await ld.creators.entitlements.list(creator.id, { limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const all = await ld.creators.entitlements.list(creator.id, { limit: 2 }).toArray();
    expect(all.map((e) => e.sellerId).sort()).toEqual(sellers.map((s) => s.id).sort());
  });
});

describe('sessions', () => {
  it('auto-paginates the session list across pages', async () => {
    const { ld } = h;
    const creator = await ld.creators.create({ handle: 'pager', displayName: 'Pager' });
    const created: Session[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await ld.sessions.create({
          creatorId: creator.id,
          title: `S${i}`,
          scheduledStartAt: new Date(START + 60_000).toISOString(),
        }),
      );
    const page = await ld.sessions.list({ creatorId: creator.id, limit: 2 });
    expect(page.data.map((s) => s.id)).toEqual([created[4]!.id, created[3]!.id]);
    expect(page.nextCursor).toBe(created[3]!.id);

    const pagesSeen: number[] = [];
    const onAttempt = (a: AttemptInfo) => a.operationId === 'listSessions' && pagesSeen.push(a.status ?? 0);
    const iterated: string[] = [];
    for await (const session of h
      .client(h.running.server.keys.secretKey, { onAttempt })
      .sessions.list({ creatorId: creator.id, limit: 2 }))
      iterated.push(session.id);
    expect(iterated).toEqual(created.map((s) => s.id).reverse());
    expect(pagesSeen).toEqual([200, 200, 200]);
    expect(await ld.sessions.list({ creatorId: creator.id, limit: 2 }).toArray({ limit: 3 })).toHaveLength(3);
  });

  it('hydrates, answers a 304 with the kept view, and sees changes', async () => {
    const statuses: number[] = [];
    const ld = h.client(h.running.server.keys.secretKey, {
      onAttempt: (a) => a.operationId === 'getSession' && statuses.push(a.status ?? 0),
    });
    const { session, offer } = await liveOffer(h);
    const view = await ld.sessions.hydrate(session.id);
    expect(view).toMatchObject({
      object: 'session_view',
      session: { id: session.id },
      offers: [{ id: offer.id, stock: { available: 10 } }],
    });
    let etag: string | null = null;
    const again = await ld.sessions.hydrate(session.id, { onResponse: (r) => (etag = r.headers.get('etag')) });
    expect(again).toBe(view);
    expect(statuses).toEqual([200, 304]);
    expect(etag).toMatch(/^"/);

    // A fresh client handed the ETag gets a 304 without a kept view, so it reads the view again.
    const other = h.client(h.running.server.keys.secretKey);
    expect(await other.sessions.hydrate(session.id, { ifNoneMatch: etag! })).toEqual(view);

    await h.ld.offers.update(offer.id, { quantity: 7 }, { version: offer.version });
    const changed = await ld.sessions.hydrate(session.id);
    expect(changed.offers[0]!.stock.total).toBe(7);
    expect(statuses).toEqual([200, 304, 200]);
  });

  it('updates with If-Match, refuses a stale version, starts and ends', async () => {
    const { ld } = h;
    const { session } = await liveOffer(h, {}, { publish: false });
    const renamed = await ld.sessions.update(session.id, { title: 'Renamed' }, { version: session.version });
    expect(renamed).toMatchObject({ title: 'Renamed', version: session.version + 1 });
    const stale = await rejectionOf(ld.sessions.update(session.id, { title: 'Again' }, { version: session.version }));
    expect(stale).toBeInstanceOf(PreconditionFailedError);
    expect(stale).toMatchObject({ status: 412, code: 'version_conflict', requestId: expect.stringMatching(/^req_/) });
    expect((await ld.sessions.start(session.id)).status).toBe('live');
    expect((await ld.sessions.end(session.id)).status).toBe('ended');
  });
});

describe('offers', () => {
  it('runs the lifecycle: create, read, update, publish, pause, end', async () => {
    const { ld } = h;
    const { offer, session } = await liveOffer(h, {}, { publish: false });
    expect(offer.status).toBe('draft');
    await ld.sessions.start(session.id);
    expect(await ld.offers.retrieve(offer.id)).toEqual(offer);
    const repriced = await ld.offers.update(
      offer.id,
      { price: { amount: 9900, currency: 'USD' } },
      { version: offer.version },
    );
    expect(repriced.price.amount).toBe(9900);
    expect((await ld.offers.publish(offer.id)).status).toBe('live');
    expect((await ld.offers.pause(offer.id)).status).toBe('paused');
    expect((await ld.offers.end(offer.id)).status).toBe('ended');
  });

  it('lets a moderator review an escalated offer', async () => {
    const { offer } = await liveOffer(
      h,
      { price: { amount: 1000, currency: 'USD' }, compareAtPrice: { amount: 5000, currency: 'USD' } },
      { publish: false },
    );
    expect(offer.status).toBe('pending_review');
    const moderator = h.client(h.running.server.keys.moderatorKey);
    const reviewed = await moderator.offers.review(offer.id, {
      decision: 'approve',
      note: 'Compare-at price checked.',
    });
    expect(reviewed.status).toBe('draft');
  });

  it('maps refusals to typed errors with code and requestId', async () => {
    const { ld } = h;
    const { offer } = await liveOffer(h, { priceFloor: { amount: 10_000, currency: 'USD' } }, { publish: false });
    const below = await rejectionOf(
      ld.offers.update(offer.id, { price: { amount: 5_000, currency: 'USD' } }, { version: offer.version }),
    );
    expect(below).toBeInstanceOf(UnprocessableEntityError);
    expect(below).toMatchObject({ code: 'price_below_floor', requestId: expect.stringMatching(/^req_/) });

    const notLive = await rejectionOf(ld.offers.issueToken(offer.id, { buyerId: 'buyer_1' }));
    expect(notLive).toBeInstanceOf(ConflictError);
    expect((notLive as ConflictError).code).toBe('offer_not_live');

    const missing = await rejectionOf(ld.offers.retrieve('off_doesnotexist'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(isLiveDropError(missing)).toBe(true);

    const invalid = await rejectionOf(ld.sellers.create({ name: '' }));
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect((invalid as BadRequestError).code).toBe('validation_failed');
    expect((invalid as BadRequestError).errors[0]?.path).toBe('name');

    const creator = h.client(h.running.server.keys.creatorKey);
    expect(await rejectionOf(creator.sellers.create({ name: 'Nope' }))).toBeInstanceOf(PermissionDeniedError);
    const stranger = await rejectionOf(h.client('sk_test_unknown').sellers.create({ name: 'Nope' }));
    expect(stranger).toBeInstanceOf(AuthenticationError);
    expect((stranger as AuthenticationError).code).toBe('unauthenticated');
  });
});

describe('tokens and signing keys', () => {
  it('issues tokens that verify offline against the JWKS, before and after a rotation', async () => {
    const { ld } = h;
    const { offer } = await liveOffer(h);
    const issued = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_7', quantityMax: 2 });
    const jwks = await ld.signingKeys.jwks();
    const claims = await verifyOfferToken(issued.token, { jwks, now: h.clock.now() });
    expect(claims).toMatchObject({ sub: 'buyer_7', oid: offer.id, qmax: 2, jti: issued.jti });
    await expect(
      verifyOfferToken(issued.token, {
        jwks: `${h.running.url}/.well-known/jwks.json`,
        jwksHeaders: { authorization: `Bearer ${h.running.server.keys.publishableKey}` },
        now: h.clock.now(),
      }),
    ).resolves.toMatchObject({ jti: issued.jti });

    const rotation = await ld.signingKeys.rotate();
    expect(rotation.previousKid).not.toBeNull();
    const after = await ld.signingKeys.jwks();
    expect(after.keys.map((k) => k.kid)).toEqual([rotation.currentKid, rotation.previousKid]);
    await expect(verifyOfferToken(issued.token, { jwks: after, now: h.clock.now() })).resolves.toMatchObject({
      jti: issued.jti,
    });
  });
});

describe('reservations', () => {
  it('holds, reads with a client secret, and releases exactly once', async () => {
    const { ld } = h;
    const { offer } = await liveOffer(h);
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_1' });
    const hold = await ld.reservations.create({ offerToken: token, quantity: 2 });
    expect(hold).toMatchObject({
      object: 'reservation',
      status: 'held',
      quantity: 2,
      offerId: offer.id,
      clientSecret: expect.any(String),
    });

    const browser = h.client(h.running.server.keys.publishableKey);
    expect((await browser.reservations.retrieve(hold.id, { clientSecret: hold.clientSecret! })).id).toBe(hold.id);
    expect(await rejectionOf(browser.reservations.retrieve(hold.id))).toBeInstanceOf(NotFoundError);
    expect((await ld.reservations.retrieve(hold.id)).status).toBe('held');

    expect((await browser.reservations.release(hold.id, { clientSecret: hold.clientSecret! })).status).toBe('released');
    const twice = await rejectionOf(ld.reservations.release(hold.id));
    expect(twice).toBeInstanceOf(ConflictError);
    expect((twice as ConflictError).code).toBe('reservation_not_held');
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ available: 10, reserved: 0 });
  });

  it('refuses replayed, invalid and over-limit tokens and sold-out offers with typed errors', async () => {
    const { ld } = h;
    const { offer } = await liveOffer(h, { quantity: 1, perBuyerLimit: 1 });
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_1' });
    await ld.reservations.create({ offerToken: token, quantity: 1 });
    const replayed = await rejectionOf(ld.reservations.create({ offerToken: token, quantity: 1 }));
    expect(replayed).toMatchObject({ status: 409, code: 'token_replayed' });
    expect(replayed).toBeInstanceOf(ConflictError);

    const invalid = await rejectionOf(ld.reservations.create({ offerToken: 'garbage', quantity: 1 }));
    expect(invalid).toBeInstanceOf(AuthenticationError);
    expect((invalid as AuthenticationError).code).toBe('token_invalid');

    const over = await rejectionOf(
      ld.reservations.create({
        offerToken: (await ld.offers.issueToken(offer.id, { buyerId: 'buyer_2' })).token,
        quantity: 2,
      }),
    );
    expect(over).toBeInstanceOf(UnprocessableEntityError);
    expect((over as UnprocessableEntityError).code).toBe('limit_exceeded');

    const soldOut = await rejectionOf(
      ld.reservations.create({
        offerToken: (await ld.offers.issueToken(offer.id, { buyerId: 'buyer_3' })).token,
        quantity: 1,
      }),
    );
    expect(soldOut).toBeInstanceOf(ConflictError);
    expect((soldOut as ConflictError).code).toBe('sold_out');
  });

  it('sends one Idempotency-Key per POST; a repeated key replays the first answer', async () => {
    const { offer } = await liveOffer(h);
    const keys: (string | null)[] = [];
    const ld = h.client(h.running.server.keys.secretKey, { onAttempt: (a) => keys.push(a.idempotencyKey) });
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_9' });
    let replayed: boolean[] = [];
    const first = await ld.reservations.create(
      { offerToken: token, quantity: 1 },
      { idempotencyKey: 'order-42-hold', onResponse: (r) => replayed.push(r.replayed) },
    );
    const second = await ld.reservations.create(
      { offerToken: token, quantity: 1 },
      { idempotencyKey: 'order-42-hold', onResponse: (r) => replayed.push(r.replayed) },
    );
    expect(second).toEqual(first);
    expect(replayed).toEqual([false, true]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys.slice(1)).toEqual(['order-42-hold', 'order-42-hold']);
    await ld.offers.retrieve(offer.id);
    expect(keys.at(-1)).toBeNull();
    expect((await ld.offers.retrieve(offer.id)).stock.reserved).toBe(1);

    replayed = [];
    const reused = await rejectionOf(
      ld.reservations.create({ offerToken: token, quantity: 2 }, { idempotencyKey: 'order-42-hold' }),
    );
    expect(reused).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
  });
});

describe('events', () => {
  it('lists one page, iterates the whole log by `after`, and verifies the chain', async () => {
    const { ld } = h;
    await liveOffer(h);
    const first = await ld.events.list({ limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.data.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first.nextAfter).toBe(3);
    const all = await ld.events.list({ limit: 4 }).toArray({ limit: 100_000 });
    const audit = await ld.events.verifyAudit();
    expect(audit).toMatchObject({ valid: true, firstInvalidSeq: null });
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all.length).toBeGreaterThanOrEqual(audit.headSeq);

    const published: string[] = [];
    for await (const event of ld.events.list({ types: ['livedrop.offer.published'], limit: 2 })) {
      expect(event.type).toBe('livedrop.offer.published');
      if (event.type === 'livedrop.offer.published') published.push(event.data.offer.id);
    }
    expect(published.length).toBeGreaterThan(0);
  });
});

describe('logging', () => {
  it('writes one line per attempt with method, path, status, Request-Id and duration, never a secret', async () => {
    const lines: { level: string; message: string; data: unknown }[] = [];
    const at = (level: string) => (message: string, data?: unknown) => lines.push({ level, message, data });
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const secretKey = h.running.server.keys.secretKey;
    const ld = h.client(secretKey, { logger });
    const { offer } = await liveOffer(h);
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_log' });
    const hold = await ld.reservations.create({ offerToken: token, quantity: 1 });
    await ld.reservations.retrieve(hold.id, { clientSecret: hold.clientSecret! });
    await rejectionOf(ld.offers.retrieve('off_missing'));

    expect(lines).toHaveLength(4);
    expect(lines[0]!.message).toMatch(
      /^livedrop POST \/v1\/offers\/off_\w+\/tokens → 201 in \d+ms retry=0 request=req_\w+$/,
    );
    expect(lines[0]!.level).toBe('debug');
    // The client secret travels in the LiveDrop-Client-Secret header, so the logged path has no query at all.
    expect(lines[2]!.message).toMatch(/^livedrop GET \/v1\/reservations\/res_\w+ → 200 /);
    expect(lines[3]).toMatchObject({ level: 'info', data: { status: 404, operationId: 'getOffer', retryCount: 0 } });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(secretKey);
    expect(everything).not.toContain(hold.clientSecret!);
    expect(everything).not.toContain(token);
  });
});

describe('client options', () => {
  it('refuses a secret key where a DOM exists unless allowed, and accepts publishable keys there', () => {
    const g = globalThis as { document?: unknown };
    g.document = {};
    try {
      expect(() => h.client('sk_test_abc')).toThrow(LiveDropError);
      expect(() => h.client('sk_test_abc')).toThrow(/publishable key/);
      expect(() => h.client('sk_test_abc', { dangerouslyAllowBrowser: true })).not.toThrow();
      expect(() => h.client('pk_test_abc')).not.toThrow();
    } finally {
      delete g.document;
    }
    expect(() => h.client('sk_test_abc')).not.toThrow();
  });

  it('refuses unusable options early', () => {
    expect(() => h.client('')).toThrow(/apiKey/);
    expect(() => h.client('sk_test_abc', { baseUrl: 'localhost:4010' })).toThrow(/baseUrl/);
  });
});
