import type { WebhookDelivery } from '@livedrop/core';
import type { EventLog } from '../event-log';

/**
 * One endpoint's deliveries: every one ever made (the delivery log) and, in `seq` order, those
 * still to send. At most one attempt is in flight per endpoint and a retrying delivery holds the
 * ones behind it, so a receiver sees events in log order.
 */
export class DeliveryQueue {
  /** The log the endpoint's events come from (a reset makes new logs; this one stays the source). */
  readonly log: EventLog;
  /** True while an attempt is in flight. */
  sending = false;
  readonly #all: WebhookDelivery[] = [];
  #pending: WebhookDelivery[] = [];

  constructor(log: EventLog) {
    this.log = log;
  }

  /** Queues a delivery behind those already waiting. */
  push(delivery: WebhookDelivery): void {
    this.#all.push(delivery);
    this.#pending.push(delivery);
  }

  /** The delivery to send next, if any. */
  get head(): WebhookDelivery | undefined {
    return this.#pending[0];
  }

  /** Takes the head off the queue once it succeeded or failed for good. */
  shift(): void {
    this.#pending.shift();
  }

  /**
   * Gives up every delivery still waiting: each becomes `failed` with the attempts it had, so the
   * log shows what the receiver never got (replay sends them again as new deliveries).
   */
  abandon(nowIso: string): void {
    for (const delivery of this.#pending) {
      delivery.status = 'failed';
      delivery.nextAttemptAt = null;
      delivery.updatedAt = nowIso;
    }
    this.#pending = [];
  }

  /** Every delivery made, newest first (the order `GET …/deliveries` lists them in). */
  newestFirst(): WebhookDelivery[] {
    return [...this.#all].reverse();
  }
}
