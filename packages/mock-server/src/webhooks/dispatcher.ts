import type { LiveDropEvent, WebhookEndpoint } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { Job } from '../storage/scheduler';
import type { Transaction } from '../storage/transaction';
import type { WebhookEndpointRecord } from '../store';
import { DEFAULT_RETRY_SCHEDULE_MS, retryDelay } from './backoff';
import { abandonPending, enqueueDelivery, wants } from './delivery-queue';
import { activeSecrets } from './secrets';
import { isSuccess, sendAttempt } from './send-attempt';
import type { WebhookOptions } from './webhook-options';

export type { WebhookOptions } from './webhook-options';

/** Log events read per step when feeding an endpoint or replaying to it. */
const FEED_PAGE = 512;

/**
 * Turns a tenant's events into signed Standard Webhooks deliveries and keeps trying them
 * (`engine.webhooks`).
 *
 * Deliveries are records: each endpoint is fed from its `fedThrough` position in the log, in a
 * transaction that adds a `pending` delivery per matching event and moves `fedThrough`, so every
 * delivery's state can be listed from the store. The dispatcher follows each tenant log that has
 * enabled endpoints with `tail` and feeds them as events come, off the request path. Retries are
 * `webhook_retry` jobs on the injected clock with jittered exponential back-off; a delivery whose
 * retries run out, or too many failed attempts in a row, disable the endpoint. Attempts are not
 * events: only the endpoint's own changes (created, deleted, disabled, enabled, secret rotated) go
 * into the log.
 *
 * What it keeps itself is process-local and rebuilt from the store: which logs it follows, which
 * feeds run, and which endpoints have an attempt in flight (an attempt is this process's `fetch`;
 * with several instances the in-flight guard would have to move into the store as a lease).
 */
