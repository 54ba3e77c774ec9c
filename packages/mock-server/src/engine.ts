import type { EventType, FaultsControl, LiveDropEvent } from '@livedrop/core';
import { KeyRing } from './auth';
import { createOffsetClock, createSharedOffsetClock, isoTime, type ManualClock } from './clock';
import { FaultInjector } from './faults';
import { EventLog, type EventData, type HashFn } from './event-log';
import { newId, randomToken } from './ids';
import type { RateLimitOptions } from './rate-limit/config';
import { RateLimiter } from './rate-limit/rate-limiter';
import { defaultModeration, type ModerateOffer } from './moderation';
import { sha256Hex } from './sha256';
import { webCryptoVerifyEd25519, type SignatureVerifier } from './signature-verifier';
import { SigningKeyring } from './signing-keys';
import type { ControlState, ControlStateStore } from './storage/control-state';
import { INITIAL_CONTROL_STATE } from './storage/control-state';
import type { EngineStorage } from './storage/engine-storage';
import type { IdempotencyStore } from './storage/idempotency-store';
import { createMemoryControlState } from './storage/memory/memory-control-state';
import { createMemoryIdempotencyStore } from './storage/memory/memory-idempotency-store';
import { createMemoryRateLimitStore } from './storage/memory/memory-rate-limit-store';
import { Store } from './store';
import { TimerQueue } from './timer-queue';

/** Options of the reference server's engine. Every one has a default that behaves like production. */
export interface EngineOptions {
  /**
   * The clock every TTL and delay reads. Pass a manual clock to move time only through the
   * control API or `clock.advance()`.
   * @default a clock that follows the wall clock and can be moved ahead
   */
  clock?: ManualClock;
  /** The moderation hook called with every new offer. @default {@link defaultModeration} */
  moderate?: ModerateOffer;
  /** SHA-256 for the event hash chain (the Node transport passes `node:crypto`'s). @default a portable implementation */
  hash?: HashFn;
  /** Ed25519 verification of offer tokens (the Node transport passes `node:crypto`'s). @default WebCrypto */
  verifySignature?: SignatureVerifier;
  /** The CloudEvents `source` of every event. @default '/livedrop/reference' */
  source?: string;
  /** Platform fee when an offer sets no split. @default 1000 (10 %) */
  platformFeeBps?: number;
  /** Seconds of clock skew tolerated when checking token `nbf` and `exp`. @default 5 */
  tokenClockToleranceSeconds?: number;
  /** Delay between capture and a transfer being paid. @default 2 days */
  settlementDelayMs?: number;
  /** The control key; generated when absent. */
  controlKey?: string;
  /**
   * Rate limits and bot controls: token buckets per API key and per buyer, per route, and the
   * velocity check on token issuance; `false` turns them all off. See `docs/rate-limits.md`.
   * @default per-buyer buckets on token issuance and reservations and the velocity check (`DEFAULT_RATE_LIMITS`); no per-key limits
   */
  rateLimits?: RateLimitOptions | false;
  /**
   * Where idempotency keys, rate-limit counters and the control state (clock offset, faults,
   * reset epoch) live. Give several servers the same stores and they act as one deployment.
   * @default in-memory stores of this server's own
   */
  storage?: EngineStorage;
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

/**
 * The state and services every handler works with: the store, the clock, keys, logs and timers.
 * One engine is one reference server; transports only move requests in and responses out.
 */
export class Engine {
  readonly clock: ManualClock;
  readonly store = new Store();
  readonly keys = new KeyRing();
  readonly timers = new TimerQueue();
  readonly signing: SigningKeyring;
  readonly moderate: ModerateOffer;
  readonly controlKey: string;
  readonly config: { readonly platformFeeBps: number; readonly tokenClockToleranceSeconds: number; readonly settlementDelayMs: number };
  /** The tenant whose keys the CLI prints. */
  defaultTenant!: TenantKeys;
  /**
   * Sends a request through the full pipeline (auth, validation, idempotency); set by the server.
   * Fixtures use it so seeded objects are made exactly as API calls make them.
   */
  dispatch: (request: Request) => Promise<Response> = () => Promise.reject(new Error('The engine is not attached to a server.'));
  readonly #logs = new Map<string, EventLog>();
  #seeded = false;
  readonly #hash: HashFn;
  /** Verifies offer-token signatures. */
  readonly verifySignature: SignatureVerifier;
  readonly #source: string;

