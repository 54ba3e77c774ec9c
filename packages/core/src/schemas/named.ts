import type * as z from 'zod/mini';

/** Every named contract schema and its id, in the order they were named. */
const NAMES = new Map<z.ZodMiniType, string>();

/**
 * Names a contract schema `id`, which makes it one named entry of the OpenAPI document's
 * `components.schemas` (`$ref`'d wherever it is used), and returns the schema itself.
 *
 * A function rather than `.register(z.globalRegistry, { id })`, for browser bundles: a bundler
 * must keep a method call at module top level (it might do anything), and with it every schema it
 * names; and zod's registry module would come along. Declared free of side effects, a call whose
 * result nobody imports is dropped, so a browser that imports `SessionView` carries `SessionView`
 * and what it references, and nothing else. Only the OpenAPI generator reads the names (through
 * {@link schemaNames}), and it imports every schema it names.
 *
 * @example
 * export const Money = named(z.strictObject({ amount: z.int(), currency: Currency }), 'Money');
 */
/* @__NO_SIDE_EFFECTS__ */
export function named<S extends z.ZodMiniType>(schema: S, id: string): S {
  NAMES.set(schema, id);
  return schema;
}

/** The named contract schemas and their ids (for the OpenAPI generator). */
export function schemaNames(): ReadonlyMap<z.ZodMiniType, string> {
  return NAMES;
}
