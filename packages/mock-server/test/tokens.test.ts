import { createHmac } from 'node:crypto';
import {
  MAX_OFFER_TOKEN_LENGTH,
  OFFER_TOKEN_AUDIENCE,
  type Jwks,
  type Offer,
  type OfferTokenClaims,
} from '@livedrop/core';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { OFFER_TOKEN_ISSUER, signOfferToken } from '../src/domain/token-codec';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import type { SigningKey } from '../src/signing-keys';
import { apiAs, buyerBrowser, type Api } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');

function b64url(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64url');
}

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A seller, an entitlement, a live session and a published offer, made through the API. */
async function liveOffer(api: Api, creatorId: string, fields: Record<string, unknown> = {}): Promise<Offer> {
  const seller = await api.post('/v1/sellers', { name: 'Acme Sneakers' });
  expect(seller.status).toBe(201);
  expect(
    (
      await api.post(`/v1/creators/${creatorId}/entitlements`, {
        sellerId: seller.body.id,
        commissionBps: 1500,
        contentRights: ['live_stream'],
      })
    ).status,
  ).toBe(201);
  const session = await api.post('/v1/sessions', {
    creatorId,
    title: 'Friday drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  expect(session.status).toBe(201);
  expect((await api.post(`/v1/sessions/${session.body.id}/start`)).status).toBe(200);
  const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
    sellerId: seller.body.id,
    sku: 'SNK-1',
    title: 'Runner',
    price: { amount: 4999, currency: 'USD' },
    quantity: 10,
    ...fields,
  });
  expect(offer.status).toBe(201);
  const published = await api.post(`/v1/offers/${offer.body.id}/publish`);
  expect(published.status).toBe(200);
  return published.body as Offer;
}

