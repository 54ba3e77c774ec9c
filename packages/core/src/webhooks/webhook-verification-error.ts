import { LiveDropError } from '../errors/live-drop-error';

/** Why a webhook was refused. */
export type WebhookVerificationCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing. */
  | 'webhook_headers_missing'
  /** `webhook-timestamp` is not a number or is outside the tolerance (a replay, or a skewed clock). */
  | 'webhook_timestamp_invalid'
  /** No signature matches any of the secrets: wrong secret, or a tampered body. */
  | 'webhook_signature_invalid'
  /** The signed body is not a LiveDrop event this SDK knows. */
  | 'webhook_payload_invalid';

/** A webhook delivery failed verification. Answer it with a 4xx and do not act on it. */
export class WebhookVerificationError extends LiveDropError {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationCode;

  constructor(code: WebhookVerificationCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
