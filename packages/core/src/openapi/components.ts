import type { OpenApiHeader, OpenApiParameter, OpenApiReference, OpenApiSecurityScheme } from './types';

/** Response headers shared by many operations, by component name. */
export const SHARED_HEADERS = {
  RequestId: {
    description:
      'Identifies this request in LiveDrop’s logs; quote it when reporting a problem. Sent on every response.',
    required: true,
    schema: { type: 'string' },
  },
  ETag: {
    description:
      'Version of the representation (a strong entity tag); send it back as `If-None-Match` to get a 304 when nothing changed, or as `If-Match` to change the object only if it is still this version.',
    required: true,
    schema: { type: 'string' },
  },
  IdempotentReplayed: {
    description:
      '`true` when this is the stored response (or refusal) of an earlier POST with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 0 },
  },
  Link: {
    description: 'The next page, as `<url>; rel="next"` (RFC 8288); absent on the last page.',
    schema: { type: 'string' },
  },
} satisfies Record<string, OpenApiHeader>;

/** Request parameters shared by many operations, by component name. */
export const SHARED_PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retried POST safe: the same key with the same body replays the first response (`Idempotent-Replayed: true`); ' +
      'with a different body it answers 422 `idempotency_key_reused`; while the first is in flight, 409 `idempotency_key_in_use`. ' +
      'A key that is not 1 to 255 characters answers 400 `validation_failed`. Keys are kept 24 hours.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
} satisfies Record<string, OpenApiParameter>;

/** The two ways to authenticate: an API key (by role) or, on the reference server, the control key. */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key as `Authorization: Bearer <key>`. Roles: `platform` (secret, full access), `publishable` (browser: public session view and stream, ' +
      'offer tokens and reservations for its buyer), `creator` (own sessions, dashboard, payouts), `moderator` (reviews). ' +
      'Each operation lists the roles it accepts; a key never reads another tenant’s objects.',
  },
  controlKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'Reference server only: the control key, as `Authorization: Bearer <key>`, for the `/__control` routes.',
  },
} satisfies Record<string, OpenApiSecurityScheme>;

/** The name of a shared response header component. */
export type SharedHeaderName = keyof typeof SHARED_HEADERS;

/** A fresh `$ref` to a shared response header. */
export function headerRef(name: SharedHeaderName): OpenApiReference {
  return { $ref: `#/components/headers/${name}` };
}

/** A fresh `$ref` to a shared request parameter. */
export function parameterRef(name: keyof typeof SHARED_PARAMETERS): OpenApiReference {
  return { $ref: `#/components/parameters/${name}` };
}
