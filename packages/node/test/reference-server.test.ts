import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock, type ManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { describe, expect, it } from 'vitest';
import {
  TokenVerificationError,
  createClient,
  createOfferTokenVerifier,
  verifyOfferToken,
  webhookMiddleware,
  type Jwks,
  type LiveDropClient,
  type LiveDropEvent,
  type WebhookMiddleware,
} from '@livedrop/node';

const START = Date.parse('2026-11-25T18:00:00.000Z');
/** The `iss` of every token the reference server signs. */
const REFERENCE_ISSUER = '/livedrop/reference';

async function liveOffer(ld: LiveDropClient, creatorId: string) {
  const seller = await ld.sellers.create({ name: 'Northwind Outfitters' });
  await ld.creators.entitlements.create(creatorId, {
    sellerId: seller.id,
    commissionBps: 1500,
    contentRights: ['live_stream'],
  });
  const session = await ld.sessions.create({
    creatorId,
    title: 'Winter drop',
    scheduledStartAt: new Date(START + 3_600_000).toISOString(),
  });
  await ld.sessions.start(session.id);
  const offer = await ld.offers.create(session.id, {
    sellerId: seller.id,
    sku: 'PARKA-1',
    title: 'Storm Parka',
    price: { amount: 12_900, currency: 'USD' },
    quantity: 10,
    perBuyerLimit: 3,
  });
  return ld.offers.publish(offer.id);
}

async function jwksOf(running: StartedReferenceServer): Promise<Jwks> {
  const response = await fetch(`${running.url}/.well-known/jwks.json`, {
    headers: { authorization: `Bearer ${running.server.keys.publishableKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Jwks;
}

async function setup() {
  const clock: ManualClock = createManualClock(START);
  const running = await startReferenceServer({ clock, port: 0, webhooks: { allowPrivateNetworks: true } });
  const ld = createClient({ apiKey: running.server.keys.secretKey, baseUrl: running.url });
  const offer = await liveOffer(ld, running.server.keys.creatorId);
  return { running, clock, ld, offer, [Symbol.asyncDispose]: () => running.close() };
}

describe('offer tokens issued by the reference server', () => {
  it('verify with the node:crypto verifier against its JWKS, with the same claims core’s jose path returns', async () => {
    await using ctx = await setup();
    const { token } = await ctx.ld.offers.issueToken(ctx.offer.id, {
      buyerId: 'buyer_7',
      quantityMax: 2,
      attribution: { campaign: 'winter' },
    });
    const jwks = await jwksOf(ctx.running);
    const verifier = createOfferTokenVerifier({ jwks, issuer: REFERENCE_ISSUER, now: ctx.clock.now });

    const claims = verifier.verify(token);
    expect(claims).toMatchObject({
      iss: REFERENCE_ISSUER,
      aud: 'livedrop:reservations',
      sub: 'buyer_7',
      oid: ctx.offer.id,
      sid: ctx.offer.sessionId,
      sku: 'PARKA-1',
      price: { amount: 12_900, currency: 'USD' },
      qmax: 2,
      att: { campaign: 'winter' },
    });
    expect(claims).toEqual(await verifyOfferToken(token, { jwks, issuer: REFERENCE_ISSUER, now: ctx.clock.now() }));

    // The server's verdict agrees: the token holds stock.
    const reservation = await ctx.ld.reservations.create({ offerToken: token, quantity: 1 });
    expect(reservation.status).toBe('held');
  });

  it('expire on the server’s clock, with the same code on both paths', async () => {
    await using ctx = await setup();
    const { token } = await ctx.ld.offers.issueToken(ctx.offer.id, { buyerId: 'buyer_7', ttlSeconds: 60 });
    const jwks = await jwksOf(ctx.running);
    const verifier = createOfferTokenVerifier({ jwks, now: ctx.clock.now });
    expect(verifier.verify(token).sub).toBe('buyer_7');
    ctx.clock.advance(66_000);
    expect(() => verifier.verify(token)).toThrow(
      expect.objectContaining({ name: 'TokenVerificationError', code: 'token_expired' }),
    );
    await expect(verifyOfferToken(token, { jwks, now: ctx.clock.now() })).rejects.toMatchObject({
      code: 'token_expired',
    });
  });

  it('keep verifying after a key rotation with the new JWKS; a verifier built before it refuses the new kid', async () => {
    await using ctx = await setup();
    const before = (await ctx.ld.offers.issueToken(ctx.offer.id, { buyerId: 'buyer_7' })).token;
    const stale = createOfferTokenVerifier({ jwks: await jwksOf(ctx.running), now: ctx.clock.now });
    await ctx.ld.signingKeys.rotate();
    const after = (await ctx.ld.offers.issueToken(ctx.offer.id, { buyerId: 'buyer_8' })).token;

    const jwks = await jwksOf(ctx.running);
    expect(jwks.keys).toHaveLength(2);
    const fresh = createOfferTokenVerifier({ jwks, now: ctx.clock.now });
    expect(fresh.verify(before).sub).toBe('buyer_7');
    expect(fresh.verify(after).sub).toBe('buyer_8');
    expect(() => stale.verify(after)).toThrow(TokenVerificationError);
    expect(() => stale.verify(after)).toThrow(/not in the JWKS/);
  });
});

describe('webhook deliveries from the reference server', () => {
  it('verify in webhookMiddleware on node:http', async () => {
    await using ctx = await setup();
    const received: LiveDropEvent[] = [];
    // The secret exists only once the endpoint does, and the endpoint needs the port first.
    let middleware: WebhookMiddleware | undefined;
    const server = createServer((req, res) => (middleware ? middleware(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as AddressInfo;
      const endpoint = await ctx.ld.webhookEndpoints.create({
        url: `http://127.0.0.1:${address.port}/hooks`,
        eventTypes: ['livedrop.signing_key.rotated'],
      });
      middleware = webhookMiddleware({ secret: endpoint.secret!, onEvent: (event) => void received.push(event) });
      await ctx.ld.signingKeys.rotate();
      await expect
        .poll(() => received.map((event) => event.type), { timeout: 10_000 })
        .toEqual(['livedrop.signing_key.rotated']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
