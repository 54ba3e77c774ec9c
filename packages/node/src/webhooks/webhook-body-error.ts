import { LiveDropError } from '@livedrop/core';

/** Why the webhook middleware could not get the raw body. */
export type WebhookBodyErrorCode =
  /** A body parser (`express.json()`, Fastify's JSON parser, …) consumed the body before the middleware: a setup mistake. */
  | 'webhook_body_parsed'
  /** No body and no readable stream to read one from: a setup mistake. */
  | 'webhook_body_unavailable'
  /** The body is larger than `maxBodyBytes`. */
  | 'webhook_body_too_large';

/**
 * The webhook middleware could not read the request's raw body. Signatures cover the exact
 * bytes sent, so a body that was parsed and re-serialized can never verify: the message says
 * how to mount the middleware so it sees the raw body.
 */
export class WebhookBodyError extends LiveDropError {
  override readonly name = 'WebhookBodyError';
  readonly code: WebhookBodyErrorCode;

  constructor(code: WebhookBodyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
