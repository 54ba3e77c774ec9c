import type * as z from 'zod/mini';
import type { ROUTES } from '../contract/all-routes';
import type { OperationId } from '../contract/routes';

/**
 * The operations the client calls: every route but the reference server's control API and the
 * OpenAPI document.
 */
export type ClientOperationId = Exclude<OperationId, `control${string}` | 'getOpenApi'>;

type Route<Op extends OperationId> = (typeof ROUTES)[Op];
type Schema = z.ZodMiniType;

/*
 * The one declaration of what each part of an operation holds once the contract's schemas have
 * validated it. The reference server types its handlers with these; `Missing` is what a route
 * without that part gives (the server passes `{}` for absent params and query).
 */

/**
 * The validated path parameters of an operation, each the output of its schema; `Missing` when
 * the route has none.
 * @example
 * type P = ParamsOf<'getOffer'>; // { id: string }
 */
export type ParamsOf<Op extends OperationId, Missing = undefined> =
  Route<Op> extends { params: infer P } ? { [K in keyof P]: P[K] extends Schema ? z.output<P[K]> : never } : Missing;
/** The validated query of an operation, as the contract types it; `Missing` when the route has none. */
export type QueryOf<Op extends OperationId, Missing = undefined> =
  Route<Op> extends { query: infer Q extends Schema } ? z.output<Q> : Missing;
/** The validated body of an operation, as the contract types it; `Missing` when the route has none. */
export type BodyOf<Op extends OperationId, Missing = undefined> =
  Route<Op> extends { body: infer B extends Schema } ? z.output<B> : Missing;
/** The JSON body of an operation's successful responses. */
export type ResponseOf<Op extends OperationId> = {
  [S in keyof Route<Op>['responses']]: Route<Op>['responses'][S] extends { schema: infer T extends Schema }
    ? z.output<T>
    : never;
}[keyof Route<Op>['responses']];
