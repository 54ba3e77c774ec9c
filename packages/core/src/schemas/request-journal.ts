import * as z from 'zod/mini';
import { API_KEY_ROLES } from '../contract/route';
import { Count, Timestamp } from './common';
import { named } from './named';

/** What the journal writes in place of a secret it saw (an `Authorization` value, a `clientSecret`). */
export const REDACTED = '[redacted]';

const HTTP_METHOD_PATTERN = /^[A-Za-z]{1,16}$/;
const STATUS_PATTERN = /^[1-5](\d\d|xx)$/;
const SEQ_PATTERN = /^\d{1,15}$/;
const ISO_UTC_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const Method = z.string().check(z.regex(HTTP_METHOD_PATTERN, 'must be an HTTP method such as POST'));
/** An exact path (`/v1/reservations`) or a pattern: `*` is one segment, a trailing `**` the rest (as in fault rules). */
const PathPattern = z
  .string()
  .check(z.minLength(1), z.maxLength(2000), z.regex(/^\//, 'must start with "/" (e.g. /v1/offers/*/publish)'));
const StatusText = z.string().check(z.regex(STATUS_PATTERN, 'must be a status such as 201 or a class such as 4xx'));
const Operation = z
  .string()
  .check(z.maxLength(100), z.regex(/^[A-Za-z]+$/, 'must be an operation id such as createReservation'));
const ProblemCode = z.string().check(z.maxLength(100), z.regex(/^[a-z_]+$/, 'must be a problem code such as sold_out'));
const Role = z.enum(API_KEY_ROLES);
const Sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest (64 characters)'));

/**
 * Query of `GET /__control/requests`: which journal entries to list. Every filter is optional;
 * `since` is a journal `seq` (entries after it) or an RFC 3339 UTC time (entries at or after it, by
 * the server's clock).
 */
export const RequestJournalQuery = z.strictObject({
  /** HTTP method, any case. */
  method: z.optional(Method),
  /** Exact path, or a pattern: `*` is one segment, a trailing `**` the rest. */
  path: z.optional(PathPattern),
  /** Operation id of the route (e.g. `createReservation`). */
  operation: z.optional(Operation),
  /** Exact status (`201`) or a class (`4xx`). */
  status: z.optional(StatusText),
  /** Problem `code` of a refusal (e.g. `sold_out`). */
  code: z.optional(ProblemCode),
  /** Entries after this journal `seq`, or at or after this time (RFC 3339 UTC, server clock). */
  since: z.optional(
    z
      .string()
      .check(
        z.refine(
          (v) => SEQ_PATTERN.test(v) || ISO_UTC_PATTERN.test(v),
          'must be a journal seq (an integer) or an RFC 3339 UTC time such as 2026-11-25T18:00:00Z',
        ),
      ),
  ),
  /** Page size: the first `limit` matching entries after `since`. @default 100 */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
});
/** Query of `GET /__control/requests`; see {@link RequestJournalQuery}. */
export type RequestJournalQuery = z.infer<typeof RequestJournalQuery>;

/**
 * One request the reference server answered, as its journal keeps it. Secrets are never kept:
 * `Authorization` and `LiveDrop-Buyer-Session` read `"[redacted]"` when they were sent, a
 * `clientSecret` in the query too, and bodies are kept only as their SHA-256 digest and size.
 */
export const RequestJournalEntry = named(
  z.strictObject({
    object: z.literal('journal_entry'),
    /** Position in the journal: 1, 2, 3… since the last reset; gap-free. */
    seq: z.int().check(z.minimum(1)),
    /** The `Request-Id` the response carried. */
    requestId: z.string(),
    /** When the request arrived, by the server's clock (the one `/__control/clock` moves). */
    time: Timestamp,
    method: z.string(),
    path: z.string(),
    /** Query parameters, secrets redacted. */
    query: z.record(z.string(), z.string()),
    /** Operation id of the route matched; null when none matched (404, 405) or for a preflight. */
    operation: z.nullable(z.string()),
    /**
     * The request headers the journal keeps (lower-case names): `content-type`, `idempotency-key`,
     * `if-match`, `if-none-match`, `last-event-id`; `authorization` and `livedrop-buyer-session`
     * as `"[redacted]"`. Absent headers are left out.
     */
    headers: z.record(z.string(), z.string()),
    /** The body the server read: its size in bytes and SHA-256 (hex); null when none was read. */
    body: z.nullable(z.strictObject({ size: Count, sha256: z.string() })),
    /** The status answered; 0 when an injected fault broke the connection instead. */
    status: z.int(),
    /** The problem `code` of a refusal; null for a success. */
    code: z.nullable(z.string()),
    /** The role of the API key that called (never the key); null when none was recognised. */
    role: z.nullable(Role),
    /** True when the answer was a stored response replayed for its `Idempotency-Key`. */
    replayed: z.boolean(),
    /** True when an injected fault (latency, an error status or a broken connection) hit this request. */
    faulted: z.boolean(),
    /**
     * The fault injected: the latency waited, the phase of an injected failure (`before` the
     * change, or `after` it committed), and a broken connection (`reset` or `hang`: `status` is
     * then 0, no response was sent); null when none.
     */
    fault: z.nullable(
      z.strictObject({
        latencyMs: Count,
        error: z.nullable(z.enum(['before', 'after'])),
        connection: z.nullable(z.enum(['reset', 'hang'])),
      }),
    ),
    /**
     * Milliseconds from arrival to the response's head, by wall time (a monotonic timer): a manual
     * server clock stands still during a request, and injected latency is slept in real time.
     */
    durationMs: z.number().check(z.minimum(0)),
  }),
  'RequestJournalEntry',
);
/** A journaled request; see {@link RequestJournalEntry}. */
export type RequestJournalEntry = z.infer<typeof RequestJournalEntry>;

/** Answer of `GET /__control/requests`: matching entries, oldest first (newest last). */
export const RequestJournalPage = named(
  z.strictObject({
    object: z.literal('request_journal'),
    data: z.array(RequestJournalEntry),
    /** True when more entries match after the last one answered: ask again with `since=nextSince`. */
    hasMore: z.boolean(),
    /** The `seq` to pass as `since` for the next page (the last entry's, or `since` when none). */
    nextSince: Count,
    /** The journal's bound: it keeps the newest `size` entries. */
    size: Count,
    /** Entries the bound pushed out since the last reset. */
    evicted: Count,
  }),
  'RequestJournalPage',
);
/** A page of the request journal; see {@link RequestJournalPage}. */
export type RequestJournalPage = z.infer<typeof RequestJournalPage>;

/**
 * What a journaled request must look like to count, in `POST /__control/requests/verify`: every
 * field given must hold (the fields of {@link RequestJournalQuery}, typed, plus headers, query
 * parameters, the body's digest, the role and the replay and fault flags).
 */
export const RequestMatch = z.strictObject({
  method: z.optional(Method),
  path: z.optional(PathPattern),
  operation: z.optional(Operation),
  /** Exact status (`201`) or a class (`"4xx"`). */
  status: z.optional(z.union([z.int().check(z.minimum(100), z.maximum(599)), StatusText])),
  code: z.optional(ProblemCode),
  role: z.optional(Role),
  replayed: z.optional(z.boolean()),
  faulted: z.optional(z.boolean()),
  /** Header values that must be equal (names in any case; `"[redacted]"` matches a secret that was sent). */
  headers: z.optional(
    z
      .record(z.string().check(z.minLength(1), z.maxLength(100)), z.string().check(z.maxLength(2000)))
      .check(z.refine((v) => Object.keys(v).length <= 20, 'may hold at most 20 headers')),
  ),
  /** Query parameters that must be equal. */
  query: z.optional(
    z
      .record(z.string().check(z.minLength(1), z.maxLength(100)), z.string().check(z.maxLength(2000)))
      .check(z.refine((v) => Object.keys(v).length <= 20, 'may hold at most 20 parameters')),
  ),
  /** SHA-256 (hex) of the exact body bytes sent. */
  bodySha256: z.optional(Sha256Hex),
  /** Only entries after this journal `seq`, or at or after this time (server clock). */
  since: z.optional(z.union([z.int().check(z.minimum(0)), Timestamp])),
});
/** A request matcher; see {@link RequestMatch}. */
export type RequestMatch = z.infer<typeof RequestMatch>;

/** How many matching requests are expected: exactly `n`, or a range (`atMost` absent: no upper bound). */
export const RequestCount = z.union([
  z.int().check(z.minimum(0)),
  z
    .strictObject({
      atLeast: z.optional(z.int().check(z.minimum(0))),
      atMost: z.optional(z.int().check(z.minimum(0))),
    })
    .check(
      z.refine((v) => v.atLeast !== undefined || v.atMost !== undefined, 'send atLeast, atMost or both'),
      z.refine(
        (v) => v.atLeast === undefined || v.atMost === undefined || v.atLeast <= v.atMost,
        'atLeast must not be greater than atMost',
      ),
    ),
]);
/** An expected count; see {@link RequestCount}. */
export type RequestCount = z.infer<typeof RequestCount>;

/** Body of `POST /__control/requests/verify`: a matcher and the count expected (default: at least one). */
export const RequestVerify = z.strictObject({
  match: z.optional(RequestMatch),
  /** @default { atLeast: 1 } */
  count: z.optional(RequestCount),
});
/** Body of `POST /__control/requests/verify`; see {@link RequestVerify}. */
export type RequestVerify = z.infer<typeof RequestVerify>;

/** One criterion an entry failed: the matcher's field, what it asked for and what the entry had. */
export const RequestMismatch = z.strictObject({
  field: z.string(),
  expected: z.string(),
  actual: z.string(),
});
/** A failed criterion; see {@link RequestMismatch}. */
export type RequestMismatch = z.infer<typeof RequestMismatch>;

/**
 * Answer of `POST /__control/requests/verify`, always a 200: a verification that ran answers, the
 * count being wrong is its result, not a refused request. When `ok` is false, `message` says what
 * was expected and found, and `nearMisses` lists the entries that failed the fewest criteria (one
 * first), naming each failed one; `matches` lists the first entries that matched.
 */
export const RequestVerification = named(
  z.strictObject({
    object: z.literal('request_verification'),
    ok: z.boolean(),
    matched: Count,
    expected: z.strictObject({ atLeast: Count, atMost: z.nullable(Count) }),
    message: z.string(),
    /** Up to 10 matching entries, oldest first. */
    matches: z.array(RequestJournalEntry),
    /** Up to 5 entries that almost matched (fewest failed criteria first); empty when `ok`. */
    nearMisses: z.array(z.strictObject({ entry: RequestJournalEntry, mismatches: z.array(RequestMismatch) })),
  }),
  'RequestVerification',
);
/** The result of a verification; see {@link RequestVerification}. */
export type RequestVerification = z.infer<typeof RequestVerification>;
