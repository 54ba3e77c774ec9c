import type { CreatorDashboard } from '@livedrop/core';
import type { Engine } from '../engine';
import { CreatorDashboards } from './dashboard';

/** Events read per page while catching up with a log. */
const CATCH_UP_PAGE = 1000;

/** One tenant's folded dashboards and how far into its log they are. */
interface TenantDashboards {
  readonly tenantId: string;
  dashboards: CreatorDashboards;
  /** The `seq` of the last event folded in (0: none). */
  appliedSeq: number;
  /** The `hash` of that event: if the log's event at `appliedSeq` has another, the log was replaced. */
  appliedHash: string | null;
  /** The catch-up queued behind the running one and not yet reading: later reads join it. */
  next: Promise<void> | undefined;
  /** The last catch-up started or queued; the next one starts when it ends, so they never overlap. */
  last: Promise<void>;
}

/**
 * The creator dashboards of every tenant, folded from its event log: a tail consumer in pull form.
 * Nothing listens to the log; a read first catches up from the last `seq` it folded to the head of
 * the log, a page at a time, then answers from the tallies, so a read costs the events written since
 * the previous read, never a rescan.
 *
 * Each event is folded exactly once: the catch-ups of a tenant run one after another, each starting
 * from the `seq` the previous one reached, and a read that arrives while one is queued (not yet
 * reading) joins it, since that catch-up will see everything committed before the read.
 *
 * A reset replaces the logs. {@link clear} (called by `engine.reset()`) forgets every tally; a log
 * replaced without it (another instance reset a shared store) is noticed by version, not object
 * identity: the event at the folded `seq` is missing or has another hash, and the tenant starts over.
 */
export class DashboardProjection {
  readonly #engine: Engine;
  readonly #tenants = new Map<string, TenantDashboards>();

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /**
   * The dashboard of `creatorId` in `tenantId`, for one session or (null) all of them, counting every
   * event committed before the call. The caller checks that the creator and session exist.
   * @example const dashboard = await engine.dashboards.view(tenantId, creatorId, null);
   */
  async view(tenantId: string, creatorId: string, sessionId: string | null): Promise<CreatorDashboard> {
    for (;;) {
      const tenant = this.#tenant(tenantId);
      await this.#catchUp(tenant);
      // A clear() during the catch-up dropped these tallies (a reset): fold the new log instead.
      if (this.#tenants.get(tenantId) === tenant) return tenant.dashboards.view(creatorId, sessionId);
    }
  }

  /** Forgets every tenant's tallies because their logs were replaced (a reset); the next read folds the new logs. */
  clear(): void {
    this.#tenants.clear();
  }

  #tenant(tenantId: string): TenantDashboards {
    let tenant = this.#tenants.get(tenantId);
    if (!tenant) {
      tenant = {
        tenantId,
        dashboards: new CreatorDashboards(),
        appliedSeq: 0,
        appliedHash: null,
        next: undefined,
        last: Promise.resolve(),
      };
      this.#tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  /** Resolves once everything committed to the tenant's log before this call is folded in. */
  #catchUp(tenant: TenantDashboards): Promise<void> {
    if (tenant.next) return tenant.next;
    const next = tenant.last.then(() => {
      tenant.next = undefined;
      return this.#pull(tenant);
    });
    tenant.next = next;
    // A failed catch-up (a storage error) fails its own readers, not every read after it.
    tenant.last = next.catch(() => undefined);
    return next;
  }

  /** Folds the events after `appliedSeq` up to the head. Never runs twice at once for a tenant. */
  async #pull(tenant: TenantDashboards): Promise<void> {
    const { events } = this.#engine.storage;
    // The first page starts at the last folded event, to prove this is still the log it came from.
    let verifying = tenant.appliedSeq > 0;
    let after = verifying ? tenant.appliedSeq - 1 : 0;
    for (;;) {
      const batch = await events.read(tenant.tenantId, after, CATCH_UP_PAGE);
      let start = 0;
      if (verifying) {
        verifying = false;
        if (batch[0]?.event.hash !== tenant.appliedHash) {
          startOver(tenant);
          after = 0;
          continue;
        }
        start = 1;
      }
      for (let index = start; index < batch.length; index++) {
        const { event } = batch[index]!;
        tenant.dashboards.apply(event);
        tenant.appliedSeq = event.seq;
        tenant.appliedHash = event.hash;
      }
      if (batch.length < CATCH_UP_PAGE) return;
      after = tenant.appliedSeq;
    }
  }
}

/** Drops tallies folded from a log that was since replaced, to fold the new one from its start. */
function startOver(tenant: TenantDashboards): void {
  tenant.dashboards = new CreatorDashboards();
  tenant.appliedSeq = 0;
  tenant.appliedHash = null;
}
