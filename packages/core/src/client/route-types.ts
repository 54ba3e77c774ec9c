import type * as z from 'zod/mini';
import type { OperationId, ROUTES } from '../contract/routes';

/**
 * The operations the client calls: every route but the reference server's control API and the
 * OpenAPI document.
 */
export type ClientOperationId = Exclude<OperationId, `control${string}` | 'getOpenApi'>;

type Route<Op extends OperationId> = (typeof ROUTES)[Op];
type Schema = z.ZodMiniType;

/** The path parameters of an operation (raw strings). */
export type ParamsOf<Op extends OperationId> = Route<Op> extends { params: infer P } ? { readonly [K in keyof P]: string } : undefined;
/** The query of an operation, as the contract types it. */
export type QueryOf<Op extends OperationId> = Route<Op> extends { query: infer Q extends Schema } ? z.output<Q> : undefined;
/** The body of an operation, as the contract types it. */
export type BodyOf<Op extends OperationId> = Route<Op> extends { body: infer B extends Schema } ? z.output<B> : undefined;
/** The JSON body of an operation's successful responses. */
export type ResponseOf<Op extends OperationId> = {
  [S in keyof Route<Op>['responses']]: Route<Op>['responses'][S] extends { schema: infer T extends Schema } ? z.output<T> : never;
}[keyof Route<Op>['responses']];