  // ── Request pipeline seams (pipeline branch): idempotency, rate limits, shared control state ──
  /** Idempotency keys: in-flight leases and stored responses. */
  readonly idempotency: IdempotencyStore;
  /** Rate limits and bot controls, on this engine's clock, counted in `storage.rateLimits`. */
  readonly rateLimits: RateLimiter;
  /** The shared control state: clock offset, faults, reset epoch. */
  readonly control: ControlStateStore;
  /** The dice that decide which requests the faults hit. */
  readonly faultDice: FaultInjector;
  /** SHA-256 as lowercase hex (the event chain's and the idempotency fingerprint's). */
  readonly hash: HashFn;
  /** This instance's copy of the control state, refreshed by {@link Engine.syncControl}. */
  #control: ControlState = INITIAL_CONTROL_STATE;
  /** False until the first read of the control state, which adopts its epoch without a reset. */
  #controlRead = false;
  // ── end of pipeline seams ──

  constructor(options: EngineOptions = {}) {
    // Pipeline seams: the clock is the base clock plus the shared offset.
    const storage = options.storage ?? {};
    this.control = storage.control ?? createMemoryControlState();
    this.clock = createSharedOffsetClock(options.clock ?? createOffsetClock(), () => this.#control.clockOffsetMs);
    this.idempotency = storage.idempotency ?? createMemoryIdempotencyStore();
    this.rateLimits = new RateLimiter(this.clock, options.rateLimits, storage.rateLimits ?? createMemoryRateLimitStore());
    this.faultDice = new FaultInjector(this.control);
    this.hash = options.hash ?? sha256Hex;
    // End of pipeline seams.
    this.signing = new SigningKeyring(this.clock);
    this.moderate = options.moderate ?? defaultModeration;
    this.controlKey = options.controlKey ?? `ctl_test_${randomToken(24)}`;
    this.#hash = options.hash ?? sha256Hex;
    this.verifySignature = options.verifySignature ?? webCryptoVerifyEd25519;
    this.#source = options.source ?? '/livedrop/reference';
    this.config = {
      platformFeeBps: options.platformFeeBps ?? 1000,
      tokenClockToleranceSeconds: options.tokenClockToleranceSeconds ?? 5,
      settlementDelayMs: options.settlementDelayMs ?? 2 * 24 * 60 * 60 * 1000,
    };
    this.resetLocal();
    // Pipeline seams: adopt the shared control state as it is now (a store other servers already
    // changed: their clock offset and faults hold here too; their past resets are not replayed).
    this.syncControl().catch(() => undefined);
  }

  /** The event log of a tenant. */
  log(tenantId: string): EventLog {
    let log = this.#logs.get(tenantId);
    if (!log) {
      log = new EventLog({ clock: this.clock, hash: this.#hash, source: this.#source });
      this.#logs.set(tenantId, log);
    }
    return log;
  }

  /** Appends the one event that records a state change. */
  emit<T extends EventType>(tenantId: string, type: T, subject: string, data: EventData<T>): LiveDropEvent {
    return this.log(tenantId).append(type, subject, data);
  }

  /** Runs everything due on the clock (expiries, settlements, retries); returns how many ran. */
  sweep(): number {
    return this.timers.runDue(this.clock.now());
  }

  /** The current time as an RFC 3339 timestamp. */
  nowIso(): string {
    return isoTime(this.clock.now());
  }

  /**
   * Creates a tenant with one key of each role and the creator its creator key speaks for.
   * @example const keys = engine.createTenant('Other Platform');
   */
  createTenant(name: string, reuse?: TenantKeys): TenantKeys {
    const tenantId = reuse?.tenantId ?? `ten_${randomToken(12)}`;
    this.store.tenants.set(tenantId, { id: tenantId, name });
    const creatorId = reuse?.creatorId ?? newId('creator');
    const creator = { id: creatorId, object: 'creator' as const, handle: 'house_creator', displayName: `${name} house creator`, verified: true, createdAt: this.nowIso() };
    this.store.creators.set(creatorId, { tenantId, value: creator });
    this.emit(tenantId, 'livedrop.creator.created', creatorId, { creator });
    return {
      tenantId,
      secretKey: this.keys.issue(tenantId, 'platform', null, reuse?.secretKey),
      publishableKey: this.keys.issue(tenantId, 'publishable', null, reuse?.publishableKey),
      creatorKey: this.keys.issue(tenantId, 'creator', creatorId, reuse?.creatorKey),
      moderatorKey: this.keys.issue(tenantId, 'moderator', null, reuse?.moderatorKey),
      creatorId,
    };
  }

  /**
   * Forgets this instance's objects, events, timers and signing keys, and every tenant but the
   * default one, which is seeded again with the same keys. What the stores share (idempotency keys,
   * rate limits, faults) is left to {@link Engine.reset}.
   */
  resetLocal(): TenantKeys {
    const keep = this.#seeded ? this.defaultTenant : undefined;
    this.store.clear();
    this.keys.clear();
    this.timers.clear();
    this.signing.reset();
    this.#logs.clear();
    this.defaultTenant = this.createTenant('Test Platform', keep);
    this.#seeded = true;
    return this.defaultTenant;
  }

  // ── Pipeline seams: shared control state ──

  /**
   * Forgets every object, event, timer, idempotency key, rate-limit counter and fault, and every
   * tenant but the default one, which is seeded again with the same keys so a QA suite can reset
   * between tests. Bumps the shared reset epoch: other instances sharing the control state forget
   * their own objects when they next read it.
   */
  async reset(): Promise<TenantKeys> {
    this.#adopt(await this.control.reset(), false);
    await Promise.all([this.idempotency.clear(), this.rateLimits.reset()]);
    return this.resetLocal();
  }

  /** Faults in force (control API); change them with {@link Engine.setFaults}. */
  get faults(): FaultsControl {
    return this.#control.faults;
  }

  /** The shared reset epoch this instance last saw (bumped by every reset). */
  get resetEpoch(): number {
    return this.#control.resetEpoch;
  }

  /** Puts `faults` in force for every instance sharing the control state (`{}` clears them). */
  async setFaults(faults: FaultsControl): Promise<void> {
    // Seen by this instance at once (streams tear on the next sync), by the others on their next read.
    this.#control = { ...this.#control, faults };
    this.#adopt(await this.control.setFaults(faults), true);
  }

  /** Moves the shared clock by `ms` for every instance sharing the control state. */
  async advanceClock(ms: number): Promise<void> {
    this.#adopt(await this.control.advanceClock(ms), true);
  }

  /**
   * Reads the shared control state: the clock offset and faults in force, and the reset epoch
   * (a reset made through another instance makes this one forget its own objects). The pipeline
   * calls it at the start of every request.
   */
  async syncControl(): Promise<void> {
    const state = await this.control.read();
    if (state !== this.#control || !this.#controlRead) this.#adopt(state, true);
  }

  /** Takes `state` as this instance's copy; with `followReset`, a newer epoch resets this instance. */
  #adopt(state: ControlState, followReset: boolean): void {
    const resetElsewhere = this.#controlRead && followReset && state.resetEpoch !== this.#control.resetEpoch;
    this.#control = state;
    this.#controlRead = true;
    if (resetElsewhere) this.resetLocal();
  }

  // ── end of pipeline seams ──

  /** True when `available + reserved + sold == total` holds for every offer. */
  invariantHolds(): boolean {
    for (const { value } of this.store.offers.values()) {
      const { total, available, reserved, sold } = value.stock;
      if (available + reserved + sold !== total || available < 0 || reserved < 0) return false;
    }
    return true;
  }
}

