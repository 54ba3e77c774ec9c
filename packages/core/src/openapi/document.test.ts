import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { schemaNames } from '../schemas/named';
import * as core from '../index';
import { ROUTES } from '../contract/all-routes';
import type { RouteDefinition } from '../contract/route';
import { ERROR_STATUS } from '../schemas/error';
import { createOpenApiDocument } from './index';
import { ROUTE_DOCS } from './route-docs';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiReference,
  OpenApiResponse,
} from './index';

const routes: readonly RouteDefinition[] = Object.values(ROUTES);
let doc: OpenApiDocument;

beforeAll(() => {
  doc = createOpenApiDocument();
});

/** Follows a local JSON pointer (`#/components/...`) through the document; throws if it dangles. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local ref: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key))
      throw new Error(`unresolved ref: ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function deref<T>(value: T | OpenApiReference): T {
  return value !== null && typeof value === 'object' && '$ref' in value && typeof value.$ref === 'string'
    ? deref(resolvePointer(value.$ref) as T)
    : (value as T);
}

function operation(route: RouteDefinition): OpenApiOperation {
  const found = doc.paths[route.path]?.[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'];
  if (!found) throw new Error(`${route.method} ${route.path} is missing`);
  return found;
}

const parameters = (route: RouteDefinition) =>
  (operation(route).parameters ?? []).map((parameter) => deref<OpenApiParameter>(parameter));
const response = (route: RouteDefinition, status: number) =>
  deref<OpenApiResponse>(operation(route).responses[String(status)] ?? { $ref: `#/missing/${status}` });

/** The error codes a problem response lists, read from its `allOf` narrowing of `Problem`. */
function problemCodes(route: RouteDefinition, status: number): string[] {
  const schema = response(route, status).content?.['application/problem+json']?.schema;
  const allOf = (schema?.['allOf'] ?? []) as JsonSchema[];
  expect(allOf[0]).toEqual({ $ref: '#/components/schemas/Problem' });
  const properties = allOf[1]?.['properties'] as Record<string, JsonSchema>;
  expect(properties['status']).toEqual({ const: status });
  return properties['code']?.['enum'] as string[];
}

function walk(value: unknown, visit: (node: Record<string, unknown>, path: string) => void, path = '#'): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, visit, `${path}/${index}`);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>, path);
    for (const [key, child] of Object.entries(value)) walk(child, visit, `${path}/${key}`);
  }
}

