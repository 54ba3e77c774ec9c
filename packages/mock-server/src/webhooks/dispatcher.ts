import { signWebhook, type LiveDropEvent, type WebhookDelivery } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { EventLog } from '../event-log';
import { newId } from '../ids';
import type { WebhookEndpointRecord } from '../store';
import { DEFAULT_RETRY_SCHEDULE_MS, retryDelay } from './backoff';
import { DeliveryQueue } from './delivery-queue';
import { activeSecrets } from './secrets';

/** How the reference server sends webhooks. Every option has a default that behaves like production. */
export interface WebhookOptions {
  /**
   * Sends one attempt. Tests may pass a fake; the default is read at send time, so msw's
   * interception of `globalThis.fetch` applies.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /** Real time one attempt may take before it counts as failed (a network timeout, not business time). @default 5000 */
  attemptTimeoutMs?: number;
  /** Delay before each retry, on the injected clock, before jitter. @default {@link DEFAULT_RETRY_SCHEDULE_MS} */
  retryScheduleMs?: readonly number[];
  /** Failed attempts in a row (across deliveries) that disable an endpoint. @default 10 */
  maxConsecutiveFailures?: number;
  /** The dice of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** 2xx is the only success: a redirect or an error page is not the receiver taking the event. */
const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** Whether an endpoint's `eventTypes` ask for `type`. */
function wants(record: WebhookEndpointRecord, type: string): boolean {
  return record.value.eventTypes.some((filter) => filter === '*' || filter === type);
}

/**
 * Turns a tenant's events into signed Standard Webhooks deliveries and keeps trying them.
 *
 * It listens to each tenant's event log from the first endpoint on; every matching event becomes a
 * `pending` delivery, sent off the request path (a microtask after the event is appended). Retries
 * wait on the injected clock with jittered exponential back-off; a delivery whose retries run out,
 * or too many failed attempts in a row, disable the endpoint. Attempts are not events: only the
 * endpoint's own changes (created, deleted, disabled, secret rotated) go into the log.
 */
export class WebhookDispatcher {
  readonly #engine: Engine;
  #options: WebhookOptions = {};
  /** Endpoints listening on each log; keyed by the log so a reset (new logs) starts afresh. */
  readonly #listeners = new WeakMap<EventLog, Set<WebhookEndpointRecord>>();
  readonly #queues = new WeakMap<WebhookEndpointRecord, DeliveryQueue>();

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Replaces the sending options (unset ones fall back to their defaults). */
  configure(options: WebhookOptions): void {
    this.#options = { ...options };
  }

