import type { LiveDropEvent, WebhookDelivery } from '@livedrop/core';
import { isoTime } from '../clock';
import { newId } from '../ids';
import type { Transaction } from '../storage/transaction';
import type { Store, WebhookEndpointRecord } from '../store';

/*
 * An endpoint's queue, as records: every delivery is a `webhookDeliveries` record, and the endpoint
 * keeps the ids of those still to send in `pending`, oldest first. At most one attempt is in flight
 * per endpoint and a retrying head holds the ones behind it, so a receiver sees events in log order.
 * These functions change the queue on a transaction's working copies.
 */

/** Whether an endpoint's `eventTypes` ask for `type`. */
export function wants(endpoint: WebhookEndpointRecord, type: string): boolean {
  return endpoint.value.eventTypes.some((filter) => filter === '*' || filter === type);
}

/** Queues a new `pending` delivery of `event` behind those already waiting on `endpoint` (a working copy). */
export function enqueueDelivery(tx: Transaction, endpoint: WebhookEndpointRecord, event: LiveDropEvent): void {
  const now = isoTime(tx.now);
  const delivery: WebhookDelivery = {
    id: newId('webhookDelivery'),
    object: 'webhook_delivery',
    endpointId: endpoint.value.id,
    eventId: event.id,
    eventType: event.type,
    seq: event.seq,
    status: 'pending',
    attempts: 0,
    lastResponseStatus: null,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
  tx.put('webhookDeliveries', delivery.id, { tenantId: endpoint.tenantId, value: delivery });
  endpoint.pending.push(delivery.id);
}

/**
 * Gives up every delivery still waiting on `endpoint` (a working copy): each becomes `failed` with
 * the attempts it had, so the delivery log shows what the receiver never got (replay sends them
 * again as new deliveries).
 */
export function abandonPending(tx: Transaction, endpoint: WebhookEndpointRecord): void {
  const now = isoTime(tx.now);
  for (const id of endpoint.pending) {
    const delivery = tx.get('webhookDeliveries', id)?.value;
    if (!delivery) continue;
    delivery.status = 'failed';
    delivery.nextAttemptAt = null;
    delivery.updatedAt = now;
  }
  endpoint.pending = [];
}

/**
 * Every delivery made to endpoint `endpointId`, newest first (the order `GET …/deliveries` lists
 * them in). The store keeps records in the order they were made, so this walks it backwards.
 */
export function deliveriesNewestFirst(store: Store, endpointId: string): WebhookDelivery[] {
  const made: WebhookDelivery[] = [];
  for (const { value } of store.webhookDeliveries.values()) if (value.endpointId === endpointId) made.push(value);
  const newestFirst: WebhookDelivery[] = [];
  for (let index = made.length - 1; index >= 0; index--) newestFirst.push(made[index]!);
  return newestFirst;
}

/** Ids of every delivery made to endpoint `endpointId` (to delete them with it). */
export function deliveryIdsOf(store: Store, endpointId: string): string[] {
  const ids: string[] = [];
  for (const [id, { value }] of store.webhookDeliveries) if (value.endpointId === endpointId) ids.push(id);
  return ids;
}
