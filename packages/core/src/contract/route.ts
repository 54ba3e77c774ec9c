import type * as z from 'zod/mini';
import type { ErrorCode } from '../schemas/error';

/** Kinds of API key. A key belongs to one tenant and never reads another tenant's objects. */
export const API_KEY_ROLES = ['platform', 'publishable', 'creator', 'moderator'] as const;
/** A kind of API key; see {@link API_KEY_ROLES}. */
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Who may call a route: API key roles, anyone (`public`), or the reference server's control key. */
export type RouteAuth = readonly ApiKeyRole[] | 'public' | 'control';

/** An HTTP method the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A successful response of a route. */
export interface RouteResponse {
  /** Schema of the JSON body; absent for an empty body. */
  readonly schema?: z.ZodMiniType;
  /** @default 'application/json' */
  readonly contentType?: string;
}

/** A request header a route reads (its description is in the OpenAPI generator's docs). */
export interface RouteHeader {
  readonly name: RouteHeaderName;
  readonly required: boolean;
}

/** The request headers routes read besides the ones every route does. */
export type RouteHeaderName =
  | 'If-Match'
  | 'If-None-Match'
  | 'Last-Event-ID'
  | 'LiveDrop-Buyer-Session'
  | 'LiveDrop-Client-Secret';

/**
 * What a client needs to call a route: where it is and what it answers. A browser's client carries
 * only this part of the routes it calls (see {@link RouteDefinition} for the rest).
 */
export interface RouteEndpoint {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI-style template, e.g. `/v1/sessions/{id}`. */
  readonly path: string;
  /** Successful responses by status. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/**
 * One route of the HTTP contract: its endpoint, and what the server enforces and the OpenAPI
 * document describes (who may call it, request schemas, headers, errors). The route table is the
 * single source of truth the reference server dispatches and validates with, the client calls
 * through, and the OpenAPI document describes.
 */
export interface RouteDefinition extends RouteEndpoint {
  readonly auth: RouteAuth;
  /** Schemas of the path parameters, by name. */
  readonly params?: Readonly<Record<string, z.ZodMiniType>>;
  readonly query?: z.ZodMiniObject;
  readonly body?: z.ZodMiniType;
  readonly headers?: readonly RouteHeader[];
  /** Error codes the route can answer with (beyond the ones every route can). */
  readonly errors: readonly ErrorCode[];
}

/** Error codes any authenticated route may answer with. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  // Refused by the transport before any route is known: a malformed message, headers over the limit.
  'malformed_request',
  'headers_too_large',
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'internal_error',
  'bad_gateway',
  'service_unavailable',
  'gateway_timeout',
];
