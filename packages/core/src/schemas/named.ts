import * as z from 'zod/mini';

/**
 * Names a contract schema: adds it to zod's global registry under `id`, which makes it one named
 * entry of the OpenAPI document's `components.schemas` (`$ref`'d wherever it is used), and
 * returns the schema itself.
 *
 * A function rather than `.register(z.globalRegistry, { id })` because bundlers must keep a method
 * call at module top level (it might do anything), and with it every schema it names and all they
 * reference. Declared free of side effects, a call whose result nobody imports is dropped, so a
 * browser that imports `SessionView` carries `SessionView` and what it references, and nothing else.
 * (The registration is the only effect, and only the OpenAPI generator reads it: it imports every
 * schema it names.)
 *
 * @example
 * export const Money = named(z.strictObject({ amount: z.int(), currency: Currency }), 'Money');
 */
/* @__NO_SIDE_EFFECTS__ */
export function named<S extends z.ZodMiniType>(schema: S, id: string): S {
  z.globalRegistry.add(schema, { id });
  return schema;
}
