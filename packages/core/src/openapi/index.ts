/**
 * The OpenAPI 3.1 document of LiveDrop's HTTP API v1, generated from the same zod schemas and
 * route table that the client, the reference server and the docs use.
 *
 * ```ts
 * import { createOpenApiDocument } from '@livedrop/core/openapi';
 * ```
 *
 * @module
 */
export { createOpenApiDocument } from './document';
export type { OpenApiDocumentOptions } from './document';
export type {
  JsonSchema,
  JsonValue,
  OpenApiComponents,
  OpenApiDocument,
  OpenApiHeader,
  OpenApiInfo,
  OpenApiMediaType,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiReference,
  OpenApiRequestBody,
  OpenApiResponse,
  OpenApiSecurityRequirement,
  OpenApiSecurityScheme,
  OpenApiServer,
  OpenApiTag,
} from './types';