async function setup(ld: StartedReferenceServer, fields: Record<string, unknown> = {}) {
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  const offer = await liveOffer(api, ld.server.keys.creatorId, fields);
  const issue = async (body: Record<string, unknown> = {}) => {
    const res = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1', ...body });
    expect(res.status).toBe(201);
    return res.body.token as string;
  };
  const stock = async () => {
    const res = await api.get(`/v1/offers/${offer.id}`);
    const { total, available, reserved, sold } = res.body.stock;
    expect(available + reserved + sold).toBe(total);
    return res.body.stock as Offer['stock'];
  };
  const eventCount = async () => {
    let after = 0;
    let count = 0;
    for (;;) {
      const page = await api.get(`/v1/events?after=${after}&limit=1000`);
      expect(page.status).toBe(200);
      count += page.body.data.length;
      if (!page.body.hasMore) return count;
      after = page.body.nextAfter;
    }
  };
  /** Sends `offerToken` and checks the refusal changed nothing a user can see. */
  const refused = async (offerToken: string, status: number, code: string) => {
    const before = {
      stock: await stock(),
      events: await eventCount(),
      reservations: ld.server.engine.store.reservations.size,
    };
    const res = await api.post('/v1/reservations', { offerToken, quantity: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toEqual(expect.any(String));
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect({
      stock: await stock(),
      events: await eventCount(),
      reservations: ld.server.engine.store.reservations.size,
    }).toEqual(before);
    return res.body as { detail: string };
  };
  return { api, offer, issue, stock, eventCount, refused };
}

const clockOf = (ld: StartedReferenceServer) => ld.server.engine.clock;

describe('issuing offer tokens', () => {
  it('signs the documented claims with the pinned header', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer } = await setup(ld, { perBuyerLimit: 4 });
    const res = await api.post(`/v1/offers/${offer.id}/tokens`, {
      buyerId: 'buyer_42',
      ttlSeconds: 300,
      attribution: { campaign: 'black-friday', source: 'ig' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      object: 'offer_token',
      token: expect.any(String),
      jti: expect.any(String),
      expiresAt: '2026-11-25T18:05:00.000Z',
    });
    const { token, jti } = res.body;
    const jwks = await api.get('/.well-known/jwks.json');
    expect(decodePart(token, 0)).toEqual({ alg: 'EdDSA', kid: jwks.body.keys[0].kid, typ: 'offer+jwt' });
    const now = START / 1000;
    expect(decodePart(token, 1)).toEqual({
      iss: OFFER_TOKEN_ISSUER,
      aud: 'livedrop:reservations',
      sub: 'buyer_42',
      sid: offer.sessionId,
      oid: offer.id,
      sku: 'SNK-1',
      price: { amount: 4999, currency: 'USD' },
      qmax: 4,
      jti,
      iat: now,
      nbf: now,
      exp: now + 300,
      att: { campaign: 'black-friday', source: 'ig' },
    });
    expect(jti.length).toBeGreaterThanOrEqual(24);

    const events = await api.get('/v1/events?types=livedrop.token.issued');
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0].subject).toBe(offer.id);
    expect(events.body.data[0].data).toEqual({
      jti,
      buyerId: 'buyer_42',
      quantityMax: 4,
      expiresAt: '2026-11-25T18:05:00.000Z',
      attribution: {
        creatorId: ld.server.keys.creatorId,
        sessionId: offer.sessionId,
        offerId: offer.id,
        campaign: 'black-friday',
      },
      campaign: { campaign: 'black-friday', source: 'ig' },
    });
  });

  it('defaults qmax to the per-buyer limit, else 10, and the lifetime to 120 s; a buyer session may issue', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer } = await setup(ld);
    const buyer = await buyerBrowser(ld.url, ld.server.keys, 'buyer_1');
    const res = await buyer.post(`/v1/offers/${offer.id}/tokens`, {});
    expect(res.status).toBe(201);
    const claims = decodePart(res.body.token, 1);
    expect(claims.qmax).toBe(10);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    const limited = await setup(ld, { perBuyerLimit: 3 });
    expect(decodePart(await limited.issue(), 1).qmax).toBe(3);
    expect(decodePart(await limited.issue({ quantityMax: 2 }), 1).qmax).toBe(2);
    expect((await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1', ttlSeconds: 901 })).status).toBe(400);
  });

  it('refuses a quantityMax above the per-buyer limit, offers that are not live, and other keys', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, offer, eventCount } = await setup(ld, { perBuyerLimit: 2 });
    const before = await eventCount();
    const over = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1', quantityMax: 3 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('limit_exceeded');
    expect(over.body.errors).toEqual([expect.objectContaining({ path: 'quantityMax' })]);

    expect((await api.post(`/v1/offers/${offer.id}/pause`)).status).toBe(200);
    const paused = await api.post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' });
    expect(paused.status).toBe(409);
    expect(paused.body.code).toBe('offer_not_live');

    expect(
      (await apiAs(ld.url, ld.server.keys.creatorKey).post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' }))
        .status,
    ).toBe(403);
    const other = ld.server.engine.createTenant('Other Platform');
    const foreign = await apiAs(ld.url, other.secretKey).post(`/v1/offers/${offer.id}/tokens`, { buyerId: 'buyer_1' });
    expect(foreign.status).toBe(404);
    expect(await eventCount()).toBe(before + 1); // only the pause
  });
});