export class WebhookDispatcher {
  readonly #engine: Engine;
  /** Tenants whose logs are followed, with what stops each tail. */
  readonly #followers = new Map<string, AbortController>();
  /** Tenants being fed now; `again` asks the running feed for one more pass. */
  readonly #feeding = new Map<string, { again: boolean }>();
  /** Endpoints with an attempt in flight: at most one each, so a receiver sees events in log order. */
  readonly #inFlight = new Set<string>();
  /** Endpoints whose head attempt another instance leased, with when that lease lapses (wall-clock ms). */
  readonly #leasedElsewhere = new Map<string, number>();

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** The sending options in force (`engine.config.webhooks`). */
  get #options(): WebhookOptions {
    return this.#engine.config.webhooks;
  }

  /**
   * Feeds the tenant's enabled endpoints now and follows its log from here on. Call it after
   * committing an endpoint that must be fed (created, enabled again); calling it again is harmless.
   */
  follow(tenantId: string): void {
    if (!this.#followers.has(tenantId)) {
      const stop = new AbortController();
      this.#followers.set(tenantId, stop);
      void this.#tail(tenantId, stop);
    }
    this.#feed(tenantId);
  }

  /**
   * Picks up what instances sharing a store leave to each other: follows every tenant log with an
   * enabled endpoint not followed yet (made through another instance, or before this one started),
   * and tries again each head attempt another instance leased and let lapse (it may have died
   * sending it). Looks at every endpoint: the server's periodic sweep calls it, not each request.
   */
  resume(): void {
    for (const record of this.#engine.store.webhookEndpoints.values())
      if (record.value.status === 'enabled' && !this.#followers.has(record.tenantId)) this.follow(record.tenantId);
    if (this.#leasedElsewhere.size === 0) return;
    const now = Date.now();
    for (const [endpointId, lapsesAt] of this.#leasedElsewhere)
      if (lapsesAt <= now) {
        this.#leasedElsewhere.delete(endpointId);
        this.#pump(endpointId);
      }
  }

  /**
   * Queues every event after `after` that endpoint `endpointId` asks for again, in order, as new
   * deliveries. A disabled endpoint is enabled again (with a `livedrop.webhook_endpoint.enabled`
   * event): replaying is how an operator resumes after fixing the receiver.
   * @returns the endpoint as it is now, or undefined when it no longer exists
   */
  async replay(tenantId: string, endpointId: string, after: number): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.#engine.store.find(this.#engine.store.webhookEndpoints, endpointId, tenantId);
    if (!endpoint) return undefined;
    // Read before the transaction, which cannot wait; what is appended after `through` is fed live.
    const types = endpoint.value.eventTypes.includes('*')
      ? undefined
      : new Set(endpoint.value.eventTypes as LiveDropEvent['type'][]);
    const replayed: LiveDropEvent[] = [];
    let through = after;
    for (;;) {
      const page = await this.#engine.storage.events.page(tenantId, through, FEED_PAGE, types);
      replayed.push(...page.data);
      through = page.nextAfter;
      if (!page.hasMore) break;
    }
    const value = await this.#engine.transact((tx) => {
      const record = tx.get('webhookEndpoints', endpointId);
      if (!record || record.tenantId !== tenantId) return undefined;
      const reenable = record.value.status === 'disabled';
      if (reenable) {
        record.value.status = 'enabled';
        record.value.disabledAt = null;
        record.value.consecutiveFailures = 0;
      }
      for (const event of replayed) enqueueDelivery(tx, record, event);
      // The replayed range is queued: the live feed goes on after it and never queues one of its events twice.
      record.fedThrough = Math.max(record.fedThrough, through);
      // Appended after the replayed range, so the endpoint receives it once, live, not in the replay too.
      if (reenable) tx.emit(tenantId, 'livedrop.webhook_endpoint.enabled', endpointId, { endpoint: record.value });
      return record.value;
    });
    if (value) {
      this.follow(tenantId);
      this.#pump(endpointId);
    }
    return value;
  }

  /**
   * Runs a `webhook_retry` job: the next attempt of the endpoint's head delivery, unless that
   * delivery was settled, abandoned or deleted since, or an attempt is already in flight.
   * @returns whether an attempt was started
   */
  retry(job: Extract<Job, { kind: 'webhook_retry' }>): Promise<boolean> {
    const endpoint = this.#engine.store.webhookEndpoints.get(job.endpointId);
    if (!endpoint || endpoint.pending[0] !== job.deliveryId) return Promise.resolve(false);
    return Promise.resolve(this.#pump(job.endpointId));
  }

  /** Follows the tenant's log while it has enabled endpoints, feeding them after each batch. */
  async #tail(tenantId: string, stop: AbortController): Promise<void> {
    const { events } = this.#engine.storage;
    try {
      const head = await events.head(tenantId);
      // Whatever came between the first feed and the head is fed now; the tail brings the rest.
      this.#feed(tenantId);
      for await (const _batch of events.tail(tenantId, head, stop.signal)) {
        if (!this.#hasEnabledEndpoints(tenantId)) {
          stop.abort();
          break;
        }
        this.#feed(tenantId);
      }
    } catch (error) {
      console.error('[livedrop-mock] webhooks stopped following a log', error);
    } finally {
      if (this.#followers.get(tenantId) === stop) this.#followers.delete(tenantId);
      // The tail ended by itself: a reset replaced the log. Endpoints registered since follow the new one.
      if (!stop.signal.aborted && this.#hasEnabledEndpoints(tenantId)) this.follow(tenantId);
    }
  }

  #hasEnabledEndpoints(tenantId: string): boolean {
    for (const record of this.#engine.store.webhookEndpoints.values())
      if (record.tenantId === tenantId && record.value.status === 'enabled') return true;
    return false;
  }

  /** Feeds every enabled endpoint of the tenant up to the log's head; one feed per tenant at a time. */
  #feed(tenantId: string): void {
    const running = this.#feeding.get(tenantId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.#feeding.set(tenantId, state);
    void (async () => {
      try {
        while (state.again) {
          state.again = false;
          const ids: string[] = [];
          for (const [id, record] of this.#engine.store.webhookEndpoints)
            if (record.tenantId === tenantId && record.value.status === 'enabled') ids.push(id);
          for (const id of ids) await this.#feedEndpoint(tenantId, id);
        }
      } catch (error) {
        console.error('[livedrop-mock] feeding webhook endpoints failed', error);
      } finally {
        this.#feeding.delete(tenantId);
      }
    })();
  }

  /** Queues the events after the endpoint's `fedThrough` that it asks for, a page per transaction. */
  async #feedEndpoint(tenantId: string, endpointId: string): Promise<void> {
    for (;;) {
      const current = this.#engine.store.webhookEndpoints.get(endpointId);
      if (current?.value.status !== 'enabled') return;
      const from = current.fedThrough;
      const batch = await this.#engine.storage.events.read(tenantId, from, FEED_PAGE);
      const last = batch.at(-1);
      if (!last) return;
      const fed = await this.#engine.transact((tx) => {
        const record = tx.get('webhookEndpoints', endpointId);
        // Fed meanwhile (a replay moved it), disabled or gone: the next turn starts from where it stands.
        if (record?.value.status !== 'enabled' || record.fedThrough !== from) return false;
        for (const { event } of batch) if (wants(record, event.type)) enqueueDelivery(tx, record, event);
        record.fedThrough = last.event.seq;
        return true;
      });
      if (fed) this.#pump(endpointId);
      if (fed && batch.length < FEED_PAGE) return;
    }
  }

  /**
   * Starts an attempt at the endpoint's head delivery if nothing is in flight and it is due (a
   * retrying head waits for its `webhook_retry` job). Answers whether it started one.
   */
  #pump(endpointId: string): boolean {
    if (this.#inFlight.has(endpointId)) return false;
    const { store } = this.#engine;
    const endpoint = store.webhookEndpoints.get(endpointId);
    if (endpoint?.value.status !== 'enabled') return false;
    const headId = endpoint.pending[0];
    const delivery = headId === undefined ? undefined : store.webhookDeliveries.get(headId)?.value;
    if (delivery?.status !== 'pending') return false;
    if (delivery.nextAttemptAt !== null && Date.parse(delivery.nextAttemptAt) > this.#engine.clock.now()) return false;
    this.#inFlight.add(endpointId);
    void this.#attempt(endpoint, delivery.id, delivery.seq, delivery.eventId)
      .catch((error: unknown) => {
        console.error('[livedrop-mock] a webhook attempt failed to settle', error);
        return false;
      })
      .then((next) => {
        this.#inFlight.delete(endpointId);
        if (next) this.#pump(endpointId);
      });
    return true;
  }

  /** One attempt and its outcome; resolves to true when the next delivery may go at once. */
  async #attempt(endpoint: WebhookEndpointRecord, deliveryId: string, seq: number, eventId: string): Promise<boolean> {
    const [stored] = await this.#engine.storage.events.read(endpoint.tenantId, seq - 1, 1);
    // The log was replaced (a reset) since the delivery was made: there is nothing left to send.
    if (!stored || stored.event.id !== eventId) return false;
    // Instances sharing a store each follow the log: this attempt is sent by the one that leases it.
    const attempts = this.#engine.store.webhookDeliveries.get(deliveryId)?.value.attempts ?? 0;
    const leaseMs = (this.#options.attemptTimeoutMs ?? 5_000) + 5_000;
    const leased = this.#engine.storage.lease?.(endpoint.tenantId, `webhook ${deliveryId} ${attempts}`, leaseMs);
    if (leased && !(await leased)) {
      // Another instance sends it; should that one die mid-send, `resume` tries once its lease lapses.
      this.#leasedElsewhere.set(endpoint.value.id, Date.now() + leaseMs);
      return false;
    }
    const secrets = activeSecrets(endpoint, this.#engine.clock.now());
    const status = await sendAttempt({ url: endpoint.value.url, body: stored.text, eventId, secrets }, this.#options);
    return this.#settle(endpoint.value.id, deliveryId, status);
  }

  /** Records an attempt's outcome and what comes next: the next delivery, a retry job, or disabling. */
  #settle(endpointId: string, deliveryId: string, status: number | null): Promise<boolean> {
    const options = this.#options;
    // Drawn before the transaction, so the transition itself is deterministic.
    const dice = (options.random ?? Math.random)();
    const schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    const maxFailures = options.maxConsecutiveFailures ?? 10;
    return this.#engine.transact((tx) => {
      const endpoint = tx.get('webhookEndpoints', endpointId);
      const delivery = tx.get('webhookDeliveries', deliveryId)?.value;
      // Deleted, reset, disabled or abandoned while in flight: the attempt no longer belongs to anything.
      if (
        !endpoint ||
        !delivery ||
        endpoint.value.status !== 'enabled' ||
        endpoint.pending[0] !== deliveryId ||
        delivery.status !== 'pending'
      )
        return false;
      delivery.attempts += 1;
      delivery.lastResponseStatus = status;
      delivery.updatedAt = isoTime(tx.now);
      if (isSuccess(status)) {
        delivery.status = 'succeeded';
        delivery.nextAttemptAt = null;
        endpoint.value.consecutiveFailures = 0;
        endpoint.pending.shift();
        return true;
      }
      endpoint.value.consecutiveFailures += 1;
      const delay = retryDelay(delivery.attempts, schedule, () => dice);
      if (delay === null || endpoint.value.consecutiveFailures >= maxFailures) {
        delivery.status = 'failed';
        delivery.nextAttemptAt = null;
        endpoint.pending.shift();
        disable(tx, endpoint);
        return false;
      }
      delivery.nextAttemptAt = isoTime(tx.now + delay);
      tx.schedule(tx.now + delay, { kind: 'webhook_retry', tenantId: endpoint.tenantId, endpointId, deliveryId });
      return false;
    });
  }
}

