import type { Offer, OfferCreate, SeedControl, Seller, Session } from '@livedrop/core';
import { isoTime } from './clock';
import type { Engine } from './engine';
import { ApiProblem } from './problem';

/** A fixture's name, as `POST /__control/seed` takes it. */
export type FixtureName = SeedControl['fixture'];

/** Requests built by fixtures never leave the process; the origin only has to be a valid URL. */
const FIXTURE_ORIGIN = 'http://fixtures.livedrop.internal';

/**
 * Sends one API call through the server's full pipeline with the default tenant's secret key, so
 * seeded objects are validated, stored and evented exactly as a client's calls would be.
 */
async function call<T>(engine: Engine, method: 'POST', path: string, body?: unknown): Promise<T> {
  const request = new Request(`${FIXTURE_ORIGIN}${path}`, {
    method,
    headers: { authorization: `Bearer ${engine.defaultTenant.secretKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await engine.dispatch(request);
  const text = await response.text();
  if (!response.ok) {
    throw new ApiProblem(
      'internal_error',
      `Seeding failed at ${method} ${path}: the server answered ${response.status} ${text}; this is a bug in the fixture — please report it.`,
    );
  }
  return JSON.parse(text) as T;
}

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** The two offers of the `basic` fixture; both pass the default moderation policy. */
function basicOffers(sellerId: string): OfferCreate[] {
  return [
    {
      sellerId,
      sku: 'NW-PARKA-01',
      title: 'Storm Parka',
      price: usd(12_900),
      compareAtPrice: usd(18_900),
      priceFloor: usd(9_900),
      quantity: 50,
      perBuyerLimit: 2,
    },
    {
      sellerId,
      sku: 'NW-BEANIE-02',
      title: 'Merino Beanie',
      price: usd(2_400),
      quantity: 200,
      reservationTtlSeconds: 300,
    },
  ];
}

/** What the `basic` fixture made. */
interface BasicFixture {
  readonly seller: Seller;
  readonly session: Session;
  readonly offers: readonly Offer[];
}

/**
 * `basic`: a verified seller, an entitlement letting the default tenant's house creator sell its
 * products, and a session scheduled an hour from now with two draft offers.
 */
async function seedBasic(engine: Engine, fixture: FixtureName): Promise<BasicFixture> {
  const { creatorId } = engine.defaultTenant;
  const seller = await call<Seller>(engine, 'POST', '/v1/sellers', {
    name: 'Northwind Outfitters',
    trust: { verified: true, completedOrders: 1_280, disputeRate: 0.004 },
  });
  await call(engine, 'POST', `/v1/creators/${creatorId}/entitlements`, {
    sellerId: seller.id,
    commissionBps: 1_500,
    contentRights: ['live_stream', 'replay'],
  });
  const session = await call<Session>(engine, 'POST', '/v1/sessions', {
    creatorId,
    title: 'Winter Gear Drop',
    scheduledStartAt: isoTime(engine.clock.now() + 60 * 60 * 1000),
    metadata: { fixture },
  });
  const offers: Offer[] = [];
  for (const offer of basicOffers(seller.id))
    offers.push(await call<Offer>(engine, 'POST', `/v1/sessions/${session.id}/offers`, offer));
  return { seller, session, offers };
}

/** `live-drop`: `basic`, then the session started and both offers published. */
async function seedLiveDrop(engine: Engine): Promise<void> {
  const { session, offers } = await seedBasic(engine, 'live-drop');
  await call(engine, 'POST', `/v1/sessions/${session.id}/start`);
  for (const offer of offers) await call(engine, 'POST', `/v1/offers/${offer.id}/publish`);
}

/**
 * Resets the engine (the default tenant keeps its keys) and loads `fixture`. Faults in force are
 * suspended while seeding, so a fixture never half-loads because of an injected 503, and are put
 * back afterwards. If a step fails, the engine is reset again rather than left half-seeded.
 */
export async function loadFixture(engine: Engine, fixture: FixtureName): Promise<void> {
  const faults = engine.faults;
  await engine.reset();
  try {
    if (fixture === 'basic') await seedBasic(engine, fixture);
    else if (fixture === 'live-drop') await seedLiveDrop(engine);
  } catch (error) {
    await engine.reset();
    throw error;
  } finally {
    await engine.setFaults(faults);
  }
}
