export { webhookMiddleware } from './middleware';
export type {
  FastifyReplyLike,
  NodeResponseLike,
  WebhookMiddleware,
  WebhookMiddlewareOptions,
  WebhookNext,
  WebhookRequest,
  WebhookResponse,
} from './middleware';
export { WebhookBodyError } from './webhook-body-error';
export type { WebhookBodyErrorCode } from './webhook-body-error';
