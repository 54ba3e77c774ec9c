import * as z from 'zod/mini';

/** Turns a schema into a faster parser for the same schema (zod's `z.compile`). */
export type SchemaCompiler = (schema: z.ZodMiniType) => z.ZodMiniType;

let compiler: SchemaCompiler | null = null;
let compiled = new WeakMap<z.ZodMiniType, z.ZodMiniType>();

/**
 * Lets the client check responses with compiled parsers. `@livedrop/node` installs zod's
 * `z.compile` at import; core itself never references it, so browser bundles do not carry zod's
 * code generator (which a strict CSP would refuse anyway). Pass `null` to go back to zod's runtime
 * parser.
 */
export function useSchemaCompiler(compile: SchemaCompiler | null): void {
  compiler = compile;
  compiled = new WeakMap();
}

/**
 * The response schema to parse with: the installed compiler's parser for it (generated once per
 * schema and kept), which checks a large view several times faster than the runtime parser and
 * falls back to it for a body that fails, so errors name the same fields. With no compiler, or
 * where zod is `jitless`, the schema is used as is.
 */
export function compiledSchema(schema: z.ZodMiniType): z.ZodMiniType {
  if (compiler === null || z.config().jitless) return schema;
  let fast = compiled.get(schema);
  if (fast === undefined) {
    fast = compiler(schema);
    compiled.set(schema, fast);
  }
  return fast;
}
