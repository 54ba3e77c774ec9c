import type { WebhookEndpoint } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { Transaction } from '../storage/transaction';
import type { WebhookEndpointRecord } from '../store';
import { deliveriesNewestFirst, deliveryIdsOf } from '../webhooks/delivery-queue';
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

/** The working copy of endpoint `id` in `tx` if `tenantId` owns it (it may have gone since it was found). */
function endpointIn(tx: Transaction, tenantId: string, id: string): WebhookEndpointRecord {
  const record = tx.get('webhookEndpoints', id);
  if (!record || record.tenantId !== tenantId) throw notFound('webhook endpoint', id);
  return record;
}

/** The endpoint as the API shows it, with `secret` only where the caller must learn it. */
const withSecret = (endpoint: WebhookEndpoint, secret: string): WebhookEndpoint => ({ ...endpoint, secret });

/**
 * Webhook endpoints: register, remove, read the delivery log, replay from a cursor, rotate the
 * secret. Feeding, sending and retrying live in `webhooks/dispatcher.ts`. The secret is shown only
 * when an endpoint is created or its secret rotated; events about an endpoint never carry it.
 */
export const webhookHandlers = {
  async createWebhookEndpoint({ engine, principal, body }) {
    assertDeliverableUrl(body.url, engine.config.webhooks);
    const { tenantId } = principal;
    const secret = newWebhookSecret();
    // Fed from the log's position before it exists: its own `created` event comes after, so a `*`
    // endpoint receives it (a first delivery that proves the receiver works). Events committed
    // while this request waits are concurrent with the creation and may be delivered too.
    const fedThrough = await engine.storage.events.head(tenantId);
    const endpoint = await engine.transact((tx) => {
      const value: WebhookEndpoint = {
        id: newId('webhookEndpoint'),
        object: 'webhook_endpoint',
        url: body.url,
        eventTypes: body.eventTypes,
        status: 'enabled',
        consecutiveFailures: 0,
        disabledAt: null,
        createdAt: isoTime(tx.now),
      };
      tx.put('webhookEndpoints', value.id, {
        tenantId,
        value,
        secrets: [{ secret, expiresAt: null }],
        pending: [],
        fedThrough,
      });
      tx.emit(tenantId, 'livedrop.webhook_endpoint.created', value.id, { endpoint: value });
      return value;
    });
    engine.webhooks.follow(tenantId);
    return created(withSecret(endpoint, secret));
  },

  listWebhookEndpoints({ engine, principal, query }) {
    const endpoints = [...engine.store.webhookEndpoints.values()]
      .filter((record) => record.tenantId === principal.tenantId)
      .map((record) => record.value);
    return ok(paginate(endpoints, query));
  },

  getWebhookEndpoint({ engine, principal, params }) {
    return ok(findEndpoint(engine, principal.tenantId, params.id).value);
  },

  async deleteWebhookEndpoint({ engine, principal, params }) {
    const { tenantId } = principal;
    const found = findEndpoint(engine, tenantId, params.id);
    // Listed before the transaction (a transition reads only its records); any made since are in `pending`.
    const made = deliveryIdsOf(engine.store, found.value.id);
    const endpoint = await engine.transact((tx) => {
      const record = endpointIn(tx, tenantId, params.id);
      // Its deliveries go with it, pending retries included: nothing can list or send them any more.
      for (const id of new Set([...made, ...record.pending])) tx.delete('webhookDeliveries', id);
      tx.delete('webhookEndpoints', record.value.id);
      tx.emit(tenantId, 'livedrop.webhook_endpoint.deleted', record.value.id, { endpoint: record.value });
      return record.value;
    });
    return ok(endpoint);
  },

  listWebhookDeliveries({ engine, principal, params, query }) {
    const record = findEndpoint(engine, principal.tenantId, params.id);
    return ok(paginate(deliveriesNewestFirst(engine.store, record.value.id), query));
  },

  async replayWebhookEndpoint({ engine, principal, params, body }) {
    const { tenantId } = principal;
    findEndpoint(engine, tenantId, params.id);
    const head = await engine.storage.events.head(tenantId);
    if (body.after > head) {
      // A cursor past the head is a mistake (another tenant's seq, or one from before a reset); replaying nothing would hide it.
      const message = `"after" is ${body.after}, beyond the last event of this log (seq ${head}); pass a seq you received, or 0 to replay everything.`;
      throw new ApiProblem('validation_failed', `The request body is invalid: ${message}`, {
        errors: [{ path: 'after', code: 'too_big', message }],
      });
    }
    const endpoint = await engine.webhooks.replay(tenantId, params.id, body.after);
    if (!endpoint) throw notFound('webhook endpoint', params.id);
    return ok(endpoint);
  },

  async rotateWebhookSecret({ engine, principal, params, body }) {
    const { tenantId } = principal;
    findEndpoint(engine, tenantId, params.id);
    const secret = newWebhookSecret();
    const overlapMs = (body.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000;
    const endpoint = await engine.transact((tx) => {
      const record = endpointIn(tx, tenantId, params.id);
      rotateSecrets(record, secret, tx.now, overlapMs);
      tx.emit(tenantId, 'livedrop.webhook_endpoint.secret_rotated', record.value.id, { endpoint: record.value });
      return record.value;
    });
    return ok(withSecret(endpoint, secret));
  },
} satisfies Handlers;