/** Disables `endpoint` (a working copy), gives up what it still had to send, and says so in the log. */
function disable(tx: Transaction, endpoint: WebhookEndpointRecord): void {
  endpoint.value.status = 'disabled';
  endpoint.value.disabledAt = isoTime(tx.now);
  abandonPending(tx, endpoint);
  tx.emit(endpoint.tenantId, 'livedrop.webhook_endpoint.disabled', endpoint.value.id, { endpoint: endpoint.value });
}

/**
 * Runs a due `webhook_retry` job (called by the engine's job runner): the next attempt of the
 * endpoint's head delivery, sent off the sweep (the sweep does not wait for the receiver).
 * @returns true if an attempt was started, false when the job was stale
 */
export function retryDelivery(engine: Engine, job: Extract<Job, { kind: 'webhook_retry' }>): Promise<boolean> {
  return engine.webhooks.retry(job);
}

/**
 * Sets how an engine sends webhooks (`engine.config.webhooks`): the `fetch` to use, the attempt
 * timeout, the retry schedule. Unset options fall back to their defaults.
 * @example
 * configureWebhooks(server.engine, { fetch: myFetch, retryScheduleMs: [1_000, 5_000] });
 */
export function configureWebhooks(engine: Engine, options: WebhookOptions): void {
  engine.config.webhooks = { ...options };
}
