import * as z from 'zod/mini';
import type { RouteAuth, RouteDefinition } from '../contract/route';
import type { OperationId } from '../contract/routes';
import { HEADER_DOCS, ROUTE_DOCS, type RouteDoc } from './route-docs';
import { headerRef, parameterRef } from './components';
import { errorResponses } from './error-responses';
import type { SchemaCatalog } from './json-schema';
import type {
  JsonSchema,
  OpenApiHeader,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiReference,
  OpenApiResponse,
  OpenApiSecurityRequirement,
} from './types';

const JSON_CONTENT_TYPE = 'application/json';
/** Statuses that never carry a body. */
const BODILESS = new Set(['204', '304']);

/** The `paths` object: every route under its path template, by lower-case method. */
export function pathsOf(
  routes: readonly RouteDefinition[],
  builder: OperationBuilder,
): Record<string, OpenApiPathItem> {
  const paths: Record<string, OpenApiPathItem> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase() as keyof OpenApiPathItem;
    if (item[method])
      throw new Error(
        `OpenAPI: ${route.method} ${route.path} is defined twice (${item[method].operationId}, ${route.operationId}).`,
      );
    item[method] = operationOf(route, builder);
  }
  return paths;
}

/** What operations are built with: the schema catalog, the `Problem` ref, and the shared error responses they fill. */
export interface OperationBuilder {
  readonly catalog: SchemaCatalog;
  readonly problem: OpenApiReference;
  readonly responses: Record<string, OpenApiResponse>;
}

/** One operation: parameters, body, success responses and one problem response per error status. */
export function operationOf(
  route: RouteDefinition,
  { catalog, problem, responses }: OperationBuilder,
): OpenApiOperation {
  const parameters = parametersOf(route, catalog);
  return {
    operationId: route.operationId,
    summary: docsOf(route).summary,
    description: [docsOf(route).description, describeAuth(route.auth)].filter(Boolean).join('\n\n'),
    tags: [docsOf(route).tag],
    security: securityOf(route.auth),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && {
      requestBody: {
        // The server's rule: no body reads as `{}` where `{}` is a valid body, so there the body is
        // optional; elsewhere it is required. `null` is never a body.
        required: !route.body.safeParse({}).success,
        content: { [JSON_CONTENT_TYPE]: { schema: catalog.convert(route.body, 'input') } },
      },
    }),
    responses: { ...successResponses(route, catalog), ...errorResponses(route, problem, responses) },
  };
}

function docsOf(route: RouteDefinition): RouteDoc {
  return ROUTE_DOCS[route.operationId as OperationId];
}

function describeAuth(auth: RouteAuth): string {
  if (auth === 'public') return 'Public: no API key needed.';
  if (auth === 'control') return 'Reference server only: needs the control key.';
  return `Roles: ${auth.join(', ')}.`;
}

function securityOf(auth: RouteAuth): OpenApiSecurityRequirement[] {
  if (auth === 'public') return [];
  return [auth === 'control' ? { controlKey: [] } : { bearerAuth: [] }];
}

function parametersOf(route: RouteDefinition, catalog: SchemaCatalog): (OpenApiParameter | OpenApiReference)[] {
  const parameters: (OpenApiParameter | OpenApiReference)[] = Object.entries(route.params ?? {}).map(
    ([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: catalog.convert(schema, 'input'),
    }),
  );
  if (route.query) parameters.push(...queryParameters(route.query, catalog));
  for (const header of route.headers ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: header.required,
      description: HEADER_DOCS[header.name],
      schema: { type: 'string' },
    });
  }
  if (route.method === 'POST') parameters.push(parameterRef('IdempotencyKey'));
  return parameters;
}

/** One parameter per property of the query object; zod decides which are required on input. */
function queryParameters(query: z.ZodMiniObject, catalog: SchemaCatalog): OpenApiParameter[] {
  // A fresh object over the same shape: never a registered `$ref`, so its properties can be read here.
  const object = catalog.convert(z.object(query.shape), 'input');
  const properties = (object['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object['required'] ?? []) as string[]);
  // An array is a comma-separated list (`?types=a,b`), as the server reads it.
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(schema['type'] === 'array' && { style: 'form', explode: false }),
    schema,
  }));
}

function successResponses(route: RouteDefinition, catalog: SchemaCatalog): Record<string, OpenApiResponse> {
  const conditional = route.headers?.some((header) => header.name.toLowerCase() === 'if-none-match') ?? false;
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers: Record<string, OpenApiHeader | OpenApiReference> = { 'Request-Id': headerRef('RequestId') };
    if (conditional) headers['ETag'] = headerRef('ETag');
    if (route.method === 'POST') headers['Idempotent-Replayed'] = headerRef('IdempotentReplayed');
    for (const name of docsOf(route).headers ?? []) headers[name] = headerRef(name);
    const documented: OpenApiResponse = { description: docsOf(route).responses[Number(status)] ?? 'Success.', headers };
    const contentType = response.contentType ?? JSON_CONTENT_TYPE;
    if (response.schema) documented.content = { [contentType]: { schema: catalog.convert(response.schema, 'output') } };
    else if (!BODILESS.has(status))
      documented.content = {
        [contentType]: { schema: { type: contentType === JSON_CONTENT_TYPE ? 'object' : 'string' } },
      };
    responses[status] = documented;
  }
  return responses;
}
