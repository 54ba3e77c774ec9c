import { LiveDropError } from '@livedrop/core';

/** Why a key could not be loaded. */
export type KeyLoadErrorCode =
  /** Not a PEM / JWK / JWKS at all, or one Node cannot read. */
  | 'key_malformed'
  /** A readable key of the wrong kind: not Ed25519, or public where a private key is needed (or the reverse). */
  | 'key_unsupported'
  /** No `kid` to sign with or to match tokens by. */
  | 'key_kid_missing'
  /** The `kid` option and the JWK's own `kid` disagree, or two keys of a JWKS share one. */
  | 'key_kid_conflict'
  /** The named environment variable is unset or empty. */
  | 'key_env_unset';

/** A signing or verification key could not be loaded; the message names what is wrong and the fix. */
export class KeyLoadError extends LiveDropError {
  override readonly name = 'KeyLoadError';
  readonly code: KeyLoadErrorCode;

  constructor(code: KeyLoadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
