import {
  formatMoney,
  reverseSplit,
  type CurrencyCode,
  type Order,
  type Refund,
  type RefundReason,
  type SplitAllocation,
  type Transfer,
  type TransferReversal,
} from '@livedrop/core';
import { isoTime } from '../clock';
import { created, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { Transaction } from '../storage/transaction';
import type { Owned } from '../store';
import { countRefund } from './trust';

/** What an order paid each party (its split legs), for core's `reverseSplit`. */
function paidOf(order: Order): SplitAllocation {
  const paid: SplitAllocation = { platform: 0, creator: 0, seller: 0 };
  for (const leg of order.split) paid[leg.party] += leg.amount.amount;
  return paid;
}

/** What earlier refunds took back from each party. Legs that paid nothing have no transfer and stay 0. */
function reversedOf(order: Order): SplitAllocation {
  const reversed: SplitAllocation = { platform: 0, creator: 0, seller: 0 };
  for (const transfer of order.transfers) reversed[transfer.party] += transfer.amountReversed.amount;
  return reversed;
}

function money(amount: number, currency: CurrencyCode): string {
  return `${amount} (${formatMoney({ amount, currency })})`;
}

/**
 * The amount this refund returns, checked against the order before anything changes: the currency
 * is the order's (422 `currency_mismatch`), an explicit amount is at least 1 (400), and the total
 * refunded never passes the gross (422 `refund_exceeds_capture`, naming what is still refundable).
 * Without an amount, the refund is everything not yet refunded.
 */
function refundAmount(order: Order, requested: { amount: number; currency: CurrencyCode } | undefined): number {
  const { currency } = order.gross;
  const remaining = order.gross.amount - order.amountRefunded.amount;
  if (requested && requested.currency !== currency) {
    const message = `"amount.currency" is ${requested.currency} but order ${order.id} was paid in ${currency}; refund in ${currency}.`;
    throw new ApiProblem('currency_mismatch', message, {
      errors: [{ path: 'amount.currency', code: 'currency_mismatch', message }],
    });
  }
  if (requested?.amount === 0) {
    const message = `"amount.amount" must be at least 1 minor unit; omit "amount" to refund everything not yet refunded (${money(remaining, currency)}).`;
    throw new ApiProblem('validation_failed', `The request body is invalid: ${message}`, {
      errors: [{ path: 'amount.amount', code: 'too_small', message }],
    });
  }
  const amount = requested?.amount ?? remaining;
  if (remaining === 0) {
    throw new ApiProblem(
      'refund_exceeds_capture',
      `Order ${order.id} has nothing left to refund: ${money(order.amountRefunded.amount, currency)} of the ${money(order.gross.amount, currency)} captured was already refunded.`,
    );
  }
  if (amount > remaining) {
    throw new ApiProblem(
      'refund_exceeds_capture',
      `A refund of ${money(amount, currency)} exceeds what order ${order.id} has left to refund: ${money(remaining, currency)} of the ${money(order.gross.amount, currency)} captured (${money(order.amountRefunded.amount, currency)} already refunded). Refund at most ${remaining}.`,
    );
  }
  return amount;
}

/**
 * Refunds `amount` (everything not yet refunded when absent) of an order, as one transition over the
 * order's working copy: the refund, its transfer reversals and the order's new totals, with one
 * `livedrop.refund.created` and one `livedrop.transfer.reversed` per reversal, committed together.
 * @throws ApiProblem as {@link refundAmount} does, having changed nothing
 */
function refundOrder(
  tx: Transaction,
  record: Owned<Order>,
  requested: { amount: number; currency: CurrencyCode } | undefined,
  reason: RefundReason | null,
): Refund {
  const order = record.value;
  const { currency } = order.gross;
  const amount = refundAmount(order, requested);
  const shares = reverseSplit({ split: paidOf(order), reversed: reversedOf(order) }, amount);

  // Plan every reversal before changing anything, so a ledger that does not add up changes nothing.
  const refundId = newId('refund');
  const now = isoTime(tx.now);
  const planned: { transfer: Transfer; reversal: TransferReversal }[] = [];
  for (const transfer of order.transfers) {
    const share = shares[transfer.party];
    if (share === 0) continue;
    planned.push({
      transfer,
      reversal: {
        id: newId('transferReversal'),
        object: 'transfer_reversal',
        transferId: transfer.id,
        refundId,
        amount: { amount: share, currency },
        createdAt: now,
      },
    });
  }
  if (planned.reduce((sum, { reversal }) => sum + reversal.amount.amount, 0) !== amount) {
    throw new Error(
      `Order ${order.id}: the reversals of a ${amount} refund do not add up; its transfers disagree with its split.`,
    );
  }

  for (const { transfer, reversal } of planned) {
    transfer.amountReversed = { amount: transfer.amountReversed.amount + reversal.amount.amount, currency };
    transfer.reversals.push(reversal);
    if (transfer.amountReversed.amount === transfer.amount.amount) transfer.status = 'reversed';
  }
  const refund: Refund = {
    id: refundId,
    object: 'refund',
    orderId: order.id,
    amount: { amount, currency },
    reason,
    reversals: planned.map(({ reversal }) => reversal),
    createdAt: now,
  };
  order.amountRefunded = { amount: order.amountRefunded.amount + amount, currency };
  order.status = order.amountRefunded.amount === order.gross.amount ? 'refunded' : 'partially_refunded';
  order.refunds.push(refund);

  const attribution = {
    creatorId: order.creatorId,
    sessionId: order.sessionId,
    offerId: order.offerId,
    campaign: order.attribution?.campaign ?? null,
  };
  tx.emit(record.tenantId, 'livedrop.refund.created', refund.id, { refund, attribution });
  for (const { transfer, reversal } of planned)
    tx.emit(record.tenantId, 'livedrop.transfer.reversed', transfer.id, { transfer, reversal });
  countRefund(tx, order, refund);
  return refund;
}

/**
 * Refunds: money back to the buyer, funded by reversing the order's transfers in proportion to what
 * each party still holds (core's `reverseSplit`: largest remainder, exact, never beyond a leg).
 * A refund before settlement reverses pending transfers the same way; one reversed in full is
 * `reversed` and will not be paid (see `settlement.ts`). `reason` is kept on the refund; `dispute`
 * counts against the seller's dispute rate (see `trust.ts`).
 */
export const refundHandlers = {
  async createRefund({ engine, principal, params, body }) {
    const refund = await engine.transact((tx) => {
      const record = tx.get('orders', params.id);
      if (!record || record.tenantId !== principal.tenantId) throw notFound('order', params.id);
      return refundOrder(tx, record, body.amount, body.reason ?? null);
    });
    return created(refund);
  },
} satisfies Handlers;
