import type { RouteHeaderName } from '../contract/route';
import type { OperationId } from '../contract/routes';
import type { SharedHeaderName } from './components';

/** Human-readable documentation of one route, for the OpenAPI document. */
export interface RouteDoc {
  readonly tag: string;
  readonly summary: string;
  /** Longer prose, put before the operation's auth note in its OpenAPI `description`. */
  readonly description?: string;
  /** What each success status means. */
  readonly responses: Readonly<Record<number, string>>;
  /** Shared response headers its success responses may carry besides the ones every route's do. */
  readonly headers?: readonly SharedHeaderName[];
}

/** The docs of every route; a route without docs is a type error. */
export const ROUTE_DOCS: Readonly<Record<OperationId, RouteDoc>> = {
  createSeller: { tag: 'Parties', summary: 'Create a seller', responses: { 201: 'The seller.' } },
  getSeller: { tag: 'Parties', summary: 'Read a seller and its trust signals', responses: { 200: 'The seller.' } },
  createCreator: { tag: 'Parties', summary: 'Create a creator', responses: { 201: 'The creator.' } },
  getCreator: { tag: 'Parties', summary: 'Read a creator', responses: { 200: 'The creator.' } },
  createEntitlement: {
    tag: 'Parties',
    summary: "Let a creator sell a seller's products",
    responses: { 201: 'The entitlement.' },
  },
  listEntitlements: {
    tag: 'Parties',
    summary: "List a creator's entitlements",
    responses: { 200: 'A page of entitlements.' },
  },
  createSession: {
    tag: 'Sessions',
    summary: 'Schedule a live session',
    responses: { 201: 'The session, `scheduled`.' },
  },
  listSessions: { tag: 'Sessions', summary: 'List sessions', responses: { 200: 'A page of sessions, newest first.' } },
  getSession: {
    tag: 'Sessions',
    summary: 'Hydrate a session: offers with live stock, badges and trust signals in one response',
    responses: {
      200: 'The hydrated view, with an `ETag`: `PublicSessionView` (public fields only, `Cache-Control: public`) for a publishable key, `SessionView` for the others.',
      304: 'Not modified since the `If-None-Match` ETag.',
    },
  },
  updateSession: { tag: 'Sessions', summary: 'Change a session', responses: { 200: 'The session.' } },
  startSession: { tag: 'Sessions', summary: 'Go live', responses: { 200: 'The session, `live`.' } },
  endSession: {
    tag: 'Sessions',
    summary: 'End the session and its offers',
    responses: { 200: 'The session, `ended`.' },
  },
  createOffer: {
    tag: 'Offers',
    summary: 'Add an offer to a session (moderated)',
    responses: {
      201: "The offer: `draft`, `pending_review` or `rejected` by moderation. Money terms are the platform's: `split` and `priceFloor` are refused from a creator key (403 `forbidden`, naming the field); without them the fee is the platform's configured fee, the creator's commission and the floor the entitlement's. A platform `split` keeps each share within 0..10000 bps and both together at most 10000 bps.",
    },
  },
  getOffer: { tag: 'Offers', summary: 'Read an offer with live stock', responses: { 200: 'The offer.' } },
  updateOffer: {
    tag: 'Offers',
    summary: 'Change content, price, stock or (platform key) money terms',
    responses: {
      200: "The offer. A change of title, price or compare-at price is moderated again: an escalated edit puts the offer in `pending_review` (off sale; a moderator's approval returns it `paused` if it had been published, else `draft`); a rejected one is refused with 422 `moderation_rejected` and changes nothing. `split` and `priceFloor` are refused from a creator key (403 `forbidden`).",
    },
  },
  publishOffer: { tag: 'Offers', summary: 'Put an offer live', responses: { 200: 'The offer, `live`.' } },
  pauseOffer: { tag: 'Offers', summary: 'Pause new reservations', responses: { 200: 'The offer, `paused`.' } },
  endOffer: {
    tag: 'Offers',
    summary: 'End an offer (holds keep their TTL)',
    responses: { 200: 'The offer, `ended`.' },
  },
  reviewOffer: {
    tag: 'Offers',
    summary: 'Approve or reject an offer held for review',
    responses: { 200: 'The offer: `draft` or `rejected`.' },
  },
  issueOfferToken: {
    tag: 'Tokens',
    summary: 'Issue a single-use offer token for one buyer',
    responses: {
      201: 'The signed token. The secret key names the buyer (`buyerId`, required). A publishable key names none (403 `buyer_id_not_allowed`): the token is for the buyer its `LiveDrop-Buyer-Session` asserts, and without a usable one it answers 401 `buyer_session_required`, `buyer_session_invalid` or `buyer_session_expired`. Per-buyer limits and the velocity check count that buyer.',
    },
  },
  createBuyerSession: {
    tag: 'Tokens',
    summary: 'Assert the signed-in buyer behind a browser (a short-lived buyer session)',
    responses: {
      201: "The buyer session. `credential` (`bs_test_…`) is shown only here (the server keeps its SHA-256): hand it to the buyer's page, which sends it as `LiveDrop-Buyer-Session` beside the publishable key to issue offer tokens and reserve for that buyer only. `ttlSeconds` is 60 to 86400 (24 h), default 900 (15 min). Secret key only; a session works only with its own tenant's keys.",
    },
  },
  getJwks: {
    tag: 'Tokens',
    summary: "Public keys that verify the key's tenant's offer tokens (current and previous)",
    responses: {
      200: "The JWKS of the tenant of the key sent (any role; a publishable key is enough). Each tenant signs with keys of its own, so another tenant's tokens do not verify against it. `Cache-Control: private`: the answer depends on `Authorization`.",
    },
  },
  rotateSigningKey: {
    tag: 'Tokens',
    summary: "Rotate the tenant's token signing key; the previous key keeps verifying",
    responses: { 200: 'The rotation.' },
  },
  createReservation: {
    tag: 'Reservations',
    summary: 'Hold units with an offer token',
    responses: {
      201: "The reservation: `held`, or `backordered` with a queue position. The buyer is the offer token's (issued by the secret key or for a buyer session); a publishable key that sends `LiveDrop-Buyer-Session` may reserve only with a token of that session's buyer (401 `token_invalid` otherwise).",
    },
  },
  listReservations: {
    tag: 'Reservations',
    summary: "List the tenant's reservations, by offer, session, buyer or status (secret key)",
    responses: { 200: 'A page of reservations, newest first, without client secrets.' },
  },
  getReservation: {
    tag: 'Reservations',
    summary: 'Read a reservation (publishable keys need its client secret)',
    responses: { 200: 'The reservation.' },
  },
  releaseReservation: {
    tag: 'Reservations',
    summary: 'Give the units back (exactly once)',
    responses: { 200: 'The reservation, `released`.' },
  },
  captureReservation: {
    tag: 'Reservations',
    summary: 'Turn a hold into an order after taking payment',
    responses: { 201: 'The order.' },
  },
  confirmReservation: {
    tag: 'Reservations',
    summary: 'Pay for a hold with a test payment method',
    responses: { 201: 'The order.' },
  },
  getOrder: {
    tag: 'Orders',
    summary: 'Read an order with its split, transfers and refunds',
    responses: { 200: 'The order.' },
  },
  createRefund: {
    tag: 'Orders',
    summary: 'Refund all or part of an order; transfers are reversed proportionally',
    responses: { 201: 'The refund.' },
  },
  listTransfers: {
    tag: 'Orders',
    summary: 'List transfers by order or destination',
    responses: { 200: 'A page of transfers.' },
  },
  listEvents: { tag: 'Events', summary: 'Replay the event log from a cursor', responses: { 200: 'A page of events.' } },
  verifyAudit: {
    tag: 'Events',
    summary: "Walk the log's SHA-256 hash chain",
    responses: { 200: 'Whether the chain is intact.' },
  },
  exportEvents: {
    tag: 'Events',
    summary: 'Stream the log as NDJSON CloudEvents',
    responses: { 200: 'One CloudEvent per line.' },
  },
  streamEvents: {
    tag: 'Realtime',
    summary: 'Every event, live (Server-Sent Events)',
    responses: { 200: 'A `text/event-stream` of events; `id:` is the event `seq`.' },
  },
  getSessionListing: {
    tag: 'Listings',
    summary:
      'A session as schema.org Event JSON-LD, with offers and availability from live stock (public data, edge-cacheable)',
    responses: {
      200: 'The `Event` (`application/ld+json`), with a strong `ETag`.',
      304: 'Not modified since the `If-None-Match` ETag.',
    },
  },
  listListings: {
    tag: 'Listings',
    summary: 'A feed of sessions as a schema.org ItemList of Events, newest first (public data, edge-cacheable)',
    responses: {
      200: 'A page of the feed (`application/ld+json`); `Link: <…>; rel="next"` names the next page.',
      304: 'Not modified since the `If-None-Match` ETag.',
    },
    headers: ['Link'],
  },
  streamSession: {
    tag: 'Realtime',
    summary: "A session's public projection, live (Server-Sent Events)",
    responses: {
      200: 'A `text/event-stream`; `id:` is the log `seq`, `event:` one of offer.published, offer.updated, offer.paused, offer.sold_out, offer.ended, stock, session.started, session.ended; `data:` a PublicOfferMessage, PublicStockMessage or PublicSessionMessage.',
    },
  },
  createWebhookEndpoint: {
    tag: 'Webhooks',
    summary: 'Register a webhook endpoint',
    responses: { 201: 'The endpoint with its `whsec_` secret.' },
  },
  listWebhookEndpoints: {
    tag: 'Webhooks',
    summary: 'List webhook endpoints',
    responses: { 200: 'A page of endpoints, oldest first.' },
  },
  getWebhookEndpoint: {
    tag: 'Webhooks',
    summary: 'Read a webhook endpoint: its status and consecutive failures',
    responses: { 200: 'The endpoint (without its secret).' },
  },
  deleteWebhookEndpoint: {
    tag: 'Webhooks',
    summary: 'Remove a webhook endpoint',
    responses: { 200: 'The removed endpoint.' },
  },
  listWebhookDeliveries: {
    tag: 'Webhooks',
    summary: "List an endpoint's deliveries",
    responses: { 200: 'A page of deliveries.' },
  },
  replayWebhookEndpoint: {
    tag: 'Webhooks',
    summary: 'Redeliver matching events after a cursor',
    responses: { 200: 'The endpoint.' },
  },
  rotateWebhookSecret: {
    tag: 'Webhooks',
    summary: 'Rotate the signing secret; both sign during the overlap',
    responses: { 200: 'The endpoint with its new secret.' },
  },
  getCreatorDashboard: {
    tag: 'Dashboards',
    summary: "A creator's conversions, GMV and earnings",
    responses: { 200: 'The dashboard.' },
  },
  getOpenApi: {
    tag: 'Meta',
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: 'The OpenAPI document.' },
  },
  controlReset: {
    tag: 'Control',
    summary: 'Reference server: forget everything, keep the keys (and the clock, unless restoreClock)',
    responses: { 200: 'The state after the reset.' },
  },
  controlClock: {
    tag: 'Control',
    summary: 'Reference server: advance or set the clock (expiries fire)',
    responses: { 200: 'The new time.' },
  },
  controlFaults: {
    tag: 'Control',
    summary: 'Reference server: inject latency, errors and dropped streams',
    responses: { 200: 'The state with the faults in force.' },
  },
  controlSeed: {
    tag: 'Control',
    summary: 'Reference server: reset, then load a built-in fixture or your own definition',
    responses: { 200: 'The state after seeding and the ids made, by your names.' },
  },
  controlCreateWorkspace: {
    tag: 'Control',
    summary: 'Reference server: an isolated workspace (own keys, clock, faults, journal, reset) for a parallel suite',
    responses: { 201: 'The workspace with its keys and control key.' },
  },
  controlListWorkspaces: {
    tag: 'Control',
    summary: 'Reference server: the workspaces',
    responses: { 200: 'Every workspace, oldest first.' },
  },
  controlDeleteWorkspace: {
    tag: 'Control',
    summary: 'Reference server: drop a workspace and everything in it',
    responses: { 200: 'The workspace dropped; its keys answer 401 from now on.' },
  },
  controlState: { tag: 'Control', summary: 'Reference server: what it holds', responses: { 200: 'The state.' } },
  controlListRequests: {
    tag: 'Control',
    summary: 'Reference server: the requests it answered (the journal), oldest first',
    description:
      'Every request the server answered but control calls — refused, faulted and replayed ones too — in a bounded ring (`journal: { size }`, 1000 by default). Filters: `method`; `path`, exact or a pattern where `*` is one segment and a trailing `**` the rest (as in fault rules); `operation`; `status`, exact (`201`) or a class (`4xx`); `code`; `since`, a journal `seq` or a time by the server clock. Secrets are never kept: `Authorization`, `LiveDrop-Buyer-Session` and a `clientSecret` read `"[redacted]"`, bodies only as a SHA-256 digest and a size.',
    responses: { 200: 'Matching entries, oldest first; `nextSince` pages on.' },
  },
  controlVerifyRequests: {
    tag: 'Control',
    summary: 'Reference server: check how many journaled requests match',
    description:
      'Counts the journal entries matching `match` against `count` (a number, or `{atLeast, atMost}`; default at least one). Always a 200 when the body is valid: `ok: false` is the result of a verification, not a refused request. When the count is wrong, `message` says what was expected and found and `nearMisses` names, for the entries that came closest, each criterion they failed.',
    responses: { 200: 'The verification: `ok`, `matched`, `expected`, `message`, `matches`, `nearMisses`.' },
  },
};

/** What each request header a route reads means; a header without docs is a type error. */
export const HEADER_DOCS: Readonly<Record<RouteHeaderName, string>> = {
  'If-Match':
    'The version being changed (RFC 9110 §13.1.1, strong comparison): the `ETag` of a `GET` of the object, its `version` as `"3"` (or bare `3`), or `*`; a list matches if one tag does. A stale or weak (`W/`) tag answers 412 `version_conflict`; a value that is not an entity tag, 400 `validation_failed`.',
  'If-None-Match': 'An ETag from an earlier read; answers 304 when nothing changed.',
  'LiveDrop-Buyer-Session':
    'A buyer session credential (`POST /v1/buyer-sessions`), sent with a publishable key: the buyer the platform asserted. Needed to issue offer tokens; checked against the offer token when reserving. The secret key names `buyerId` instead and does not send it.',
  'Last-Event-ID': 'Resume after this `seq` with no gap and no duplicate (or `?lastEventId=`).',
  'LiveDrop-Client-Secret':
    "The reservation's `clientSecret`, needed with a publishable key (or `?clientSecret=`; the header keeps it out of URLs and logs).",
};
