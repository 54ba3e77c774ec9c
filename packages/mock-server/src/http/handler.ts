import type { BodyOf, OperationId, ParamsOf as CoreParamsOf, QueryOf as CoreQueryOf } from '@livedrop/core';
import type { Principal } from '../auth';
import type { Engine } from '../engine';
import type { RequestQuotas } from '../rate-limit/rate-limiter';
import type { RequestHead } from './server-request';

/** The validated path parameters of an operation: core's `ParamsOf`, with `{}` (what the router passes) when it has none. */
export type ParamsOf<Op extends OperationId> = CoreParamsOf<Op, Record<string, never>>;
/** The validated query of an operation: core's `QueryOf`, with `{}` (what the router passes) when it has none. */
export type QueryOf<Op extends OperationId> = CoreQueryOf<Op, Record<string, never>>;

/** The validated body of an operation (`undefined` when it has none); core's own. */
export type { BodyOf } from '@livedrop/core';

/** Everything a handler needs about one request, already authenticated and validated. */
export interface HandlerContext<Op extends OperationId> {
  readonly engine: Engine;
  /** The caller; null on public and control routes. */
  readonly principal: Op extends 'getOpenApi' | `control${string}` ? null : Principal;
  /** Method, URL, headers and abort signal (the body is already parsed into `body`). */
  readonly request: RequestHead;
  readonly requestId: string;
  readonly params: ParamsOf<Op>;
  readonly query: QueryOf<Op>;
  readonly body: BodyOf<Op>;
  /** What the rate limiter counted for this request; pass it to `engine.rateLimits.admitBuyer`. */
  readonly quotas: RequestQuotas;
}

/** A handler's answer: a JSON body with a status and headers, or a ready-made Response (streams). */
export type HandlerResult =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  /** A JSON body the handler already serialized (a cached view), sent as is. */
  | { readonly status: number; readonly json: string; readonly headers?: Record<string, string> }
  | Response;

/** Handles one operation. Throws `ApiProblem` to refuse; must not change state before refusing. */
export type Handler<Op extends OperationId> = (context: HandlerContext<Op>) => HandlerResult | Promise<HandlerResult>;

/** Handlers by operation id; each domain module exports the ones it implements. */
export type Handlers = { readonly [Op in OperationId]?: Handler<Op> };

/** A 200 JSON answer. */
export const ok = (body: unknown, headers?: Record<string, string>): HandlerResult =>
  headers ? { status: 200, body, headers } : { status: 200, body };
/** A 201 JSON answer. */
export const created = (body: unknown): HandlerResult => ({ status: 201, body });
