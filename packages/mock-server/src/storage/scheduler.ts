/**
 * A job the engine runs at a time on its clock. Jobs are data, not closures, so a shared store can
 * keep them and any instance can run them; each carries what it needs to re-check its own state,
 * so running a due job twice (a lease that lapsed mid-run) does nothing the second time.
 */
export type Job =
  /** A hold lapses at `expiresAt` unless it was released, captured or re-held since. */
  | {
      readonly kind: 'hold_expiry';
      readonly tenantId: string;
      readonly offerId: string;
      readonly reservationId: string;
      readonly expiresAt: string;
    }
  /** An order's pending transfers are paid. */
  | { readonly kind: 'settlement'; readonly tenantId: string; readonly orderId: string }
  /** A flash offer ends at its `endsAt`, unless `endsAt` moved or the offer ended already. */
  | { readonly kind: 'offer_end'; readonly tenantId: string; readonly offerId: string; readonly endsAt: string }
  /** `livedrop.session.warmup_due`, unless the start moved (`dueAt` differs) or the session left `scheduled`. */
  | { readonly kind: 'warmup'; readonly tenantId: string; readonly sessionId: string; readonly dueAt: number }
  /** `livedrop.session.cooldown`, once. */
  | { readonly kind: 'cooldown'; readonly tenantId: string; readonly sessionId: string }
  /** A counted day of a seller's or creator's trust figures leaves the window; they are recomputed. */
  | {
      readonly kind: 'trust_window';
      readonly tenantId: string;
      readonly party: 'seller' | 'creator';
      readonly id: string;
    }
  /** A buyer session, expired a day ago, is forgotten. */
  | { readonly kind: 'buyer_session_expiry'; readonly tenantId: string; readonly credentialHash: string }
  /** The next attempt of an endpoint's head delivery, unless it was settled since. */
  | {
      readonly kind: 'webhook_retry';
      readonly tenantId: string;
      readonly endpointId: string;
      readonly deliveryId: string;
    };

/** The kind of a {@link Job}. */
export type JobKind = Job['kind'];

/** A job taken off the schedule by {@link Scheduler.claimDue}, leased to the claimer until `leaseUntil`. */
export interface ClaimedJob {
  readonly id: string;
  /** When it was due (epoch ms on the engine's clock). */
  readonly at: number;
  readonly job: Job;
  readonly leaseUntil: number;
}

/**
 * The scheduler seam: jobs due at points on the engine's clock, claimed with a lease so that of
 * several instances exactly one runs each job, and a job whose runner died runs again once its
 * lease lapses.
 */
export interface Scheduler {
  /** Runs `job` once the clock reaches `at` (epoch ms). Ties run in scheduling order. */
  schedule(at: number, job: Job): Promise<void>;
  /**
   * Claims up to `limit` jobs due at or before `now`, in due order, each leased for `leaseMs`.
   * Jobs whose lease lapsed without {@link complete} are due again.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedJob[]>;
  /** Forgets a claimed job that ran (or found nothing to do). */
  complete(claim: ClaimedJob): Promise<void>;
  /** Jobs scheduled or leased and not yet completed. */
  size(): Promise<number>;
}
