import type * as z from 'zod/mini';

/**
 * A URL's query as an object for a route's query schema. A parameter whose schema is an array is
 * a comma-separated list (OpenAPI `style: form, explode: false`): `?types=a,b` reads as
 * `['a', 'b']`, each name trimmed, blank ones skipped. Every other parameter is its string.
 */
export function readQuery(url: URL, schema: z.ZodMiniObject): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) {
    const field = schema.shape[name] as z.ZodMiniType | undefined;
    query[name] = field && isArraySchema(field) ? splitList(value) : value;
  }
  return query;
}

/** Whether `schema`, unwrapped of `optional`, is an array. */
export function isArraySchema(schema: z.ZodMiniType): boolean {
  const def = schema._zod.def as { type: string; innerType?: z.ZodMiniType };
  if (def.type === 'optional' && def.innerType) return isArraySchema(def.innerType);
  return def.type === 'array';
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
