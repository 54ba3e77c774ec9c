import * as z from 'zod/mini';

const compiled = new WeakMap<z.ZodMiniType, z.ZodMiniType>();

/**
 * The response schema to parse with: zod's compiled parser for it (`z.compile`, generated once per
 * schema and kept), which checks a large view several times faster than the runtime parser and
 * falls back to it for a body that fails, so errors name the same fields. Where zod is `jitless`
 * (the browser adapter sets it so a strict CSP holds) nothing is generated: the schema is used as is.
 */
export function compiledSchema(schema: z.ZodMiniType): z.ZodMiniType {
  let fast = compiled.get(schema);
  if (fast === undefined) {
    fast = z.config().jitless ? schema : z.compile(schema);
    compiled.set(schema, fast);
  }
  return fast;
}
