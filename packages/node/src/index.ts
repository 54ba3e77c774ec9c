/**
 * LiveDrop for Node.js. Re-exports everything in `@livedrop/core`, so a Node backend installs one
 * package, and adds what only Node can do well: a synchronous node:crypto offer-token signer and
 * verifier, Ed25519 key loading (PEM, JWK, environment), and webhook middleware that reads the raw
 * body itself for node:http, Express and Fastify.
 *
 * @module
 */
import { useSchemaCompiler } from '@livedrop/core';
import * as z from 'zod/mini';

export * from '@livedrop/core';
export { KeyLoadError } from './key-load-error';
export type { KeyLoadErrorCode } from './key-load-error';
export { loadPublicKeys, loadSigningKey } from './keys';
export type { JwkInput, JwksInput, LoadedSigningKey, SigningKeySource } from './keys';
export { createOfferTokenSigner, createOfferTokenVerifier } from './tokens';
export type {
  OfferTokenSignClaims,
  OfferTokenSigner,
  OfferTokenSignerOptions,
  OfferTokenVerifier,
  OfferTokenVerifierCommonOptions,
  OfferTokenVerifierOptions,
} from './tokens';
export { WebhookBodyError, webhookMiddleware } from './webhooks';
export type {
  FastifyReplyLike,
  NodeResponseLike,
  WebhookBodyErrorCode,
  WebhookMiddleware,
  WebhookMiddlewareOptions,
  WebhookNext,
  WebhookRequest,
  WebhookResponse,
} from './webhooks';

// Node may generate code: responses are checked with zod's compiled parsers (several times faster on large views).
useSchemaCompiler((schema) => z.compile(schema));
