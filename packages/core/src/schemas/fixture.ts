import * as z from 'zod/mini';
import { BuyerId, Timestamp } from './common';
import { named } from './named';
import { OfferCreate } from './offer';
import { CreatorCreate, EntitlementCreate, SellerCreate } from './party';
import { SessionCreate } from './session';
import { WebhookEndpointCreate } from './webhook';

/**
 * Your name for an object of a fixture (`northwind`, `winter-drop`), by which other entries refer
 * to it and under which its id is answered.
 */
export const FixtureName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
      'must be a name of 1 to 64 letters, digits, _ or -, starting with a letter',
    ),
  );

/** At most this many objects of each kind in one fixture. */
export const MAX_FIXTURE_ENTRIES = 500;

/** A map from your names to the objects of one kind, at most {@link MAX_FIXTURE_ENTRIES}. */
function byName<T extends z.ZodMiniType>(entry: T) {
  return z.optional(
    z
      .record(FixtureName, entry)
      .check(
        z.refine(
          (value) => Object.keys(value).length <= MAX_FIXTURE_ENTRIES,
          `may hold at most ${MAX_FIXTURE_ENTRIES} entries`,
        ),
      ),
  );
}

/** An entitlement of a fixture: the seller and creator by your names. */
export const FixtureEntitlement = z.extend(z.omit(EntitlementCreate, { sellerId: true }), {
  /** The creator, by its name in `creators`, or `house` for the tenant's own creator. */
  creator: FixtureName,
  /** The seller, by its name in `sellers`. */
  seller: FixtureName,
});

/** A session of a fixture: `POST /v1/sessions` with the creator by name, optionally started. */
export const FixtureSession = z.extend(z.omit(SessionCreate, { creatorId: true, scheduledStartAt: true }), {
  /** The creator, by its name in `creators`, or `house` for the tenant's own creator. */
  creator: FixtureName,
  /** @default an hour after the server's clock at load */
  scheduledStartAt: z.optional(Timestamp),
  /** Start the session once it is made. @default false */
  live: z.optional(z.boolean()),
});

/** An offer of a fixture: `POST /v1/sessions/{id}/offers` with session and seller by name, optionally published. */
export const FixtureOffer = z.extend(z.omit(OfferCreate, { sellerId: true }), {
  /** The session, by its name in `sessions`. */
  session: FixtureName,
  /** The seller, by its name in `sellers`. */
  seller: FixtureName,
  /** Publish the offer once it is made (its session must be `live`). @default false */
  live: z.optional(z.boolean()),
});

/**
 * A reservation of a fixture, made as a buyer would make it (an offer token, then a reservation)
 * in the order the fixture lists them. `status` is what it must come out as: `backordered` sends
 * the buyer's consent and needs the offer's stock taken by the entries before it; `captured` also
 * confirms it with the test card `pm_test_ok`.
 */
export const FixtureReservation = z.strictObject({
  /** The offer, by its name in `offers` (it must be `live`). */
  offer: FixtureName,
  /** The buyer, as your platform names them. */
  buyerId: BuyerId,
  /** @default 1 */
  quantity: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  /** @default "held" */
  status: z.optional(z.enum(['held', 'backordered', 'captured'])),
});

/**
 * A declarative description of a reference server's state: sellers, creators, entitlements,
 * sessions, offers with their stock and holds, and webhook endpoints, each under a name of yours.
 * Loading it (`POST /__control/seed {definition}`, `livedrop-mock --seed FILE` or `loadFixture`)
 * resets the server and creates every entry through the API, so each is validated exactly as a
 * client's request would be; the answer maps your names to the ids made. Objects refer to each
 * other by name; `house` names the tenant's own creator (the printed creator key's).
 */
export const FixtureDefinition = named(
  z.strictObject({
    /** What the fixture sets up, for whoever reads it next. */
    description: z.optional(z.string().check(z.maxLength(1000))),
    sellers: byName(SellerCreate),
    creators: byName(CreatorCreate),
    entitlements: byName(FixtureEntitlement),
    sessions: byName(FixtureSession),
    offers: byName(FixtureOffer),
    reservations: byName(FixtureReservation),
    webhookEndpoints: byName(WebhookEndpointCreate),
  }),
  'FixtureDefinition',
);
/** A fixture; see {@link FixtureDefinition}. */
export type FixtureDefinition = z.infer<typeof FixtureDefinition>;

/** The fixtures the reference server carries, by name. `empty` is a reset. */
export const BuiltInFixture = z.enum(['empty', 'basic', 'live-drop']);
/** A built-in fixture's name; see {@link BuiltInFixture}. */
export type BuiltInFixture = z.infer<typeof BuiltInFixture>;

const IdsByName = z.record(FixtureName, z.string());

/**
 * What loading a fixture made: for each kind, your names mapped to the ids. Reservations also
 * carry their client secrets (a buyer's browser needs one to confirm or release), webhook
 * endpoints their signing secrets.
 */
export const FixtureIds = z.strictObject({
  sellers: IdsByName,
  creators: IdsByName,
  entitlements: IdsByName,
  sessions: IdsByName,
  offers: IdsByName,
  reservations: IdsByName,
  clientSecrets: IdsByName,
  webhookEndpoints: IdsByName,
  webhookSecrets: IdsByName,
});
/** Your names mapped to the ids a fixture made; see {@link FixtureIds}. */
export type FixtureIds = z.infer<typeof FixtureIds>;
