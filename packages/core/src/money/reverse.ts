import { allocateLargestRemainder } from './allocate';
import { MoneyError } from './money-error';
import type { SplitAllocation, SplitParty } from './split';

/**
 * What an order paid each party and how much of that has already been reversed by earlier
 * refunds, both in integer minor units.
 *
 * @example
 * ```ts
 * const order: SplitLedger = {
 *   split: { platform: 100, creator: 150, seller: 750 },
 *   reversed: { platform: 10, creator: 15, seller: 75 },
 * };
 * ```
 */
export interface SplitLedger {
  /** The legs paid out when the order was captured. */
  readonly split: Readonly<SplitAllocation>;
  /** The sum of all reversals applied so far; each leg at most the matching `split` leg. */
  readonly reversed: Readonly<SplitAllocation>;
}

/**
 * Works out how much to claw back from each party for one (partial or full) refund.
 *
 * The refund is shared in proportion to what each party still holds (`split - reversed`),
 * with the same largest-remainder rounding and seller, creator, platform tie order as
 * {@link splitAmount}. The reversal sums exactly to `refundAmount`, no leg is negative, no
 * party is ever reversed beyond what it was paid, and refunding the whole remaining balance
 * reverses exactly everything that is left.
 *
 * Add the result to `order.reversed` before the next refund.
 *
 * @param order - the order's split and its cumulative reversals so far
 * @param refundAmount - this refund in minor units, a safe integer of at least 1
 * @throws {@link MoneyError} `invalid_amount` (field `refundAmount`) if `refundAmount` is not
 *   a safe integer of at least 1
 * @throws {@link MoneyError} `invalid_amount` (field e.g. `order.reversed.creator`) if a
 *   ledger amount is negative, not a safe integer, or reversed beyond what was paid
 * @throws {@link MoneyError} `refund_exceeds_capture` (field `refundAmount`) if the refund is
 *   larger than the remaining refundable amount
 *
 * @example
 * ```ts
 * const split = { platform: 100, creator: 150, seller: 750 };
 * const first = reverseSplit({ split, reversed: { platform: 0, creator: 0, seller: 0 } }, 100);
 * // { platform: 10, creator: 15, seller: 75 }
 * reverseSplit({ split, reversed: first }, 900);
 * // { platform: 90, creator: 135, seller: 675 }: the rest, exactly
 * ```
 */
export function reverseSplit(order: SplitLedger, refundAmount: number): SplitAllocation {
  if (!Number.isSafeInteger(refundAmount) || refundAmount < 1) {
    throw new MoneyError(
      'invalid_amount',
      'refundAmount',
      `refundAmount must be a safe integer number of minor units of at least 1; received ${String(refundAmount)}.`,
    );
  }

  const remaining: SplitAllocation = {
    platform: remainingFor(order, 'platform'),
    creator: remainingFor(order, 'creator'),
    seller: remainingFor(order, 'seller'),
  };
  // BigInt: three safe legs can sum past 2^53.
  const refundable = BigInt(remaining.platform) + BigInt(remaining.creator) + BigInt(remaining.seller);
  if (BigInt(refundAmount) > refundable) {
    throw new MoneyError(
      'refund_exceeds_capture',
      'refundAmount',
      `refundAmount ${refundAmount} exceeds the remaining refundable amount of ${refundable}; refund at most ${refundable}.`,
    );
  }

  // Weighting by what is left, not re-splitting the cumulative total, is what keeps every
  // leg within bounds: each exact share is refund * left / refundable <= left, and rounding
  // a share up never passes the integer `left` above it. Re-splitting cumulative totals
  // could instead take back a unit already refunded (the Alabama paradox).
  return allocateLargestRemainder(refundAmount, remaining);
}

function remainingFor(order: SplitLedger, party: SplitParty): number {
  const paid = readAmount(order.split[party], `order.split.${party}`);
  const reversed = readAmount(order.reversed[party], `order.reversed.${party}`);
  if (reversed > paid) {
    throw new MoneyError(
      'invalid_amount',
      `order.reversed.${party}`,
      `order.reversed.${party} (${reversed}) exceeds order.split.${party} (${paid}); a party cannot be reversed more than it was paid. Reload the order's ledger.`,
    );
  }
  return paid - reversed;
}

function readAmount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MoneyError(
      'invalid_amount',
      field,
      `${field} must be a non-negative safe integer number of minor units; received ${String(value)}.`,
    );
  }
  return value;
}
