import type { RouteDefinition } from '../contract/route';
import { ROUTES } from '../contract/all-routes';
import type { OperationId } from '../contract/routes';
import { ROUTE_DOCS } from './route-docs';
import { Problem } from '../schemas/error';
import { PUBLIC_STREAM_EVENTS } from '../schemas/stream';
import { SECURITY_SCHEMES, SHARED_HEADERS, SHARED_PARAMETERS } from './components';
import { SchemaCatalog } from './json-schema';
import { pathsOf } from './paths';
import type { OpenApiDocument, OpenApiResponse, OpenApiTag } from './types';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /**
   * Base URL of the server the document describes, e.g. `http://127.0.0.1:4010`.
   * The default, `/`, means "the host that served this document".
   * @default '/'
   */
  serverUrl?: string;
  /**
   * `info.version`: the version of the document.
   * @default '1.0.0'
   */
  version?: string;
}

const DESCRIPTION = `Live social commerce: sessions, signed offer tokens, atomic reservations, payout splits and an auditable event log.

- **Auth**: \`Authorization: Bearer <key>\`; each operation lists the key roles it accepts.
- **Errors**: RFC 9457 \`application/problem+json\` with a machine-readable \`code\`, the \`requestId\` and field-level \`errors[]\`.
- **Idempotency**: every POST accepts \`Idempotency-Key\`; a retry with the same key and body replays the first response.
- **Money**: always \`{ amount, currency }\` with \`amount\` in integer minor units of the ISO 4217 currency.`;

/** What each tag groups, in the order the route table introduces them. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Parties: 'Sellers, creators and the entitlements that let a creator sell a seller’s products.',
  Sessions: 'Live sessions ("drops"): schedule, hydrate in one read, go live, end.',
  Offers: 'Products offered during a session: live stock, moderation and lifecycle.',
  Tokens: 'Single-use signed offer tokens (EdDSA) and the public keys that verify them offline.',
  Reservations: 'Atomic holds on stock: held or backordered, then released, expired or captured into an order.',
  Orders: 'Captured orders with their payout split, transfers and refunds.',
  Events: 'The append-only, hash-chained event log of CloudEvents: replay, audit and export.',
  Realtime: 'Server-Sent Events streams, resumable with `Last-Event-ID`.',
  Listings:
    'Sessions and their offers as schema.org JSON-LD for search and recommendations; public data, edge-cacheable.',
  Webhooks: 'Signed event deliveries following the Standard Webhooks spec.',
  Dashboards: 'A creator’s conversions, GMV and earnings.',
  Meta: 'This document.',
  Control: 'Reference server only: reset, clock, fault injection and fixtures for test suites.',
};

/**
 * Builds the OpenAPI 3.1 document of LiveDrop's HTTP API v1 from the route table and the zod
 * schemas, the single source of truth: every route with its parameters, request body, responses
 * and one `application/problem+json` response per error status it can answer with. Every schema
 * registered with an `id` is a named entry of `components.schemas`.
 *
 * The result is plain JSON data; build it once and cache it, it does not change at run time.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { createOpenApiDocument } from '@livedrop/core/openapi';
 *
 * const document = createOpenApiDocument({ serverUrl: 'http://127.0.0.1:4010' });
 * document.paths['/v1/reservations']?.post?.operationId; // 'createReservation'
 * await writeFile('openapi.json', JSON.stringify(document, null, 2));
 * ```
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const routes: readonly RouteDefinition[] = Object.values(ROUTES);
  const catalog = new SchemaCatalog();
  // Problem is not named in the contract, so it is named here.
  const problem = catalog.named('Problem', Problem, 'output');
  const responses: Record<string, OpenApiResponse> = {};
  const paths = pathsOf(routes, { catalog, problem, responses });
  // The session stream's `data:` payloads: OpenAPI 3.1 cannot attach a schema to each SSE message,
  // so they are named components the stream's description points to.
  for (const schema of Object.values(PUBLIC_STREAM_EVENTS)) catalog.convert(schema, 'output');
  return {
    openapi: '3.1.0',
    info: { title: 'LiveDrop API', version: options.version ?? '1.0.0', description: DESCRIPTION },
    servers: [{ url: options.serverUrl ?? '/', description: 'LiveDrop API v1' }],
    security: [{ bearerAuth: [] }],
    tags: tagsOf(routes),
    paths,
    components: {
      schemas: catalog.components(),
      parameters: structuredClone(SHARED_PARAMETERS),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
      headers: structuredClone(SHARED_HEADERS),
      securitySchemes: structuredClone(SECURITY_SCHEMES),
    },
  };
}

function tagsOf(routes: readonly RouteDefinition[]): OpenApiTag[] {
  return [...new Set(routes.map((route) => ROUTE_DOCS[route.operationId as OperationId].tag))].map((name) => {
    const description = TAG_DESCRIPTIONS[name];
    return description === undefined ? { name } : { name, description };
  });
}
