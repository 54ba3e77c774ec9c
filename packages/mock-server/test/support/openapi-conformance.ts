import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/*
 * An independent check that every response the tests receive is one the served `/openapi.json`
 * documents: Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) reads the document, not our
 * zod schemas. See docs/decisions/0013-response-conformance.md.
 */

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** What is known of a request when its response is checked. */
export interface ConformanceRequest {
  readonly method: string;
  readonly url: string;
}

/** What is known of a response: its head, and its body text when it was read whole. */
export interface ConformanceResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body; `undefined` for a stream that is checked by its head only. */
  readonly text?: string | undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DOCUMENT_ID = 'https://livedrop.test/openapi.json';
/** Headers the API defines: wherever one is sent, the document must name it. */
const API_HEADERS = ['etag', 'retry-after', 'idempotent-replayed', 'link'];
/** Content types whose body is a stream: checked by status and content type only. */
const STREAMED = new Set(['text/event-stream', 'application/x-ndjson']);
const PROBLEM = 'application/problem+json';

/**
 * Checks responses against an OpenAPI 3.1 document: the status is documented for the operation,
 * the content type is one it documents, required headers are present and every documented header
 * matches its schema, headers the API defines are sent only where documented, and a JSON body
 * matches its schema. A path or method the document does not have may only answer 404 or 405
 * with a problem. Answers the violations found, as sentences.
 */
export class OpenApiConformance {
  readonly #document: JsonObject;
  readonly #ajv = new Ajv2020({ strict: false, validateFormats: true });
  readonly #headerAjv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #routes: { pattern: RegExp; path: string }[];

  constructor(document: JsonObject) {
    this.#document = document;
    addFormats(this.#ajv);
    this.#ajv.addSchema(document as object, DOCUMENT_ID);
    this.#headerAjv.addSchema(document as object, DOCUMENT_ID);
    // Templates with fewer parameters first: a literal segment wins over a `{parameter}`.
    this.#routes = Object.keys(document['paths'] as JsonObject)
      .sort((a, b) => a.split('{').length - b.split('{').length)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`),
      }));
  }

  /** Whether `url` is one this document may describe (the API's paths and any path under `/v1/`). */
  covers(url: string): boolean {
    const { pathname } = new URL(url);
    return pathname.startsWith('/v1/') || this.#routes.some((route) => route.pattern.test(pathname));
  }

  /** The violations of one exchange; empty when the response is what the document says. */
  check(request: ConformanceRequest, response: ConformanceResponse): string[] {
    const method = request.method.toLowerCase();
    // CORS preflights and HEAD are answered by the transport, not by an operation.
    if (method === 'options' || method === 'head') return [];
    const { pathname } = new URL(request.url);
    const label = `${request.method.toUpperCase()} ${pathname} → ${response.status}`;
    const route = this.#routes.find((candidate) => candidate.pattern.test(pathname));
    const item = route ? (this.#document['paths'] as Record<string, JsonObject>)[route.path] : undefined;
    const operation = item?.[method] as JsonObject | undefined;
    if (!route || !operation) return this.#checkUnrouted(label, response, item);
    const responses = operation['responses'] as JsonObject;
    const documented = responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`];
    if (documented === undefined) {
      const listed = Object.keys(responses).join(', ');
      return [
        `${label}: status ${response.status} is not documented for ${String(operation['operationId'])} (documented: ${listed}); body: ${clip(response.text)}`,
      ];
    }
    return this.#checkResponse(label, response, documented);
  }

