import type { WebhookEndpoint } from '@livedrop/core';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { WebhookEndpointRecord } from '../store';
import { webhooksOf } from '../webhooks/dispatcher';
import { assertDeliverableUrl } from '../webhooks/endpoint-url';
import { newWebhookSecret, rotateSecrets } from '../webhooks/secrets';
import { paginate } from './paginate';

/** How long an old secret keeps signing after a rotation when the request names no overlap. */
const DEFAULT_OVERLAP_SECONDS = 86_400;

function findEndpoint(engine: Engine, tenantId: string, id: string): WebhookEndpointRecord {
  const record = engine.store.find(engine.store.webhookEndpoints, id, tenantId);
  if (!record) throw notFound('webhook endpoint', id);
  return record;
}

/** The endpoint as the API shows it, with `secret` only where the caller must learn it. */
const withSecret = (endpoint: WebhookEndpoint, secret: string): WebhookEndpoint => ({ ...endpoint, secret });

/**
 * Webhook endpoints: register, remove, read the delivery log, replay from a cursor, rotate the
 * secret. Sending and retrying live in `webhooks/dispatcher.ts`. The secret is shown only when an
 * endpoint is created or its secret rotated; events about an endpoint never carry it.
 */
export const webhookHandlers = {
  createWebhookEndpoint({ engine, principal, body }) {
    assertDeliverableUrl(body.url);
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpoint = {
      id: newId('webhookEndpoint'),
      object: 'webhook_endpoint',
      url: body.url,
      eventTypes: body.eventTypes,
      status: 'enabled',
      consecutiveFailures: 0,
      disabledAt: null,
      createdAt: engine.nowIso(),
    };
    const record: WebhookEndpointRecord = { tenantId: principal.tenantId, value: endpoint, secrets: [{ secret, expiresAt: null }] };
    engine.store.webhookEndpoints.set(endpoint.id, record);
    // Registered before the event is appended, so a `*` endpoint receives its own `created` event: a first delivery that proves the receiver works.
    webhooksOf(engine).register(record);
    engine.emit(principal.tenantId, 'livedrop.webhook_endpoint.created', endpoint.id, { endpoint });
    return created(withSecret(endpoint, secret));
  },

  listWebhookEndpoints({ engine, principal, query }) {
    const endpoints = [...engine.store.webhookEndpoints.values()].filter((record) => record.tenantId === principal.tenantId).map((record) => record.value);
    return ok(paginate(endpoints, query));
  },

  getWebhookEndpoint({ engine, principal, params }) {
    return ok(findEndpoint(engine, principal.tenantId, params.id).value);
  },

  deleteWebhookEndpoint({ engine, principal, params }) {
    const record = findEndpoint(engine, principal.tenantId, params.id);
    webhooksOf(engine).unregister(record);
    engine.store.webhookEndpoints.delete(record.value.id);
    engine.emit(principal.tenantId, 'livedrop.webhook_endpoint.deleted', record.value.id, { endpoint: record.value });
    return ok(record.value);
  },

  listWebhookDeliveries({ engine, principal, params, query }) {
    const record = findEndpoint(engine, principal.tenantId, params.id);
    return ok(paginate(webhooksOf(engine).deliveries(record), query));
  },

  replayWebhookEndpoint({ engine, principal, params, body }) {
    const record = findEndpoint(engine, principal.tenantId, params.id);
    const head = engine.log(principal.tenantId).headSeq;
    if (body.after > head) {
      // A cursor past the head is a mistake (another tenant's seq, or one from before a reset); replaying nothing would hide it.
      const message = `"after" is ${body.after}, beyond the last event of this log (seq ${head}); pass a seq you received, or 0 to replay everything.`;
      throw new ApiProblem('validation_failed', `The request body is invalid: ${message}`, { errors: [{ path: 'after', code: 'too_big', message }] });
    }
    webhooksOf(engine).replay(record, body.after);
    return ok(record.value);
  },

  rotateWebhookSecret({ engine, principal, params, body }) {
    const record = findEndpoint(engine, principal.tenantId, params.id);
    const secret = newWebhookSecret();
    rotateSecrets(record, secret, engine.clock.now(), (body.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000);
    engine.emit(principal.tenantId, 'livedrop.webhook_endpoint.secret_rotated', record.value.id, { endpoint: record.value });
    return ok(withSecret(record.value, secret));
  },
} satisfies Handlers;
