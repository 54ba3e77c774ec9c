import type { EventType, FaultsControl, LiveDropEvent } from '@livedrop/core';
import { KeyRing } from './auth';
import { createOffsetClock, isoTime, type ManualClock } from './clock';
import { FaultInjector } from './faults';
import { EventLog, type EventData, type HashFn } from './event-log';
import { IdempotencyStore } from './idempotency';
import { newId, randomToken } from './ids';
import type { RateLimitOptions } from './rate-limit/config';
import { RateLimiter } from './rate-limit/rate-limiter';
import { defaultModeration, type ModerateOffer } from './moderation';
import { sha256Hex } from './sha256';
import { webCryptoVerifyEd25519, type SignatureVerifier } from './signature-verifier';
import { SigningKeyring } from './signing-keys';
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
  readonly idempotency: IdempotencyStore;
  /** Rate limits and bot controls, on this engine's clock. */
  readonly rateLimits: RateLimiter;
  readonly signing: SigningKeyring;
  readonly moderate: ModerateOffer;
  readonly controlKey: string;
  readonly config: { readonly platformFeeBps: number; readonly tokenClockToleranceSeconds: number; readonly settlementDelayMs: number };
  /** Faults in force (control API); change them with {@link Engine.setFaults}. */
  faults: FaultsControl = {};
  /** The dice that decide which requests the faults hit. */
  readonly faultDice = new FaultInjector();
  /** The tenant whose keys the CLI prints. */
  defaultTenant!: TenantKeys;
  /**
   * Sends a request through the full pipeline (auth, validation, idempotency); set by the server.
   * Fixtures use it so seeded objects are made exactly as API calls make them.
   */
  dispatch: (request: Request) => Promise<Response> = () => Promise.reject(new Error('The engine is not attached to a server.'));
  readonly #logs = new Map<string, EventLog>();
  #seeded = false;
  #lastIdempotencySweep = Number.NEGATIVE_INFINITY;
  readonly #hash: HashFn;
  /** Verifies offer-token signatures. */
  readonly verifySignature: SignatureVerifier;
  readonly #source: string;

  constructor(options: EngineOptions = {}) {
    this.clock = options.clock ?? createOffsetClock();
    this.idempotency = new IdempotencyStore(this.clock);
    this.rateLimits = new RateLimiter(this.clock, options.rateLimits);
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
    this.reset();
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
    const now = this.clock.now();
    // Forgetting old idempotency keys scans them all, so it runs at most once a minute of clock time.
    if (now - this.#lastIdempotencySweep >= 60_000) {
      this.idempotency.sweep();
      this.#lastIdempotencySweep = now;
    }
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
   * Forgets every object, event, timer, idempotency key and fault, and every tenant but the default
   * one, which is seeded again with the same keys so a QA suite can reset between tests.
   */
  reset(): TenantKeys {
    const keep = this.#seeded ? this.defaultTenant : undefined;
    this.store.clear();
    this.keys.clear();
    this.timers.clear();
    this.idempotency.clear();
    this.rateLimits.reset();
    this.signing.reset();
    this.#logs.clear();
    this.setFaults({});
    this.defaultTenant = this.createTenant('Test Platform', keep);
    this.#seeded = true;
    return this.defaultTenant;
  }

  /** Puts `faults` in force (an empty object clears them). */
  setFaults(faults: FaultsControl): void {
    this.faults = faults;
    this.faultDice.configure(faults);
  }

  /** True when `available + reserved + sold == total` holds for every offer. */
  invariantHolds(): boolean {
    for (const { value } of this.store.offers.values()) {
      const { total, available, reserved, sold } = value.stock;
      if (available + reserved + sold !== total || available < 0 || reserved < 0) return false;
    }
    return true;
  }
}

