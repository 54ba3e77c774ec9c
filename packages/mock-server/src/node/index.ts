/**
 * The reference server's Node transport: node:http serving and a one-call start for tests.
 * Not for browser bundles (the package's `./node` export is `null` for browsers).
 *
 * @module node
 */
import { createHash, KeyObject, verify } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../server';
import type { SignatureVerifier } from '../signature-verifier';
import { serve, type RunningServer, type ServeOptions } from './serve';

export { serve } from './serve';
export type { RunningServer, ServeOptions } from './serve';
export { redisStore, redisConnectionOf } from '../storage/redis/redis-store';
export type { RedisStoreOptions } from '../storage/redis/redis-store';

/** SHA-256 as lowercase hex with node:crypto, for the event hash chain. */
export const nodeSha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Ed25519 verification with node:crypto, synchronous: the same answer as WebCrypto's without its
 * per-call job and promise. Converts the CryptoKey on every call; a server should use
 * {@link createNodeEd25519Verifier}, which converts each key once.
 */
export const nodeVerifyEd25519: SignatureVerifier = (publicKey, signature, data) =>
  verify(null, data, KeyObject.from(publicKey), signature);

/**
 * Ed25519 verification with node:crypto, as {@link nodeVerifyEd25519}, converting each CryptoKey to
 * a KeyObject once and keeping it for as long as the key lives (the cache is the verifier's own).
 * @example createReferenceServer({ verifySignature: createNodeEd25519Verifier() })
 */
export function createNodeEd25519Verifier(): SignatureVerifier {
  const keyObjects = new WeakMap<CryptoKey, KeyObject>();
  return (publicKey, signature, data) => {
    let keyObject = keyObjects.get(publicKey);
    if (!keyObject) {
      keyObject = KeyObject.from(publicKey);
      keyObjects.set(publicKey, keyObject);
    }
    return verify(null, data, keyObject, signature);
  };
}

/** Every address `hostname` resolves to, with node:dns (the system resolver, as node's fetch uses). */
export async function nodeLookupAll(hostname: string): Promise<string[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}

// What a storage may implement for /readyz and /metrics (see readiness.ts).
export { readinessOf, streamLagOf } from './readiness';
export type { Readiness, ReadinessProbe, StreamLagProbe } from './readiness';

/** A reference server listening on a socket, with its keys at hand. */
export interface StartedReferenceServer extends RunningServer {
  readonly server: ReferenceServer;
}

/**
 * Creates a reference server and serves it (port 0 by default) — what integration tests want.
 * @example
 * await using ld = await startReferenceServer();
 * const res = await fetch(`${ld.url}/v1/sellers`, { headers: { authorization: `Bearer ${ld.server.keys.secretKey}` } });
 */
export async function startReferenceServer(
  options: ReferenceServerOptions & ServeOptions = {},
): Promise<StartedReferenceServer> {
  const server = createReferenceServer({
    hash: nodeSha256Hex,
    verifySignature: createNodeEd25519Verifier(),
    ...options,
    webhooks: { lookup: nodeLookupAll, ...options.webhooks },
  });
  // A shared store is loaded, and the instance knows the test tenant's keys, before it listens.
  await server.engine.ready();
  const running = await serve(server, options);
  const closeTransport = running.close;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= closeTransport().then(() => server.engine.close());
    return closing;
  };
  return Object.assign(running, { server, close, [Symbol.asyncDispose]: close });
}