  /** Starts delivering the tenant's future events to `record` (call before emitting its `created` event). */
  register(record: WebhookEndpointRecord): void {
    const log = this.#engine.log(record.tenantId);
    let endpoints = this.#listeners.get(log);
    if (!endpoints) {
      const listening = new Set<WebhookEndpointRecord>();
      endpoints = listening;
      this.#listeners.set(log, listening);
      log.subscribe((event) => this.#onEvent(listening, event));
    }
    endpoints.add(record);
    this.#queues.set(record, new DeliveryQueue(log));
  }

  /** Stops every delivery to `record`, pending ones included. */
  unregister(record: WebhookEndpointRecord): void {
    const queue = this.#queues.get(record);
    if (!queue) return;
    this.#listeners.get(queue.log)?.delete(record);
    queue.abandon(this.#engine.nowIso());
  }

  /** The endpoint's deliveries, newest first. */
  deliveries(record: WebhookEndpointRecord): WebhookDelivery[] {
    return this.#queues.get(record)?.newestFirst() ?? [];
  }

  /**
   * Queues every matching event with `seq > after` again, in order, as new deliveries. A disabled
   * endpoint is enabled again: replaying is how an operator resumes after fixing the receiver.
   */
  replay(record: WebhookEndpointRecord, after: number): void {
    const queue = this.#queues.get(record);
    if (!queue) return;
    const endpoint = record.value;
    const reenable = endpoint.status === 'disabled';
    if (reenable) {
      endpoint.status = 'enabled';
      endpoint.disabledAt = null;
      endpoint.consecutiveFailures = 0;
    }
    let cursor = after;
    for (;;) {
      const page = queue.log.page(cursor, 1000);
      for (const event of page.data) if (wants(record, event.type)) queue.push(this.#newDelivery(record, event));
      cursor = page.nextAfter;
      if (!page.hasMore) break;
    }
    // Appended after the replayed range, so the endpoint receives it once, live, not in the replay too.
    if (reenable) this.#engine.emit(record.tenantId, 'livedrop.webhook_endpoint.enabled', endpoint.id, { endpoint });
    queueMicrotask(() => this.#pump(record, queue));
  }

  #onEvent(endpoints: ReadonlySet<WebhookEndpointRecord>, event: LiveDropEvent): void {
    for (const record of endpoints) {
      const queue = this.#queues.get(record);
      if (!queue || record.value.status !== 'enabled' || !wants(record, event.type)) continue;
      queue.push(this.#newDelivery(record, event));
      // The event is appended inside a request (often inside the ledger's critical section): send after it.
      queueMicrotask(() => this.#pump(record, queue));
    }
  }

  #newDelivery(record: WebhookEndpointRecord, event: LiveDropEvent): WebhookDelivery {
    const now = this.#engine.nowIso();
    return {
      id: newId('webhookDelivery'),
      object: 'webhook_delivery',
      endpointId: record.value.id,
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
  }

  /** True while `record` is the stored endpoint (not deleted, not lost to a reset) and enabled. */
  #live(record: WebhookEndpointRecord): boolean {
    return this.#engine.store.webhookEndpoints.get(record.value.id) === record && record.value.status === 'enabled';
  }

  /** Sends the head of the queue if nothing is in flight and it is due; its retry timer calls back otherwise. */
  #pump(record: WebhookEndpointRecord, queue: DeliveryQueue): void {
    const head = queue.head;
    if (queue.sending || !head || !this.#live(record)) return;
    if (head.nextAttemptAt !== null && Date.parse(head.nextAttemptAt) > this.#engine.clock.now()) return;
    queue.sending = true;
    void this.#send(record, queue, head).then((status) => {
      queue.sending = false;
      this.#settle(record, queue, head, status);
    });
  }

  /** One attempt; resolves to the response status, or null when no response came (refused, timed out). */
  async #send(record: WebhookEndpointRecord, queue: DeliveryQueue, delivery: WebhookDelivery): Promise<number | null> {
    try {
      const body = queue.log.serializedAt(delivery.seq)!;
      const secrets = activeSecrets(record, this.#engine.clock.now());
      // The one place the server reads the wall clock: receivers compare webhook-timestamp with theirs.
      const signed = await signWebhook(body, { id: delivery.eventId, secret: secrets, now: Date.now() });
      const send = this.#options.fetch ?? globalThis.fetch;
      const response = await send(record.value.url, {
        method: 'POST',
        headers: { ...signed, 'content-type': 'application/json', 'user-agent': 'livedrop-reference-server' },
        body,
        // A redirect is an answer, not a success: following it could hand a signed event to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.attemptTimeoutMs ?? 5_000),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status === 0 ? null : response.status;
    } catch {
      return null;
    }
  }

  /** Records an attempt's outcome and decides what comes next: the next delivery, a retry, or disabling. */
  #settle(record: WebhookEndpointRecord, queue: DeliveryQueue, delivery: WebhookDelivery, status: number | null): void {
    // Deleted, reset or abandoned while in flight: the attempt no longer belongs to anything.
    if (!this.#live(record) || queue.head !== delivery) return;
    const now = this.#engine.clock.now();
    delivery.attempts += 1;
    delivery.lastResponseStatus = status;
    delivery.updatedAt = isoTime(now);
    const endpoint = record.value;
    if (isSuccess(status)) {
      delivery.status = 'succeeded';
      delivery.nextAttemptAt = null;
      endpoint.consecutiveFailures = 0;
      queue.shift();
      this.#pump(record, queue);
      return;
    }
    endpoint.consecutiveFailures += 1;
    const delay = retryDelay(delivery.attempts, this.#options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS, this.#options.random ?? Math.random);
    if (delay === null || endpoint.consecutiveFailures >= (this.#options.maxConsecutiveFailures ?? 10)) {
      delivery.status = 'failed';
      delivery.nextAttemptAt = null;
      queue.shift();
      this.#disable(record, queue);
      return;
    }
    delivery.nextAttemptAt = isoTime(now + delay);
    this.#engine.timers.schedule(now + delay, () => this.#pump(record, queue));
  }

  #disable(record: WebhookEndpointRecord, queue: DeliveryQueue): void {
    const endpoint = record.value;
    endpoint.status = 'disabled';
    endpoint.disabledAt = this.#engine.nowIso();
    queue.abandon(endpoint.disabledAt);
    this.#engine.emit(record.tenantId, 'livedrop.webhook_endpoint.disabled', endpoint.id, { endpoint });
  }
}

const dispatchers = new WeakMap<Engine, WebhookDispatcher>();

/** The webhook dispatcher of an engine, made on first use. */
export function webhooksOf(engine: Engine): WebhookDispatcher {
  let dispatcher = dispatchers.get(engine);
  if (!dispatcher) {
    dispatcher = new WebhookDispatcher(engine);
    dispatchers.set(engine, dispatcher);
  }
  return dispatcher;
}

/**
 * Sets how an engine sends webhooks: the `fetch` to use, the attempt timeout, the retry schedule.
 * @example
 * configureWebhooks(server.engine, { fetch: myFetch, retryScheduleMs: [1_000, 5_000] });
 */
export function configureWebhooks(engine: Engine, options: WebhookOptions): void {
  webhooksOf(engine).configure(options);
}
