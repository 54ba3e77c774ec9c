import * as z from 'zod/mini';
import { schemaNames } from '../schemas/named';
import type { JsonSchema, JsonValue, OpenApiReference } from './types';

/** Which side of the wire a schema describes: what a client sends, or what the API answers. */
export type SchemaDirection = 'input' | 'output';

const COMPONENTS = '#/components/schemas/';
const LOCAL_DEFS = '#/$defs/';

type RawDefs = Map<string, JsonSchema>;

/**
 * Turns zod schemas into JSON Schemas for an OpenAPI document. Every schema the contract names
 * (`named(schema, id)`) becomes one entry of `components.schemas`, `$ref`'d wherever it is used. A registered schema whose input shape differs from its output shape (defaults,
 * transforms) gets a second entry, `<id>Input`, used by request bodies and parameters.
 *
 * Each schema is converted on its own (with a registry of the contract's names only) and the
 * `$defs` zod extracts are collected here; names are settled in {@link SchemaCatalog.components}.
 */
export class SchemaCatalog {
  /** Definitions as zod emitted them (refs still `#/$defs/<id>`), by direction. */
  readonly #defs: Record<SchemaDirection, RawDefs> = { input: new Map(), output: new Map() };
  /** Refs handed out for input schemas: their target is known only once every schema is in. */
  readonly #inputRefs: { node: OpenApiReference; id: string }[] = [];
  #components: Record<string, JsonSchema> | undefined;
  /** The contract's names as a zod registry, which `z.toJSONSchema` reads ids from. */
  readonly #registry = registryOfNames();

  /** Converts `schema` for one direction; registered subschemas become `$ref`s into `components.schemas`. */
  convert(schema: z.ZodMiniType, io: SchemaDirection): JsonSchema {
    const root = this.#raw(schema, io);
    return this.#link(root, (id, node) => this.#track(id, node, io));
  }

  /**
   * Adds `schema` as the component `name` and returns a `$ref` to it; for a schema that is not
   * registered under an id (a schema registered as `name` already is one).
   */
  named(name: string, schema: z.ZodMiniType, io: SchemaDirection): OpenApiReference {
    const id = this.#registry.get(schema)?.id;
    if (id !== undefined && id !== name)
      throw new Error(`SchemaCatalog: the schema named "${name}" is registered as "${id}".`);
    const root = this.#raw(schema, io);
    if (id === undefined) this.#define(name, root, io);
    const node: OpenApiReference = { $ref: COMPONENTS + name };
    this.#track(name, node, io);
    return node;
  }

  /**
   * The `components.schemas` map, sorted by name. Call it once every schema has been converted:
   * it settles which input variants need their own name and points the input refs at them.
   */
  components(): Record<string, JsonSchema> {
    this.#components ??= this.#settle();
    return this.#components;
  }

  #raw(schema: z.ZodMiniType, io: SchemaDirection): JsonSchema {
    if (this.#components)
      throw new Error('SchemaCatalog: components() was already called; convert every schema first.');
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'throw',
      metadata: this.#registry,
    }) as JsonSchema;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) this.#define(id, def, io);
    return root;
  }

  #define(id: string, def: JsonSchema, io: SchemaDirection): void {
    // zod names unregistered extractions (cycles) `__schema<n>`: local to one conversion, so unusable as components.
    if (id.startsWith('__schema'))
      throw new Error(`SchemaCatalog: a schema is cyclic or reused without an id (${id}); register it with { id }.`);
    const known = this.#defs[io].get(id);
    if (known && JSON.stringify(known) !== JSON.stringify(def))
      throw new Error(`SchemaCatalog: two different schemas are registered with the id "${id}".`);
    this.#defs[io].set(id, def);
  }

  #track(id: string, node: OpenApiReference, io: SchemaDirection): void {
    if (io === 'input') this.#inputRefs.push({ node, id });
  }

  #settle(): Record<string, JsonSchema> {
    const renamed = this.#inputVariants();
    const inputName = (id: string) => (renamed.has(id) ? `${id}Input` : id);
    for (const { node, id } of this.#inputRefs) node.$ref = COMPONENTS + inputName(id);

    const components: Record<string, JsonSchema> = {};
    for (const [id, def] of this.#defs.output) components[id] = this.#link(def, () => {});
    for (const [id, def] of this.#defs.input) {
      const name = inputName(id);
      if (name !== id && this.#defs.output.has(name))
        throw new Error(`SchemaCatalog: "${name}" is both a registered id and the input variant of "${id}".`);
      if (name !== id || !this.#defs.output.has(id))
        components[name] = this.#link(def, (ref, node) => (node.$ref = COMPONENTS + inputName(ref)));
    }
    return Object.fromEntries(Object.entries(components).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Ids whose input definition differs from the output one, directly or through a schema it references. */
  #inputVariants(): Set<string> {
    const { input, output } = this.#defs;
    const renamed = new Set(
      [...input]
        .filter(([id, def]) => output.has(id) && JSON.stringify(output.get(id)) !== JSON.stringify(def))
        .map(([id]) => id),
    );
    for (let grew = true; grew; ) {
      grew = false;
      for (const [id, def] of input) {
        if (renamed.has(id) || !output.has(id)) continue;
        if (refsOf(def).some((ref) => renamed.has(ref))) {
          renamed.add(id);
          grew = true;
        }
      }
    }
    return renamed;
  }

  /** A deep copy of `schema` whose `#/$defs/<id>` refs point into `components.schemas`. */
  #link(schema: JsonSchema, onRef: (id: string, node: OpenApiReference) => void): JsonSchema {
    const visit = (value: JsonValue): JsonValue => {
      if (Array.isArray(value)) return value.map(visit);
      if (value === null || typeof value !== 'object') return value;
      const copy: JsonSchema = {};
      for (const [key, child] of Object.entries(value)) copy[key] = visit(child);
      const ref = copy['$ref'];
      if (typeof ref === 'string' && ref.startsWith(LOCAL_DEFS)) {
        const id = ref.slice(LOCAL_DEFS.length);
        copy['$ref'] = COMPONENTS + id;
        onRef(id, copy as unknown as OpenApiReference);
      }
      return copy;
    };
    return visit(schema) as JsonSchema;
  }
}

/** The ids a raw definition refers to. */
function refsOf(schema: JsonValue): string[] {
  if (Array.isArray(schema)) return schema.flatMap(refsOf);
  if (schema === null || typeof schema !== 'object') return [];
  const own =
    typeof schema['$ref'] === 'string' && schema['$ref'].startsWith(LOCAL_DEFS)
      ? [schema['$ref'].slice(LOCAL_DEFS.length)]
      : [];
  return [...own, ...Object.values(schema).flatMap(refsOf)];
}

function registryOfNames() {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of schemaNames()) registry.add(schema, { id });
  return registry;
}