describe('the JWKS and key rotation', () => {
  it('publishes the signing key, and tokens verify independently with jose', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue } = await setup(ld);
    const token = await issue();
    const res = await fetch(`${ld.url}/.well-known/jwks.json`, {
      headers: { authorization: `Bearer ${ld.server.keys.publishableKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    const jwks = (await res.json()) as Jwks;
    expect(jwks.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: decodeProtectedHeader(token).kid,
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);

    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA'],
      audience: OFFER_TOKEN_AUDIENCE,
      issuer: OFFER_TOKEN_ISSUER,
      typ: 'offer+jwt',
      currentDate: new Date(clockOf(ld).now()),
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe('buyer_1');
  });

  it('rotates: new tokens use the new kid, tokens signed with the previous key keep working', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, issue, eventCount } = await setup(ld);
    const old = await issue();
    const oldKid = decodeProtectedHeader(old).kid;
    const before = await eventCount();

    const rotation = await api.post('/v1/signing-keys/rotate');
    expect(rotation.status).toBe(200);
    expect(rotation.body).toEqual({
      object: 'signing_key_rotation',
      currentKid: expect.any(String),
      previousKid: oldKid,
      rotatedAt: '2026-11-25T18:00:00.000Z',
    });
    expect(rotation.body.currentKid).not.toBe(oldKid);
    const events = await api.get(`/v1/events?after=${before}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([
      ['livedrop.signing_key.rotated', { currentKid: rotation.body.currentKid, previousKid: oldKid }],
    ]);
    expect((await apiAs(ld.url, ld.server.keys.publishableKey).post('/v1/signing-keys/rotate')).status).toBe(403);

    const jwks = (await api.get('/.well-known/jwks.json')).body as Jwks;
    expect(jwks.keys.map((key) => key.kid)).toEqual([rotation.body.currentKid, oldKid]);
    const fresh = await issue();
    expect(decodeProtectedHeader(fresh).kid).toBe(rotation.body.currentKid);
    for (const token of [old, fresh]) {
      await jwtVerify(token, createLocalJWKSet(jwks), {
        algorithms: ['EdDSA'],
        currentDate: new Date(clockOf(ld).now()),
      });
      expect((await api.post('/v1/reservations', { offerToken: token, quantity: 1 })).status).toBe(201);
    }

    // After a second rotation the first key is retired: its tokens no longer verify.
    const retired = await issue();
    expect((await api.post('/v1/signing-keys/rotate')).status).toBe(200);
    expect((await api.post('/v1/signing-keys/rotate')).status).toBe(200);
    expect((await api.post('/v1/reservations', { offerToken: retired, quantity: 1 })).body.code).toBe('token_invalid');
  });
});

describe('hostile tokens are refused and change nothing', () => {
  it('alg none', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const [, payload, signature] = (await issue()).split('.');
    const header = b64url(
      JSON.stringify({ alg: 'none', kid: decodeProtectedHeader(await issue()).kid, typ: 'offer+jwt' }),
    );
    await refused(`${header}.${payload}.`, 401, 'token_invalid');
    await refused(`${header}.${payload}.${signature}`, 401, 'token_invalid');
    await refused(`${b64url(JSON.stringify({ alg: 'none' }))}.${payload}.`, 401, 'token_invalid');
  });

  it('HS256 signed with the public key as the HMAC secret', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, issue, refused } = await setup(ld);
    const [, payload] = (await issue()).split('.');
    const jwk = (await api.get('/.well-known/jwks.json')).body.keys[0];
    const header = b64url(JSON.stringify({ alg: 'HS256', kid: jwk.kid, typ: 'offer+jwt' }));
    for (const secret of [Buffer.from(jwk.x, 'base64url'), Buffer.from(JSON.stringify(jwk)), Buffer.from(jwk.x)]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await refused(`${header}.${payload}.${signature}`, 401, 'token_invalid');
    }
  });

  it('an unknown kid, or a known kid with a signature from another key', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const real = await issue();
    const claims = decodePart(real, 1) as OfferTokenClaims;
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const attacker = (kid: string): SigningKey => ({
      kid,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      jwk: { kty: 'OKP', crv: 'Ed25519', x: '', kid, alg: 'EdDSA', use: 'sig' },
      createdAt: START,
    });
    const unknown = await refused(
      await signOfferToken(attacker('key_attacker000000001'), claims),
      401,
      'token_invalid',
    );
    expect(unknown.detail).toMatch(/jwks/i);
    const forged = await refused(
      await signOfferToken(attacker(decodeProtectedHeader(real).kid!), claims),
      401,
      'token_invalid',
    );
    expect(forged.detail).toMatch(/signature/);
  });

  it('tampered claims keep the original signature and fail it', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const [header, , signature] = (await issue()).split('.');
    const claims = decodePart(await issue(), 1);
    for (const edit of [
      { qmax: 1000 },
      { price: { amount: 1, currency: 'USD' } },
      { exp: Number(claims.exp) + 86_400 },
      { sub: 'someone_else' },
    ]) {
      await refused(`${header}.${b64url(JSON.stringify({ ...claims, ...edit }))}.${signature}`, 401, 'token_invalid');
    }
  });

  it("another offer's token re-pointed at a different offer", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const first = await setup(ld);
    const second = await setup(ld, { sku: 'SNK-2' });
    const [header, , signature] = (await first.issue()).split('.');
    const claims = decodePart(await first.issue(), 1);
    await second.refused(
      `${header}.${b64url(JSON.stringify({ ...claims, oid: second.offer.id, sid: second.offer.sessionId, sku: 'SNK-2' }))}.${signature}`,
      401,
      'token_invalid',
    );
  });

  it("a token of another platform's offer", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { refused } = await setup(ld);
    const other = ld.server.engine.createTenant('Other Platform');
    const otherApi = apiAs(ld.url, other.secretKey);
    const otherOffer = await liveOffer(otherApi, other.creatorId);
    const token = (await otherApi.post(`/v1/offers/${otherOffer.id}/tokens`, { buyerId: 'buyer_1' })).body
      .token as string;
    const res = await refused(token, 401, 'token_invalid');
    expect(res.detail).not.toContain(otherOffer.id);
  });

  it('expired: accepted up to the clock tolerance, token_expired past it', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, issue, refused } = await setup(ld);
    const early = await issue({ ttlSeconds: 60 });
    const late = await issue({ ttlSeconds: 60 });
    const tolerance = ld.server.engine.config.tokenClockToleranceSeconds;
    clockOf(ld).advance((60 + tolerance - 1) * 1000);
    expect((await api.post('/v1/reservations', { offerToken: early, quantity: 1 })).status).toBe(201);
    clockOf(ld).advance(1000);
    const res = await refused(late, 401, 'token_expired');
    expect(res.detail).toMatch(/expired/);
  });

  it('not yet valid', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const claims = decodePart(await issue(), 1) as OfferTokenClaims;
    const key = await ld.server.engine.signing.of(ld.server.keys.tenantId).current();
    const now = START / 1000;
    const res = await refused(
      await signOfferToken(key, { ...claims, jti: 'future_token_0000000001', iat: now, nbf: now + 60, exp: now + 180 }),
      401,
      'token_invalid',
    );
    expect(res.detail).toMatch(/not yet valid/);
  });

  it('the wrong audience or issuer', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const claims = decodePart(await issue(), 1) as OfferTokenClaims;
    const key = await ld.server.engine.signing.of(ld.server.keys.tenantId).current();
    await refused(
      await signOfferToken(key, { ...claims, aud: 'livedrop:payments' } as unknown as OfferTokenClaims),
      401,
      'token_invalid',
    );
    await refused(
      await signOfferToken(key, { ...claims, aud: ['livedrop:reservations'] } as unknown as OfferTokenClaims),
      401,
      'token_invalid',
    );
    await refused(await signOfferToken(key, { ...claims, iss: 'https://evil.example' }), 401, 'token_invalid');
    await refused(
      await signOfferToken(key, { ...claims, admin: true } as unknown as OfferTokenClaims),
      401,
      'token_invalid',
    );
  });

  it('replayed: the second use is 409 token_replayed', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, issue, refused, stock } = await setup(ld);
    const token = await issue();
    expect((await api.post('/v1/reservations', { offerToken: token, quantity: 2 })).status).toBe(201);
    expect(await stock()).toMatchObject({ available: 8, reserved: 2 });
    await refused(token, 409, 'token_replayed');
  });

  it('replayed concurrently: exactly one of 25 parallel uses holds', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { api, issue, stock, eventCount } = await setup(ld);
    const token = await issue();
    const events = await eventCount();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => api.post('/v1/reservations', { offerToken: token, quantity: 3 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    // Each other use is refused as a replay, or (on a shared store, where the first hold commits
    // later) by the buyer's reservation bucket first: never a second hold.
    const refusals = results.filter((r) => r.status !== 201);
    expect(refusals).toHaveLength(24);
    for (const r of refusals)
      expect([`409 token_replayed`, `429 rate_limited`]).toContain(`${r.status} ${r.body.code}`);
    expect(refusals.some((r) => r.body.code === 'token_replayed')).toBe(true);
    expect(await stock()).toMatchObject({ total: 10, available: 7, reserved: 3 });
    expect(await eventCount()).toBe(events + 1);
  });

  it('a string over MAX_OFFER_TOKEN_LENGTH (a ~1 MB one too) is 400 naming offerToken, before any decoding', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const token = await issue();
    await refused('A'.repeat(MAX_OFFER_TOKEN_LENGTH + 1), 400, 'validation_failed');
    await refused('A'.repeat(1_000_000), 400, 'validation_failed');
    await refused(`${token}${'A'.repeat(1_000_000)}`, 400, 'validation_failed');
  });

  it('garbage and empty strings are 401 token_invalid', async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { issue, refused } = await setup(ld);
    const token = await issue();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const garbage = [
      '',
      'not-a-token',
      '..',
      'a.b.c',
      'a.b.c.d',
      `${token}.`,
      ` ${token}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.slice(0, -2)}`,
      `${header}..${signature}`,
      `${b64url('{')}.${payload}.${signature}`,
      `${b64url('null')}.${b64url('null')}.${signature}`,
      `${b64url('[]')}.${payload}.${signature}`,
      '👀.👀.👀',
      '\u0000',
      '%00.%00.%00',
      'x'.repeat(MAX_OFFER_TOKEN_LENGTH),
    ];
    for (const offerToken of garbage) await refused(offerToken, 401, 'token_invalid');
  });
});

