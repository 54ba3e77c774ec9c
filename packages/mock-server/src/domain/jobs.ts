import type { Engine } from '../engine';
import type { Job } from '../storage/scheduler';
import { retryDelivery } from '../webhooks/dispatcher';
import { forgetBuyerSession } from './buyer-sessions';
import { expireHold } from './ledger';
import { endOfferAt } from './offers';
import { runCooldown, runWarmup } from './session-timers';
import { settleOrder } from './settlement';
import { ageOutTrust } from './trust';

/**
 * Runs one due job. Each runner re-reads the state the job is about and does nothing when the job
 * went stale (a hold released before it lapsed, a start that moved, a delivery already settled), so
 * a job run twice — a lease that lapsed while its runner was slow — changes nothing the second time.
 * @returns whether the job changed something
 */
export function runJob(engine: Engine, job: Job): Promise<boolean> {
  switch (job.kind) {
    case 'hold_expiry':
      return expireHold(engine, job);
    case 'settlement':
      return settleOrder(engine, job);
    case 'offer_end':
      return endOfferAt(engine, job);
    case 'warmup':
      return runWarmup(engine, job);
    case 'cooldown':
      return runCooldown(engine, job);
    case 'trust_window':
      return ageOutTrust(engine, job);
    case 'webhook_retry':
      return retryDelivery(engine, job);
    case 'buyer_session_expiry':
      return forgetBuyerSession(engine, job);
  }
}