describe('createOpenApiDocument', () => {
  it('is a valid OpenAPI 3.1 document according to an independent validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = structuredClone(doc);
    const getOffer = broken.paths['/v1/offers/{id}']?.get;
    if (getOffer?.parameters?.[0] && !('$ref' in getOffer.parameters[0])) getOffer.parameters[0].required = false; // a path parameter must be required
    const result = await new Validator().validate(broken as unknown as Record<string, unknown>);
    expect(result.valid).toBe(false);
  });

  it('lists every route under its path and method with its operation id', () => {
    for (const route of routes) expect(operation(route).operationId).toBe(route.operationId);
    const documented = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op: OpenApiOperation) => op.operationId),
    );
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('declares every path template variable as a required path parameter', () => {
    for (const route of routes) {
      const variables = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const inPath = parameters(route).filter((parameter) => parameter.in === 'path');
      expect(
        inPath.map((parameter) => parameter.name),
        route.operationId,
      ).toEqual(variables);
      for (const parameter of inPath) expect(parameter.required).toBe(true);
    }
    expect(parameters(ROUTES.getOffer)[0]?.schema).toEqual({ type: 'string', pattern: '^off_[A-Za-z0-9]{1,64}$' });
  });

  it('accepts an Idempotency-Key on every POST, and answers with Idempotent-Replayed', () => {
    for (const route of routes) {
      const keyed = parameters(route).some(
        (parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key',
      );
      expect(keyed, route.operationId).toBe(route.method === 'POST');
      if (route.method !== 'POST') continue;
      for (const [status, answer] of Object.entries(operation(route).responses)) {
        if (Number(status) < 400)
          expect(deref<OpenApiResponse>(answer).headers, route.operationId).toHaveProperty('Idempotent-Replayed');
      }
      expect(problemCodes(route, 409)).toContain('idempotency_key_in_use');
      expect(problemCodes(route, 422)).toContain('idempotency_key_reused');
    }
  });

  it('documents the conditional read of getSession: If-None-Match, ETag and 304', () => {
    expect(parameters(ROUTES.getSession)).toContainEqual(
      expect.objectContaining({ name: 'If-None-Match', in: 'header', required: false }),
    );
    expect(response(ROUTES.getSession, 200).headers).toHaveProperty('ETag');
    const notModified = response(ROUTES.getSession, 304);
    expect(notModified.headers).toHaveProperty('ETag');
    expect(notModified.content).toBeUndefined();
    // A publishable key gets the public projection; the document names both views.
    expect(response(ROUTES.getSession, 200).content?.['application/json']?.schema).toEqual({
      anyOf: [{ $ref: '#/components/schemas/SessionView' }, { $ref: '#/components/schemas/PublicSessionView' }],
    });
    expect(response(ROUTES.getOffer, 200).headers).not.toHaveProperty('ETag');
  });

  it('documents the error codes of createReservation by status', () => {
    expect(problemCodes(ROUTES.createReservation, 401)).toEqual(
      expect.arrayContaining(['token_invalid', 'token_expired', 'unauthenticated']),
    );
    expect(problemCodes(ROUTES.createReservation, 409)).toEqual(expect.arrayContaining(['sold_out', 'token_replayed']));
    expect(problemCodes(ROUTES.createReservation, 422)).toEqual(expect.arrayContaining(['limit_exceeded']));
    expect(problemCodes(ROUTES.createReservation, 400)).toEqual(
      expect.arrayContaining(['validation_failed', 'malformed_json']),
    );
    expect(Object.keys(response(ROUTES.createReservation, 409).content ?? {})).toEqual(['application/problem+json']);
  });

  it('documents every error code a route lists at its HTTP status, with Request-Id', () => {
    for (const route of routes) {
      for (const code of route.errors)
        expect(problemCodes(route, ERROR_STATUS[code]), route.operationId).toContain(code);
      for (const answer of Object.values(operation(route).responses))
        expect(deref<OpenApiResponse>(answer).headers, route.operationId).toHaveProperty('Request-Id');
    }
    expect(response(ROUTES.getOffer, 429).headers).toHaveProperty('Retry-After');
  });

  it('secures operations by key role; public routes need no key and never answer 401', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'controlKey']);
    for (const route of routes) {
      const op = operation(route);
      if (route.auth === 'public') {
        expect(op.security).toEqual([]);
        expect(op.responses).not.toHaveProperty('401');
      } else if (route.auth === 'control') {
        expect(op.security).toEqual([{ controlKey: [] }]);
      } else {
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        expect(op.description).toContain(`Roles: ${route.auth.join(', ')}`);
        expect(problemCodes(route, 401)).toContain('unauthenticated');
      }
    }
    expect(operation(ROUTES.reviewOffer).description).toBe('Roles: moderator.');
  });

  it('describes query parameters one by one, required only where the schema requires them', () => {
    const query = parameters(ROUTES.listSessions).filter((parameter) => parameter.in === 'query');
    expect(query.map((parameter) => parameter.name)).toEqual(['limit', 'startingAfter', 'status', 'creatorId']);
    expect(query.every((parameter) => !parameter.required)).toBe(true);
    expect(query.find((parameter) => parameter.name === 'status')?.schema).toEqual({
      type: 'string',
      enum: ['scheduled', 'live', 'ended'],
    });
    expect(query.find((parameter) => parameter.name === 'limit')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
    });
  });

  it('gives each success response its content type', () => {
    expect(Object.keys(response(ROUTES.streamSession, 200).content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(response(ROUTES.exportEvents, 200).content ?? {})).toEqual(['application/x-ndjson']);
    expect(response(ROUTES.createReservation, 201).content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Reservation',
    });
    expect(operation(ROUTES.createReservation).responses).not.toHaveProperty('200');
  });

  it('names every registered schema of the contract, and Problem, in components.schemas', () => {
    const schemas = doc.components.schemas;
    for (const name of ['Offer', 'Reservation', 'Order', 'LiveDropEvent', 'Problem', 'Money', 'SessionView'])
      expect(schemas).toHaveProperty(name);
    const names = schemaNames();
    const registered = Object.values(core).flatMap((value) => {
      const id = value instanceof z.core.$ZodType ? names.get(value) : undefined;
      return id === undefined ? [] : [id];
    });
    expect(registered.length).toBeGreaterThan(15);
    for (const id of registered) expect(schemas, id).toHaveProperty(id);
    // No input variant today: nothing in the contract has a default or a transform.
    expect(Object.keys(schemas).filter((name) => name.endsWith('Input'))).toEqual([]);
    expect(schemas['Problem']?.['properties']).toHaveProperty('code');
  });

  it('resolves every $ref in the document', () => {
    const refs: string[] = [];
    walk(doc, (node) => {
      if (typeof node['$ref'] === 'string') refs.push(node['$ref']);
    });
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of new Set(refs)) expect(() => resolvePointer(ref), ref).not.toThrow();
    expect(refs).toContain('#/components/schemas/Money');
  });

  it('shows additionalProperties: false on every object of every request body (strict objects)', () => {
    for (const route of routes) {
      if (!route.body) continue;
      const body = operation(route).requestBody;
      // Required exactly where the server refuses a missing body: where `{}` is not a valid one.
      expect(body?.required, route.operationId).toBe(!route.body.safeParse({}).success);
      const schema = deref(body?.content['application/json']?.schema ?? {});
      expect(schema['additionalProperties'], route.operationId).toBe(false);
      walk(schema, (node, path) => {
        if (node['type'] === 'object' && node['properties'])
          expect(node['additionalProperties'], `${route.operationId} ${path}`).toBe(false);
      });
    }
    expect(doc.components.schemas['Offer']?.['additionalProperties']).toBe(false);
  });

  it('is plain JSON: no functions, undefined or non-finite numbers, and survives a round trip', () => {
    const unfit: string[] = [];
    walk(doc, (node, path) => {
      if (![Object.prototype, Array.prototype].includes(Object.getPrototypeOf(node))) unfit.push(path);
      for (const [key, value] of Object.entries(node)) {
        if (!(['string', 'boolean', 'object'].includes(typeof value) || Number.isFinite(value)))
          unfit.push(`${path}/${key}`);
      }
    });
    expect(unfit).toEqual([]);
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  it('lists each tag the operations use, with a description', () => {
    const tags = doc.tags.map((tag) => tag.name);
    expect(tags).toEqual([
      ...new Set(routes.map((route) => ROUTE_DOCS[route.operationId as keyof typeof ROUTE_DOCS].tag)),
    ]);
    for (const tag of doc.tags) expect(tag.description, tag.name).toBeTruthy();
  });

  it('takes the server URL and version from its options, and builds a fresh document each call', () => {
    expect(doc.servers[0]?.url).toBe('/');
    expect(doc.info).toMatchObject({ title: 'LiveDrop API', version: '1.0.0' });
    const custom = createOpenApiDocument({ serverUrl: 'http://127.0.0.1:4010', version: '1.2.3' });
    expect(custom.servers[0]?.url).toBe('http://127.0.0.1:4010');
    expect(custom.info.version).toBe('1.2.3');
    custom.components.headers['RequestId']!.description = 'changed';
    expect(createOpenApiDocument()).toStrictEqual(doc);
  });
});
