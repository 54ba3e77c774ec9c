import type { SplitAllocation, SplitParty } from './split';

/**
 * Order in which equal fractional remainders receive the leftover minor units.
 *
 * The seller comes first and the platform last so that a coin-flip unit of rounding goes to
 * the people who made the sale before the fee-taker; a fixed order (rather than, say, the
 * order of object keys) keeps results identical on every runtime.
 */
const TIE_ORDER = ['seller', 'creator', 'platform'] as const satisfies readonly SplitParty[];

/**
 * Divides `total` minor units among the parties in proportion to `weights` using the
 * largest-remainder (Hamilton) method, in exact integer arithmetic.
 *
 * Each party first gets the floor of its exact share `total * weight / sum(weights)`; the
 * few units left over (fewer than the number of parties) go one each to the largest
 * fractional remainders, ties broken seller, creator, platform. Hence the legs sum exactly
 * to `total`, and each leg is its exact share rounded down or up, never further.
 *
 * Preconditions, checked by the public callers: `total` is a non-negative safe integer;
 * weights are non-negative integers with a positive sum.
 *
 * @internal shared by {@link splitAmount} and {@link reverseSplit}; not part of the public API.
 *
 * @example
 * ```ts
 * allocateLargestRemainder(1, { platform: 5000, creator: 5000, seller: 0 });
 * // { platform: 0, creator: 1, seller: 0 }: a tie, and creator precedes platform
 * ```
 */
export function allocateLargestRemainder(
  total: number,
  weights: Readonly<Record<SplitParty, number | bigint>>,
): SplitAllocation {
  // BigInt because total * weight can pass 2^53 (total alone may be MAX_SAFE_INTEGER).
  const bigTotal = BigInt(total);
  const weightSum = BigInt(weights.platform) + BigInt(weights.creator) + BigInt(weights.seller);
  if (weightSum <= 0n) {
    throw new RangeError('allocateLargestRemainder needs weights with a positive sum.');
  }

  const shares = TIE_ORDER.map((party) => {
    const scaled = bigTotal * BigInt(weights[party]);
    return { party, floor: scaled / weightSum, remainder: scaled % weightSum };
  });

  let leftover = bigTotal;
  for (const share of shares) leftover -= share.floor;

  // Array#sort is stable (ES2019), so equal remainders keep TIE_ORDER. Not toSorted: that
  // needs ES2023 runtimes and this package also ships to browsers.
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1,
  );

  const allocation: SplitAllocation = { platform: 0, creator: 0, seller: 0 };
  for (const { party, floor } of byRemainder) {
    const extra = leftover > 0n ? 1n : 0n;
    leftover -= extra;
    // Every leg is <= total <= MAX_SAFE_INTEGER, so the conversion is exact.
    allocation[party] = Number(floor + extra);
  }
  return allocation;
}
