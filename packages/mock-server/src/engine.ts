import type { ApiKeyRole, EventType, FaultsControl } from '@livedrop/core';
import { bearer, keyIdOf, keyPrefix, type Principal } from './auth';
import { createOffsetClock, createSharedOffsetClock, isoTime, systemClock, type ManualClock } from './clock';
import { Workspaces } from './workspaces';
import { DashboardProjection } from './domain/dashboard-projection';
import { runJob } from './domain/jobs';
import { ViewCache } from './domain/public-cache';
import { creatorTrust } from './domain/trust';
import { FaultInjector } from './faults';
import type { EventData, HashFn } from './event-log';
import { newId, randomToken } from './ids';
import { defaultModeration, type ModerateOffer } from './moderation';
import { resolveEngineConfig, type EngineConfig, type EngineSettings } from './engine-config';
import type { RateLimitOptions } from './rate-limit/config';
import { RateLimiter } from './rate-limit/rate-limiter';
import { StreamHub } from './realtime/stream-hub';
import { sha256Hex } from './sha256';
import { webCryptoVerifyEd25519, type SignatureVerifier } from './signature-verifier';
import { TenantSigningKeys } from './signing-keys';
import { INITIAL_CONTROL_STATE, type ControlState, type ControlStateStore } from './storage/control-state';
import type { IdempotencyStore } from './storage/idempotency-store';
import { MemoryStorage } from './storage/memory/memory-storage';
import type { Storage } from './storage/storage';
import type { Transaction } from './storage/transaction';
import type { Store } from './store';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { EventRetention } from './event-retention';
import { journalStoreOf, type JournalOptions } from './journal/journal-options';
import type { JournalStore } from './storage/journal-store';

/** Options of the reference server's engine. Every one has a default that behaves like production. */
export interface EngineOptions extends EngineSettings {
  /**
   * The clock every TTL and delay reads. Pass a manual clock to move time only through the
   * control API or `clock.advance()`.
   * @default a clock that follows the wall clock and can be moved ahead
   */
  clock?: ManualClock;
  /**
   * Where the engine keeps its state. Pass a storage built on this engine's clock; the default
   * keeps everything in this process's memory.
   * @default a {@link MemoryStorage} on the engine's clock
   */
  storage?: (context: { clock: ManualClock; hash: HashFn; source: string }) => Storage;
  /** The moderation hook called with every new offer and every edit of its content. @default {@link defaultModeration} */
  moderate?: ModerateOffer;
  /** SHA-256 for the event hash chain (the Node transport passes `node:crypto`'s). @default a portable implementation */
  hash?: HashFn;
  /** Ed25519 verification of offer tokens (the Node transport passes `node:crypto`'s). @default WebCrypto */
  verifySignature?: SignatureVerifier;
  /** The CloudEvents `source` of every event. @default '/livedrop/reference' */
  source?: string;
  /** The control key; generated when absent. */
  controlKey?: string;
  /**
   * Rate limits and bot controls: token buckets per API key and per buyer, per route, and the
   * velocity check on token issuance; `false` turns them all off. See `docs/rate-limits.md`.
   * @default per-buyer buckets on token issuance and reservations and the velocity check (`DEFAULT_RATE_LIMITS`); no per-key limits
   */
  rateLimits?: RateLimitOptions | false;
  /**
   * The request journal (`GET /__control/requests`): every request answered but control calls, in a
   * bounded ring; `false` turns it off. See `docs/testing.md`.
   * @default on, keeping the newest 1000 requests in memory
   */
  journal?: JournalOptions | false;
}

/** The test keys of one tenant, as the CLI prints them. */
export interface TenantKeys {
  readonly tenantId: string;
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly creatorKey: string;
  readonly moderatorKey: string;
  /** The creator the creator key speaks for. */
  readonly creatorId: string;
}

/** What a run of due jobs did. */
export interface JobsRun {
  /** Jobs that changed something (stale ones found nothing to do and are not counted). */
  readonly ran: number;
  /** Holds that lapsed. */
  readonly expired: number;
}

/** How long a claimed job is leased to this engine before another may run it. */
const JOB_LEASE_MS = 30_000;
/** Jobs claimed per round trip to the scheduler. */
const JOB_BATCH = 256;

