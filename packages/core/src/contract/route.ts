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

/** A request header a route reads, for the reference docs. */
export interface RouteHeader {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

/**
 * One route of the HTTP contract. The route table is the single source of truth the reference
 * server dispatches and validates with, the client calls through, and the OpenAPI document describes.
 */
export interface RouteDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI-style template, e.g. `/v1/sessions/{id}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Schemas of the path parameters, by name. */
  readonly params?: Readonly<Record<string, z.ZodMiniType>>;
  readonly query?: z.ZodMiniObject;
  readonly body?: z.ZodMiniType;
  readonly headers?: readonly RouteHeader[];
  /** Successful responses by status. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Error codes the route can answer with (beyond the ones every route can). */
  readonly errors: readonly ErrorCode[];
}

/** Error codes any authenticated route may answer with. */
export const COMMON_ERRORS: readonly ErrorCode[] = ['unauthenticated', 'forbidden', 'rate_limited', 'internal_error', 'service_unavailable'];
