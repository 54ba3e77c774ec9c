import * as z from 'zod/mini';
import { named } from './named';
import { Count, Timestamp, idOf } from './common';

/** An event type filter: a full type such as `livedrop.order.created`, or `*` for every event. */
export const EventTypeFilter = z
  .string()
  .check(z.regex(/^(\*|livedrop\.[a-z_]+\.[a-z_]+)$/, 'must be "*" or an event type such as "livedrop.order.created"'));

/** A URL LiveDrop delivers signed events to. */
export const WebhookEndpoint = named(
  z.strictObject({
    id: idOf('webhookEndpoint'),
    object: z.literal('webhook_endpoint'),
    url: z.string(),
    eventTypes: z.array(EventTypeFilter),
    status: z.enum(['enabled', 'disabled']),
    /** The signing secret (`whsec_…`); returned only when created or rotated. */
    secret: z.optional(z.string()),
    consecutiveFailures: Count,
    disabledAt: z.nullable(Timestamp),
    createdAt: Timestamp,
  }),
  'WebhookEndpoint',
);
/** A webhook endpoint; see {@link WebhookEndpoint}. */
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** Body of `POST /v1/webhook-endpoints`. */
export const WebhookEndpointCreate = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).check(z.maxLength(2048)),
  eventTypes: z.array(EventTypeFilter).check(z.minLength(1), z.maxLength(100)),
});
/** Body of `POST /v1/webhook-endpoints`; see {@link WebhookEndpointCreate}. */
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreate>;

/** Body of `POST /v1/webhook-endpoints/{id}/rotate-secret`: both secrets sign for the overlap. */
export const WebhookSecretRotate = z.strictObject({
  /** How long the old secret keeps signing alongside the new one. @default 86400 */
  overlapSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(604_800 /* 7 days */))),
});
/** Body of `POST /v1/webhook-endpoints/{id}/rotate-secret`; see {@link WebhookSecretRotate}. */
export type WebhookSecretRotate = z.infer<typeof WebhookSecretRotate>;

/** Body of `POST /v1/webhook-endpoints/{id}/replay`: redeliver every matching event after a `seq`. */
export const WebhookReplay = z.strictObject({ after: z.int().check(z.minimum(0)) });
/** Body of `POST /v1/webhook-endpoints/{id}/replay`; see {@link WebhookReplay}. */
export type WebhookReplay = z.infer<typeof WebhookReplay>;

/** One delivery of one event to one endpoint, with its attempts so far. */
export const WebhookDelivery = named(
  z.strictObject({
    id: idOf('webhookDelivery'),
    object: z.literal('webhook_delivery'),
    endpointId: idOf('webhookEndpoint'),
    eventId: idOf('event'),
    eventType: z.string(),
    seq: Count,
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: Count,
    lastResponseStatus: z.nullable(z.int()),
    nextAttemptAt: z.nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  'WebhookDelivery',
);
/** A webhook delivery; see {@link WebhookDelivery}. */
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