/**
 * The state and services every handler works with. One engine is one reference server; its whole
 * state is listed here: the {@link Storage} (records, transactions, event logs, scheduler), the
 * resolved {@link EngineConfig}, and the services that follow the logs (streams, webhooks,
 * dashboards, cached views). Transports only move requests in and responses out.
 */
export class Engine {
  readonly clock: ManualClock;
  readonly storage: Storage;
  /** Every setting in force, defaults applied: one object, read by every part of the server. */
  readonly config: EngineConfig;
  /** Idempotency keys: in-flight leases and stored responses (the storage's). */
  readonly idempotency: IdempotencyStore;
  /** Rate limits and bot controls, on this engine's clock, counted in the storage. */
  readonly rateLimits: RateLimiter;
  /** The control state every instance shares: clock offset, faults, reset epoch (the storage's). */
  readonly control: ControlStateStore;
  /** The request journal; null when the `journal` option turned it off. */
  readonly journal: JournalStore | null;
  /** The dice that decide which requests the faults hit. */
  readonly faultDice: FaultInjector;
  /** Offer-token signing keys, one keyring per tenant. */
  readonly signing: TenantSigningKeys;
  readonly moderate: ModerateOffer;
  /** The control key: the option's, or one made at start (on a shared store, the first instance's). */
  controlKey: string;
  /** Verifies offer-token signatures. */
  readonly verifySignature: SignatureVerifier;
  /** SHA-256 as lowercase hex: the event chain's and the idempotency fingerprint's. */
  readonly hash: HashFn;
  /** SSE streams, each channel following one log. */
  readonly streams: StreamHub;
  /** Webhook deliveries, following each log that has endpoints. */
  readonly webhooks: WebhookDispatcher;
  /** Creator dashboards, folded from each log. */
  readonly dashboards: DashboardProjection;
  /** Serialized views, valid while their log has not moved. */
  readonly views = new ViewCache();
  /** The event logs' retention (`config.eventRetention`), applied after writes. */
  readonly eventRetention: EventRetention = new EventRetention(this);
  /** The tenant whose keys the CLI prints. */
  defaultTenant!: TenantKeys;
  /**
   * Sends a request through the full pipeline (auth, validation, idempotency); set by the server.
   * Fixtures use it so seeded objects are made exactly as API calls make them.
   */
  dispatch: (request: Request) => Promise<Response> = () =>
    Promise.reject(new Error('The engine is not attached to a server.'));
  /** The server's workspaces (set by the server, as {@link dispatch} is); none until then. */
  workspaces: Workspaces = new Workspaces(
    () => {
      throw new Error('The engine is not attached to a server.');
    },
    systemClock,
    0,
  );
  /** Writes started outside a request (tenants made by {@link createTenant}); requests wait for them. */
  #writes: Promise<unknown> = Promise.resolve();

  /** This instance's copy of the control state, refreshed by {@link Engine.syncControl}. */
  #control: ControlState = INITIAL_CONTROL_STATE;
  /** False until the first read of the control state, which adopts its epoch without a reset. */
  #controlRead = false;