  #checkUnrouted(label: string, response: ConformanceResponse, item: JsonObject | undefined): string[] {
    const expected = item ? 405 : 404;
    if (response.status !== expected)
      return [
        `${label}: no operation is documented here, so only ${expected} may answer; body: ${clip(response.text)}`,
      ];
    const problems = this.#checkBody(label, response, PROBLEM, { $ref: '#/components/schemas/Problem' });
    if (expected === 405 && !response.headers.has('allow'))
      problems.push(`${label}: a 405 must name the methods in Allow.`);
    return problems;
  }

  #checkResponse(label: string, response: ConformanceResponse, documented: Json): string[] {
    const resolved = this.#resolve(documented);
    const problems: string[] = [];
    const headers = (resolved['headers'] ?? {}) as Record<string, Json>;
    const documentedNames = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
    for (const [name, reference] of Object.entries(headers)) {
      const header = this.#resolve(reference);
      const value = response.headers.get(name);
      if (value === null) {
        if (header['required'] === true) problems.push(`${label}: the required header ${name} is missing.`);
        continue;
      }
      const validate = this.#compile(this.#headerAjv, `header ${JSON.stringify(header['schema'])}`, header['schema']);
      if (!validate(value)) problems.push(`${label}: header ${name}: ${JSON.stringify(value)} ${describe(validate)}`);
    }
    for (const name of API_HEADERS)
      if (response.headers.has(name) && !documentedNames.has(name))
        problems.push(
          `${label}: sends ${name} (${response.headers.get(name)}), which this response does not document.`,
        );

    const content = resolved['content'] as Record<string, JsonObject> | undefined;
    if (!content) {
      if (response.text) problems.push(`${label}: documented without a body, but one came: ${clip(response.text)}`);
      return problems;
    }
    const contentType = mediaType(response.headers.get('content-type'));
    const media = contentType === null ? undefined : content[contentType];
    if (!media) {
      const listed = Object.keys(content).join(', ');
      problems.push(`${label}: content type ${contentType ?? '(none)'} is not documented (documented: ${listed}).`);
      return problems;
    }
    problems.push(...this.#checkBody(label, response, contentType!, media['schema']));
    return problems;
  }

  #checkBody(label: string, response: ConformanceResponse, contentType: string, schema: Json | undefined): string[] {
    const received = mediaType(response.headers.get('content-type'));
    if (received !== contentType) return [`${label}: content type ${received ?? '(none)'}, expected ${contentType}.`];
    if (STREAMED.has(contentType) || response.text === undefined || schema === undefined) return [];
    if (!contentType.endsWith('json')) {
      return typeof response.text === 'string' ? [] : [`${label}: expected a text body.`];
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return [`${label}: the ${contentType} body is not JSON: ${clip(response.text)}`];
    }
    const validate = this.#compile(this.#ajv, JSON.stringify(schema), schema);
    if (validate(body)) return [];
    return [
      `${label}: the body does not match the documented schema: ${describe(validate)}; body: ${clip(response.text)}`,
    ];
  }

  /** Follows a `$ref` to a component of the document. */
  #resolve(value: Json): JsonObject {
    let node = value as JsonObject;
    while (typeof node['$ref'] === 'string') {
      const ref = node['$ref'];
      node = this.#document;
      for (const token of ref.slice(2).split('/'))
        node = node[token.replace(/~1/g, '/').replace(/~0/g, '~')] as JsonObject;
      if (node === undefined) throw new Error(`OpenAPI conformance: ${ref} does not resolve.`);
    }
    return node;
  }

  /** Compiles a schema of the document, its local `$ref`s pointing into the document. */
  #compile(ajv: Ajv2020, key: string, schema: Json | undefined): ValidateFunction {
    const cacheKey = `${ajv === this.#ajv ? 'body' : 'header'} ${key}`;
    let validate = this.#compiled.get(cacheKey);
    if (!validate) {
      validate = ajv.compile(absolute(schema ?? {}) as object);
      this.#compiled.set(cacheKey, validate);
    }
    return validate;
  }
}

/** A copy of `schema` whose local refs (`#/components/...`) name the document. */
function absolute(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(absolute);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema))
    copy[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#') ? DOCUMENT_ID + value : absolute(value);
  return copy;
}

function mediaType(header: string | null): string | null {
  return header === null ? null : (header.split(';')[0]?.trim().toLowerCase() ?? null);
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 8)
    .map(
      (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
    )
    .join('; ');
}

function clip(text: string | undefined): string {
  if (text === undefined) return '(not read)';
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
