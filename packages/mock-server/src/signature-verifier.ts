/**
 * Checks an Ed25519 signature over `data` with `publicKey`. The reference server verifies every
 * offer token with one; the default is WebCrypto (runs anywhere, msw in a browser included), and
 * the Node transport injects node:crypto's synchronous one, which skips WebCrypto's per-call job.
 */
export type SignatureVerifier = (
  publicKey: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
) => boolean | Promise<boolean>;

const ED25519 = { name: 'Ed25519' } as const;

/** The portable {@link SignatureVerifier}: `crypto.subtle.verify` with Ed25519. */
export const webCryptoVerifyEd25519: SignatureVerifier = (publicKey, signature, data) =>
  crypto.subtle.verify(ED25519, publicKey, signature, data);
