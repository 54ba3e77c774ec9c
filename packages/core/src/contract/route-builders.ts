import * as z from 'zod/mini';
import { idOf } from '../schemas/common';
import type { ErrorCode } from '../schemas/error';
import type { RouteDefinition, RouteEndpoint, RouteHeader, RouteResponse } from './route';

// The pieces route entries are written with, shared by the publishable routes and the rest.
// Top-level values only: the build marks their calls pure (docs/decisions/0004), so nothing here
// may spread or read a property at load time.

/**
 * A route made of its endpoint (a constant of its own, which a client can carry alone) and what the
 * server enforces and OpenAPI documents.
 */
export function route<const E extends RouteEndpoint, const R extends Omit<RouteDefinition, keyof RouteEndpoint>>(
  endpoint: E,
  rest: R,
): E & R {
  return { ...endpoint, ...rest };
}

/** `If-Match` on a write: the version being changed. */
export const IF_MATCH: RouteHeader = { name: 'If-Match', required: true };
/** `If-None-Match` on a cacheable read. */
export const IF_NONE_MATCH: RouteHeader = { name: 'If-None-Match', required: false };
/** `Last-Event-ID` on a stream: where to resume. */
export const LAST_EVENT_ID: RouteHeader = { name: 'Last-Event-ID', required: false };

/**
 * `LiveDrop-Buyer-Session` beside a publishable key: the buyer the platform asserted. A route that
 * lists `buyer_session_required` among its errors needs it from a publishable key; the others check
 * it when sent.
 */
export const BUYER_SESSION: RouteHeader = { name: 'LiveDrop-Buyer-Session', required: false };
/** `LiveDrop-Client-Secret` on a reservation read or release: the holder's secret, kept out of the URL. */
export const CLIENT_SECRET: RouteHeader = { name: 'LiveDrop-Client-Secret', required: false };

/** The platform's secret key only. */
export const PLATFORM = ['platform'] as const;

/** The error codes of a route with a JSON body, followed by its own `codes`. */
export function validated(...codes: ErrorCode[]): readonly ErrorCode[] {
  return [
    'validation_failed',
    'malformed_json',
    'payload_too_large',
    'unsupported_media_type',
    'idempotency_key_reused',
    'idempotency_key_in_use',
    ...codes,
  ];
}

/** A 200 response: with a JSON body of `schema`, or empty. */
export function ok(): { 200: RouteResponse };
export function ok<S extends z.ZodMiniType>(schema: S): { 200: { schema: S } };
export function ok(schema?: z.ZodMiniType) {
  return schema ? { 200: { schema } } : { 200: {} };
}

/** A 201 response with a JSON body of `schema`. */
export function created<S extends z.ZodMiniType>(schema: S): { 201: { schema: S } } {
  return { 201: { schema } };
}

/** A 200 response of `schema` that answers 304 when the `If-None-Match` ETag still holds. */
export function okOrNotModified<S extends z.ZodMiniType>(
  schema: S,
  contentType?: string,
): { 200: { schema: S; contentType?: string }; 304: RouteResponse } {
  return { 200: contentType === undefined ? { schema } : { schema, contentType }, 304: {} };
}

/** A Server-Sent Events stream. */
export const SSE = { 200: { contentType: 'text/event-stream' } };

/** The query of a stream: where to resume (the same as `Last-Event-ID`). */
export const StreamQuery = z.strictObject({ lastEventId: z.optional(z.string().check(z.regex(/^\d+$/))) });

/** Path parameters `{ id }` of a `kind` of object. */
export function withId<K extends Parameters<typeof idOf>[0]>(kind: K) {
  return { id: idOf(kind) };
}