  constructor(options: EngineOptions = {}) {
    // The base clock plus the offset the control API keeps in the shared control state.
    this.clock = createSharedOffsetClock(options.clock ?? createOffsetClock(), () => this.#control.clockOffsetMs);
    this.config = resolveEngineConfig(options);
    const hash = options.hash ?? sha256Hex;
    this.hash = hash;
    const source = options.source ?? '/livedrop/reference';
    this.storage = options.storage
      ? options.storage({ clock: this.clock, hash, source })
      : new MemoryStorage({ clock: this.clock, hash, source });
    this.idempotency = this.storage.idempotency;
    this.rateLimits = new RateLimiter(this.clock, options.rateLimits, this.storage.rateLimits);
    this.control = this.storage.control;
    this.faultDice = new FaultInjector(this.control);
    this.journal = journalStoreOf(options.journal, this.storage.journal?.bind(this.storage));
    this.signing = new TenantSigningKeys(this);
    this.moderate = options.moderate ?? defaultModeration;
    this.controlKey = options.controlKey ?? `ctl_test_${randomToken(24)}`;
    this.verifySignature = options.verifySignature ?? webCryptoVerifyEd25519;
    this.streams = new StreamHub(this);
    this.webhooks = new WebhookDispatcher(this);
    this.dashboards = new DashboardProjection(this);
    // A shared store loads first; of several instances on it, the first to start makes the test tenant.
    const opened = this.storage.open?.();
    if (opened) this.#afterWrites(() => opened);
    this.defaultTenant = this.createTenant('Test Platform', undefined, true);
    // Adopt the shared control state as it is now: a clock offset and faults set through other
    // instances hold here too; their past resets are not replayed.
    this.#afterWrites(() => this.syncControl());
  }

  /** The committed records (read them; change them only in {@link transact}). */
  get store(): Store {
    return this.storage.records;
  }

  /** Runs `transition` atomically on the engine's storage: its records, events and jobs commit together. */
  async transact<R>(transition: (tx: Transaction) => R): Promise<R> {
    const result = await this.storage.transact(transition);
    this.eventRetention.afterWrite();
    return result;
  }

  /** Appends one event that records something with no record to change (a token issued, a key rotated). */
  record<T extends EventType>(tenantId: string, type: T, subject: string, data: EventData<T>): Promise<void> {
    return this.transact((tx) => tx.emit(tenantId, type, subject, data));
  }

  /** Resolves once the writes started outside requests (new tenants) are committed. */
  ready(): Promise<unknown> {
    return this.#writes;
  }

  /**
   * Runs every job due on the clock (expiries, settlements, offer ends, warm-ups, webhook retries),
   * each claimed with a lease so that engines sharing a store run it once.
   */
  async sweep(): Promise<JobsRun> {
    let ran = 0;
    let expired = 0;
    for (;;) {
      const claims = await this.storage.scheduler.claimDue(this.clock.now(), JOB_LEASE_MS, JOB_BATCH);
      if (claims.length === 0) break;
      for (const claim of claims) {
        try {
          if (await runJob(this, claim.job)) {
            ran++;
            if (claim.job.kind === 'hold_expiry') expired++;
          }
        } catch (error) {
          // A job that fails is a bug; it must not stop the jobs behind it or run forever.
          console.error('[livedrop-mock] a scheduled job failed', claim.job, error);
        }
        await this.storage.scheduler.complete(claim);
      }
    }
    return { ran, expired };
  }

  /** The current time as an RFC 3339 timestamp. */
  nowIso(): string {
    return isoTime(this.clock.now());
  }

  /** The caller named by an `Authorization` header, or undefined when absent or unknown. */
  principalOf(authorization: string | null): Principal | undefined {
    const key = bearer(authorization);
    return key === undefined ? undefined : this.store.apiKeys.get(key);
  }

  /**
   * Creates a tenant with one key of each role and the creator its creator key speaks for. The keys
   * are returned at once; the tenant is committed before the next request is served.
   * @example const keys = engine.createTenant('Other Platform');
   */
  createTenant(name: string, reuse?: TenantKeys, claimDefault = false): TenantKeys {
    const tenantId = reuse?.tenantId ?? `ten_${randomToken(12)}`;
    const creatorId = reuse?.creatorId ?? newId('creator');
    const key = (role: ApiKeyRole, reused: string | undefined) => reused ?? `${keyPrefix(role)}${randomToken(24)}`;
    const keys: TenantKeys = {
      tenantId,
      secretKey: key('platform', reuse?.secretKey),
      publishableKey: key('publishable', reuse?.publishableKey),
      creatorKey: key('creator', reuse?.creatorKey),
      moderatorKey: key('moderator', reuse?.moderatorKey),
      creatorId,
    };
    const creator = {
      id: creatorId,
      object: 'creator' as const,
      handle: 'house_creator',
      displayName: `${name} house creator`,
      verified: true,
      trust: creatorTrust([], this.clock.now()),
      createdAt: this.nowIso(),
    };
    const principals: [string, ApiKeyRole, string | null][] = [
      [keys.secretKey, 'platform', null],
      [keys.publishableKey, 'publishable', null],
      [keys.creatorKey, 'creator', creatorId],
      [keys.moderatorKey, 'moderator', null],
    ];
    this.#afterWrites(async () => {
      if (claimDefault && this.storage.claimDefaultTenant) {
        const claimed = await this.storage.claimDefaultTenant({ keys, controlKey: this.controlKey });
        // Another instance's keys: its tenant (made again here, should that instance have died first).
        if (claimed.keys.secretKey !== keys.secretKey) {
          this.controlKey = claimed.controlKey;
          this.defaultTenant = this.createTenant(name, claimed.keys);
          return;
        }
      }
      await this.transact((tx) => {
        // Made already: by another instance on the same store, after the same reset.
        if (tx.get('tenants', tenantId)) return;
        tx.put('tenants', tenantId, { id: tenantId, name });
        for (const [apiKey, role, keyCreatorId] of principals)
          tx.put('apiKeys', apiKey, { tenantId, role, keyId: keyIdOf(apiKey), creatorId: keyCreatorId });
        tx.put('creators', creatorId, { tenantId, value: creator });
        tx.emit(tenantId, 'livedrop.creator.created', creatorId, { creator });
      });
    });
    return keys;
  }

  /**
   * Forgets every object, event, job, idempotency key, rate-limit counter, fault and journaled request, and every
   * tenant but the default one, which is seeded again with the same keys so a QA suite can reset
   * between tests. The clock stays where it is, unless `restoreClock`: then every move made through
   * the control API is undone and the clock reads the time it started at (a manual clock's start, or
   * the wall clock). Bumps the shared reset epoch: other instances on the same storage forget what
   * they derived from it when they next read the control state.
   */
  async reset(options: { readonly restoreClock?: boolean } = {}): Promise<TenantKeys> {
    await this.#writes;
    // Emptied first, then the epoch moves: an instance that sees the new epoch sees an empty store.
    await this.storage.reset();
    await this.journal?.clear();
    this.#adopt(await this.control.reset(options.restoreClock === true), false);
    this.#forgetDerived();
    this.defaultTenant = this.createTenant('Test Platform', this.defaultTenant);
    await this.#writes;
    return this.defaultTenant;
  }

  /** Faults in force for every instance (control API); change them with {@link Engine.setFaults}. */
  get faults(): FaultsControl {
    return this.#control.faults;
  }

  /** How many resets this instance has seen, made through it or through another on the same storage. */
  get resetEpoch(): number {
    return this.#control.resetEpoch;
  }

  /** Puts `faults` in force for every instance sharing the control state (`{}` clears them). */
  async setFaults(faults: FaultsControl): Promise<void> {
    this.#adopt(await this.control.setFaults(faults), true);
  }

  /** Moves the shared clock ahead by `ms` for every instance sharing the control state. */
  async advanceClock(ms: number): Promise<void> {
    this.#adopt(await this.control.advanceClock(ms), true);
  }

  /**
   * Reads the shared control state: the clock offset and faults in force, and the reset epoch (a
   * reset made through another instance makes this one forget what it derived). The pipeline calls
   * it at the start of every request.
   */
  async syncControl(): Promise<void> {
    const state = await this.control.read();
    if (state !== this.#control || !this.#controlRead) this.#adopt(state, true);
  }

  /** Takes `state` as this instance's copy; with `followReset`, a newer epoch resets what this instance derived. */
  #adopt(state: ControlState, followReset: boolean): void {
    const resetElsewhere = this.#controlRead && followReset && state.resetEpoch !== this.#control.resetEpoch;
    const faultsChanged = state.faults !== this.#control.faults;
    this.#control = state;
    this.#controlRead = true;
    if (resetElsewhere) {
      this.#forgetDerived();
      // Each instance keeps its own test tenant's keys across a reset, wherever it was made.
      this.defaultTenant = this.createTenant('Test Platform', this.defaultTenant);
    } else if (faultsChanged) this.streams.sync();
  }

  /** Forgets what this instance derived from the storage (signing keys, views, dashboards); streams resync. */
  #forgetDerived(): void {
    this.signing.reset();
    this.views.clear();
    this.dashboards.clear();
    this.streams.sync();
  }

  /** True when `available + reserved + sold == total` holds for every offer. */
  invariantHolds(): boolean {
    for (const { value } of this.store.offers.values()) {
      const { total, available, reserved, sold } = value.stock;
      if (available + reserved + sold !== total || available < 0 || reserved < 0) return false;
    }
    return true;
  }

  /** Waits for the writes under way, then lets go of the storage (its connections, if any). */
  async close(): Promise<void> {
    await this.#writes.catch(() => {});
    await this.storage.close?.();
  }

  #afterWrites(write: () => Promise<unknown>): void {
    this.#writes = this.#writes.then(write);
  }
}
