import { allocateLargestRemainder } from './allocate';
import { MoneyError } from './money-error';

/**
 * A party that receives a leg of every captured payment.
 *
 * @example
 * ```ts
 * const party: SplitParty = 'creator';
 * ```
 */
export type SplitParty = 'platform' | 'creator' | 'seller';

/**
 * Every {@link SplitParty}, in display order.
 *
 * @example
 * ```ts
 * for (const party of SPLIT_PARTIES) console.log(party, split[party]);
 * ```
 */
export const SPLIT_PARTIES: readonly SplitParty[] = ['platform', 'creator', 'seller'];

/**
 * How a gross amount is shared, in basis points (1 bps = 0.01%, 10000 bps = 100%).
 * The seller receives whatever the other two rules leave.
 *
 * @example
 * ```ts
 * const rules: SplitRules = { platformFeeBps: 1000, creatorCommissionBps: 1500 }; // 10%, 15%, seller 75%
 * ```
 */
export interface SplitRules {
  /** Platform fee, an integer from 0 to 10000. */
  readonly platformFeeBps: number;
  /** Creator commission, an integer from 0 to 10000; with the fee, at most 10000 in total. */
  readonly creatorCommissionBps: number;
}

/**
 * Integer minor units per party. The legs of a split add up to exactly the amount split.
 *
 * @example
 * ```ts
 * const allocation: SplitAllocation = { platform: 100, creator: 150, seller: 750 };
 * ```
 */
export type SplitAllocation = Record<SplitParty, number>;

const FULL_BPS = 10_000;

/**
 * Splits `gross` minor units between platform, creator and seller, exactly.
 *
 * Each party's exact share is `gross * bps / 10000` (the seller's bps being
 * `10000 - platformFeeBps - creatorCommissionBps`). Shares are rounded with the
 * largest-remainder method: every leg is its exact share rounded down or up by less than one
 * minor unit, the legs sum exactly to `gross`, and none is negative. When fractional
 * remainders tie, the leftover unit goes to the seller first, then the creator, then the
 * platform. The result is a pure function of the inputs.
 *
 * @param gross - captured amount in minor units, a non-negative safe integer
 * @param rules - basis-point rules for the platform and the creator
 * @throws {@link MoneyError} `invalid_amount` (field `gross`) if `gross` is not a
 *   non-negative safe integer
 * @throws {@link MoneyError} `invalid_split_rule` (field `rules.platformFeeBps` or
 *   `rules.creatorCommissionBps`) if a rule is not an integer from 0 to 10000, or (field
 *   `rules`) if the two add up to more than 10000
 *
 * @example
 * ```ts
 * splitAmount(1000, { platformFeeBps: 1000, creatorCommissionBps: 1500 });
 * // { platform: 100, creator: 150, seller: 750 }
 *
 * splitAmount(1, { platformFeeBps: 5000, creatorCommissionBps: 0 });
 * // { platform: 0, creator: 0, seller: 1 }: platform and seller tie at 0.5, seller wins
 * ```
 */
export function splitAmount(gross: number, rules: SplitRules): SplitAllocation {
  if (!Number.isSafeInteger(gross) || gross < 0) {
    throw new MoneyError(
      'invalid_amount',
      'gross',
      `gross must be a non-negative safe integer number of minor units (e.g. 1999 for 19.99 USD); received ${String(gross)}.`,
    );
  }
  const platform = readBps(rules.platformFeeBps, 'rules.platformFeeBps');
  const creator = readBps(rules.creatorCommissionBps, 'rules.creatorCommissionBps');
  if (platform + creator > FULL_BPS) {
    throw new MoneyError(
      'invalid_split_rule',
      'rules',
      `rules.platformFeeBps + rules.creatorCommissionBps must be at most ${FULL_BPS} (100%); received ${platform} + ${creator} = ${platform + creator}. Lower one of them.`,
    );
  }
  return allocateLargestRemainder(gross, {
    platform,
    creator,
    seller: FULL_BPS - platform - creator,
  });
}

function readBps(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > FULL_BPS) {
    throw new MoneyError(
      'invalid_split_rule',
      field,
      `${field} must be an integer number of basis points from 0 to ${FULL_BPS} (e.g. 1000 for 10%); received ${String(value)}.`,
    );
  }
  return value;
}
