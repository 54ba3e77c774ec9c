export { WebhookVerificationError } from './webhook-verification-error';
export type { WebhookVerificationCode } from './webhook-verification-error';
export { signWebhook, verifyWebhook } from './verify';
export type { SignWebhookOptions, VerifyWebhookOptions, WebhookHeaders, WebhookHeadersInput } from './verify';