describe('signing keys per tenant', () => {
  async function twoTenants(ld: StartedReferenceServer) {
    const first = await setup(ld);
    const other = ld.server.engine.createTenant('Other Platform');
    const otherApi = apiAs(ld.url, other.secretKey);
    const otherOffer = await liveOffer(otherApi, other.creatorId);
    const issueOther = async () =>
      (await otherApi.post(`/v1/offers/${otherOffer.id}/tokens`, { buyerId: 'buyer_9' })).body.token as string;
    return { first, other, otherApi, otherOffer, issueOther };
  }

  it("one tenant's rotations leave another tenant's outstanding tokens valid", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { first, otherApi, issueOther } = await twoTenants(ld);
    const outstanding = await issueOther();
    expect((await first.api.post('/v1/signing-keys/rotate')).status).toBe(200);
    expect((await first.api.post('/v1/signing-keys/rotate')).status).toBe(200);
    const held = await otherApi.post('/v1/reservations', { offerToken: outstanding, quantity: 1 });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
  });

  it("publishes each tenant's own keys, for the tenant of the key that asks (a publishable key too)", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { first, other, issueOther } = await twoTenants(ld);
    const kidOf = (token: string) => decodeProtectedHeader(token).kid;
    const mine = kidOf(await first.issue());
    const theirs = kidOf(await issueOther());
    expect(mine).not.toBe(theirs);
    const jwksOf = async (key: string) => {
      const res = await apiAs(ld.url, key).get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      // Chosen by the Authorization header: a shared cache must not hand one tenant's set to another.
      expect(res.headers.get('cache-control')).toBe('private, max-age=60');
      return (res.body as Jwks).keys.map((key) => key.kid);
    };
    expect(await jwksOf(ld.server.keys.publishableKey)).toEqual([mine]);
    expect(await jwksOf(other.publishableKey)).toEqual([theirs]);
    expect(await jwksOf(other.secretKey)).toEqual([theirs]);
    const keyless = await apiAs(ld.url, undefined).get('/.well-known/jwks.json');
    expect(keyless.status).toBe(401);
    expect(keyless.body.code).toBe('unauthenticated');
  });

  it("refuses a token signed with another tenant's key, even when it names this tenant's offer", async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(START) });
    const { first, other, issueOther } = await twoTenants(ld);
    const { engine } = ld.server;
    const claims = decodePart(await issueOther(), 1) as OfferTokenClaims;
    // The other tenant's real current key, signing claims that name this tenant's offer.
    const foreignKey = await engine.signing.of(other.tenantId).current();
    const forged = await signOfferToken(foreignKey, { ...claims, oid: first.offer.id, sid: first.offer.sessionId });
    const res = await first.refused(forged, 401, 'token_invalid');
    expect(res.detail).toMatch(/jwks/i);
  });
});
