/**
 * A minimal, self-contained model of the OpenAPI 3.1 objects the LiveDrop document uses. Kept
 * here rather than taken from a types package so the public declarations depend on nothing.
 */

/** Any JSON value: what a document holds once it has been through `JSON.stringify`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as produced by `z.toJSONSchema`. */
export interface JsonSchema {
  [keyword: string]: JsonValue;
}

/** A pointer to a reusable object in `components`, e.g. `#/components/headers/RequestId`. */
export interface OpenApiReference {
  $ref: string;
}

/** Metadata about the API. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

/** A base URL the API is served at. */
export interface OpenApiServer {
  url: string;
  description?: string;
}

/** A group of operations, shown as a section by documentation tools. */
export interface OpenApiTag {
  name: string;
  description?: string;
}

/** A path, query or header parameter of an operation. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  /** How an array is serialized; the API's lists are `form` without `explode`: `?types=a,b`. */
  style?: 'form';
  explode?: boolean;
  schema: JsonSchema;
}

/** A response header. */
export interface OpenApiHeader {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

/** The body of a request or a response in one media type. */
export interface OpenApiMediaType {
  schema: JsonSchema;
}

/** A request body, by media type. */
export interface OpenApiRequestBody {
  description?: string;
  required: boolean;
  content: Record<string, OpenApiMediaType>;
}

/** One response of an operation. */
export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader | OpenApiReference>;
  content?: Record<string, OpenApiMediaType>;
}

/** Schemes a security requirement names, each with its (always empty) list of scopes. */
export type OpenApiSecurityRequirement = Record<string, string[]>;

/** One operation: a method on a path. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** `[]` for a public operation. */
  security: OpenApiSecurityRequirement[];
  parameters?: (OpenApiParameter | OpenApiReference)[];
  requestBody?: OpenApiRequestBody;
  /** Keyed by HTTP status code, e.g. `"201"`. */
  responses: Record<string, OpenApiResponse | OpenApiReference>;
}

/** The operations of one path, by lower-case method. */
export interface OpenApiPathItem {
  get?: OpenApiOperation;
  post?: OpenApiOperation;
  patch?: OpenApiOperation;
  delete?: OpenApiOperation;
}

/** An HTTP authentication scheme (the API uses bearer keys only). */
export interface OpenApiSecurityScheme {
  type: 'http';
  scheme: 'bearer';
  description: string;
}

/** Reusable objects the operations reference with `$ref`. */
export interface OpenApiComponents {
  /** Every named schema of the contract, e.g. `Offer`, `Reservation`, `Problem`. */
  schemas: Record<string, JsonSchema>;
  parameters: Record<string, OpenApiParameter>;
  /** Error responses shared by many operations, e.g. `NotFound`, `RateLimited`. */
  responses: Record<string, OpenApiResponse>;
  headers: Record<string, OpenApiHeader>;
  securitySchemes: Record<string, OpenApiSecurityScheme>;
}

/**
 * An OpenAPI 3.1 document describing LiveDrop's HTTP API v1. Plain JSON data: serialize it with
 * `JSON.stringify` and feed it to any OpenAPI 3.1 tool.
 */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  servers: OpenApiServer[];
  /** The default requirement; each operation states its own as well. */
  security: OpenApiSecurityRequirement[];
  tags: OpenApiTag[];
  /** Keyed by path template, e.g. `/v1/sessions/{id}`. */
  paths: Record<string, OpenApiPathItem>;
  components: OpenApiComponents;
}
