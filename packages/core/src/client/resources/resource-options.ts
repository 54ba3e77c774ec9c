import type { RequestOptions } from '../options';

/** Options of the methods that change a versioned object: `version` is sent as `If-Match`. */
export interface VersionedRequestOptions extends RequestOptions {
  /** The version you read (`session.version`, `offer.version`); a stale one fails with 412 `version_conflict`. */
  version: number;
}

/** Options of the reservation methods a browser calls with a publishable key. */
export interface ClientSecretRequestOptions extends RequestOptions {
  /** The reservation's `clientSecret`; needed with a publishable key, ignored with a secret key. @default undefined */
  clientSecret?: string | undefined;
}
