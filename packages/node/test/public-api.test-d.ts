import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  createOfferTokenSigner,
  createOfferTokenVerifier,
  loadPublicKeys,
  loadSigningKey,
  verifyOfferToken,
  webhookMiddleware,
  type LiveDropEvent,
  type LoadedSigningKey,
  type OfferTokenClaims,
  type PublicJwk,
} from '@livedrop/node';

declare const key: LoadedSigningKey;
declare const claims: OfferTokenClaims;

describe('@livedrop/node public types', () => {
  it('re-exports core', () => {
    expectTypeOf(createClient).toBeFunction();
    expectTypeOf(verifyOfferToken).returns.resolves.toEqualTypeOf<OfferTokenClaims>();
  });

  it('loads keys into what the signer and verifier take', () => {
    expectTypeOf(key.privateKey).toEqualTypeOf<KeyObject>();
    expectTypeOf(key.publicJwk).toEqualTypeOf<PublicJwk>();
    expectTypeOf(loadPublicKeys).returns.toEqualTypeOf<Map<string, KeyObject>>();
    createOfferTokenSigner({ ...key, issuer: 'https://deals.example' });
    createOfferTokenVerifier({ jwks: { keys: [key.publicJwk] } });
    createOfferTokenVerifier({ publicKeys: loadPublicKeys({ keys: [key.publicJwk] }) });
    // @ts-expect-error a PEM carries no kid, so one must be given
    loadSigningKey({ pem: '-----BEGIN PRIVATE KEY-----' });
    // @ts-expect-error the keys come one way or the other, not both
    createOfferTokenVerifier({ jwks: { keys: [] }, publicKeys: new Map() });
  });

  it('signs and verifies synchronously', () => {
    const signer = createOfferTokenSigner({ ...key, issuer: 'https://deals.example' });
    const { iss: _iss, aud: _aud, ...withoutIssuer } = claims;
    expectTypeOf(signer.sign(withoutIssuer)).toEqualTypeOf<string>();
    expectTypeOf(signer.sign(claims)).toEqualTypeOf<string>();
    // @ts-expect-error qmax is required
    signer.sign({ ...withoutIssuer, qmax: undefined });
    expectTypeOf(createOfferTokenVerifier({ jwks: { keys: [] } }).verify('t')).toEqualTypeOf<OfferTokenClaims>();
  });

  it('serves node:http, an Express-style chain and a Fastify preHandler', () => {
    createServer(
      webhookMiddleware({ secret: 'whsec_x', onEvent: (event) => expectTypeOf(event).toEqualTypeOf<LiveDropEvent>() }),
    );
    const middleware = webhookMiddleware({ secret: ['whsec_old', 'whsec_new'], toleranceSeconds: 60 });
    expectTypeOf(middleware).toBeCallableWith({} as IncomingMessage, {} as ServerResponse, (_error?: unknown) => {});
    expectTypeOf<Express.Request['livedropEvent']>().toEqualTypeOf<LiveDropEvent | undefined>();

    // Fastify's own shapes, as far as the hook sees them (no fastify dependency here).
    interface FastifyError extends Error {
      code: string;
      statusCode?: number;
    }
    interface FastifyReply {
      readonly sent: boolean;
      raw: ServerResponse;
      code(statusCode: number): FastifyReply;
      header(key: string, value: unknown): FastifyReply;
      send(payload?: unknown): FastifyReply;
    }
    interface FastifyRequest {
      headers: IncomingHttpHeaders;
      body: unknown;
      raw: IncomingMessage;
    }
    type PreHandler = (request: FastifyRequest, reply: FastifyReply, done: (error?: FastifyError) => void) => void;
    const preHandler: PreHandler = webhookMiddleware({ secret: 'whsec_x' });
    expectTypeOf(preHandler).toBeFunction();
  });
});
