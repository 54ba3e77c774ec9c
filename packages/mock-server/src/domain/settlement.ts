import type { Order } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { Job } from '../storage/scheduler';

/*
 * Settlement: an order's transfers move `pending → paid` once, when the settlement delay after
 * capture has passed on the injected clock. Capture schedules the `settlement` job for the
 * transfers' `availableAt`, in the same transaction that makes the order.
 *
 * Choices a reader of the wire objects can rely on:
 * - `paidAt` is the time the payout run actually happened on the engine's clock (a sweep at or after
 *   `availableAt`), so time-to-settlement is measured, not restated from the configured delay.
 * - A transfer a refund reversed in full while it was pending is `reversed` and is never paid: there
 *   is nothing left to pay out. A partially reversed pending transfer is paid; what it pays out is
 *   `amount - amountReversed`.
 * - An order settles (`settledAt`, `timeToSettlementMs`) when the run leaves no transfer pending and
 *   paid at least one. An order refunded in full before settlement pays nothing and never settles.
 */

/**
 * The `settlement` job: pays every transfer of the order that is still pending, one
 * `livedrop.transfer.paid` event each, then marks the order settled — one transaction. The job
 * re-reads the order when it runs, so refunds made since capture are respected; an order that no
 * longer exists (after a reset) or has nothing pending makes the job stale.
 * @returns whether it paid anything
 */
export function settleOrder(engine: Engine, job: Extract<Job, { kind: 'settlement' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const record = tx.get('orders', job.orderId);
    if (!record || record.tenantId !== job.tenantId) return false;
    const order = record.value;
    const now = isoTime(tx.now);
    let paid = 0;
    for (const transfer of order.transfers) {
      if (transfer.status !== 'pending') continue;
      transfer.status = 'paid';
      transfer.paidAt = now;
      paid++;
      tx.emit(record.tenantId, 'livedrop.transfer.paid', transfer.id, { transfer });
    }
    if (paid > 0 && order.settledAt === null && !hasPending(order)) {
      order.settledAt = now;
      // Both ends from their ISO forms, so anyone holding the events computes the very same number.
      order.timeToSettlementMs = Date.parse(now) - Date.parse(order.capturedAt);
    }
    return paid > 0;
  });
}

function hasPending(order: Order): boolean {
  return order.transfers.some((transfer) => transfer.status === 'pending');
}
