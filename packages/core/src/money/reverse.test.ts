import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from './money-error';
import { reverseSplit, type SplitLedger } from './reverse';
import { SPLIT_PARTIES, splitAmount, type SplitAllocation } from './split';

const MAX = Number.MAX_SAFE_INTEGER;
const ZERO: SplitAllocation = { platform: 0, creator: 0, seller: 0 };

const grossArb = fc.oneof(
  fc.integer({ min: 0, max: 101 }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.maxSafeNat(),
  fc.integer({ min: MAX - 100_000, max: MAX }),
);
const rulesArb = fc
  .integer({ min: 0, max: 10_000 })
  .chain((platformFeeBps) =>
    fc
      .integer({ min: 0, max: 10_000 - platformFeeBps })
      .map((creatorCommissionBps) => ({ platformFeeBps, creatorCommissionBps })),
  );
/** Independent legs too, including three near-MAX legs whose total passes 2^53. */
const legArb = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.maxSafeNat(), fc.integer({ min: MAX - 1000, max: MAX }));
const splitArb: fc.Arbitrary<SplitAllocation> = fc.oneof(
  fc.tuple(grossArb, rulesArb).map(([gross, rules]) => splitAmount(gross, rules)),
  fc.record({ platform: legArb, creator: legArb, seller: legArb }),
);
/** Seeds for refund sizes: tiny refunds (most rounding) and arbitrary ones. */
const refundSeedsArb = fc.array(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.maxSafeNat()), { maxLength: 8 });

function total(allocation: SplitAllocation): bigint {
  return BigInt(allocation.platform) + BigInt(allocation.creator) + BigInt(allocation.seller);
}

function add(a: SplitAllocation, b: SplitAllocation): SplitAllocation {
  return { platform: a.platform + b.platform, creator: a.creator + b.creator, seller: a.seller + b.seller };
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function sameAllocation(a: SplitAllocation, b: SplitAllocation): boolean {
  return a.platform === b.platform && a.creator === b.creator && a.seller === b.seller;
}

/**
 * Applies one refund and checks every per-refund guarantee, throwing on the first broken one
 * (plain throws, not expect(): this runs ~100,000 times). Returns the new cumulative reversal.
 */
function refundAndCheck(split: SplitAllocation, reversed: SplitAllocation, refund: number): SplitAllocation {
  const reversal = reverseSplit({ split, reversed }, refund);
  if (total(reversal) !== BigInt(refund))
    throw new Error(`reversal ${JSON.stringify(reversal)} does not sum to ${refund}`);
  const remainingTotal = total(split) - total(reversed);
  for (const party of SPLIT_PARTIES) {
    const leg = reversal[party];
    const left = BigInt(split[party] - reversed[party]);
    if (!Number.isSafeInteger(leg) || leg < 0)
      throw new Error(`${party} reversal ${leg} is not a non-negative integer`);
    if (BigInt(leg) > left) throw new Error(`${party} reversal ${leg} exceeds the ${left} it still holds`);
    // Within one unit of the exact proportional share refund * left / remainingTotal.
    const error = BigInt(leg) * remainingTotal - BigInt(refund) * left;
    if (error >= remainingTotal || error <= -remainingTotal)
      throw new Error(`${party} reversal ${leg} is a unit or more off its share`);
  }
  return add(reversed, reversal);
}

function expectMoneyError(run: () => unknown, code: MoneyError['code'], field: string): MoneyError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyError);
  const error = caught as MoneyError;
  expect({ code: error.code, field: error.field }).toEqual({ code, field });
  expect(error.message).toContain(field);
  return error;
}

describe('reverseSplit examples', () => {
  const split = { platform: 100, creator: 150, seller: 750 };

  it('reverses a partial refund in proportion', () => {
    expect(reverseSplit({ split, reversed: ZERO }, 100)).toEqual({ platform: 10, creator: 15, seller: 75 });
  });

  it('reverses everything on a full refund', () => {
    expect(reverseSplit({ split, reversed: ZERO }, 1000)).toEqual(split);
  });

  it('reverses exactly what is left after earlier refunds', () => {
    const first = reverseSplit({ split, reversed: ZERO }, 333);
    expect(first).toEqual({ platform: 33, creator: 50, seller: 250 });
    expect(reverseSplit({ split, reversed: first }, 667)).toEqual({ platform: 67, creator: 100, seller: 500 });
  });

  it('weights by what each party still holds, not by the original split', () => {
    // The creator has already been fully reversed, so it cannot lose more.
    const reversed = { platform: 0, creator: 150, seller: 0 };
    expect(reverseSplit({ split, reversed }, 85)).toEqual({ platform: 10, creator: 0, seller: 75 });
  });

  it('refunds one unit at a time without ever over-reversing a party', () => {
    let reversed = ZERO;
    const small = { platform: 1, creator: 1, seller: 1 };
    for (let step = 0; step < 3; step++) reversed = add(reversed, reverseSplit({ split: small, reversed }, 1));
    expect(reversed).toEqual(small);
  });

  it('breaks ties seller first, then creator, then platform', () => {
    expect(reverseSplit({ split: { platform: 1, creator: 1, seller: 1 }, reversed: ZERO }, 1)).toEqual({
      platform: 0,
      creator: 0,
      seller: 1,
    });
    expect(reverseSplit({ split: { platform: 1, creator: 1, seller: 0 }, reversed: ZERO }, 1)).toEqual({
      platform: 0,
      creator: 1,
      seller: 0,
    });
    expect(reverseSplit({ split: { platform: 1, creator: 1, seller: 1 }, reversed: ZERO }, 2)).toEqual({
      platform: 0,
      creator: 1,
      seller: 1,
    });
  });

  it('handles legs whose total passes Number.MAX_SAFE_INTEGER', () => {
    const huge = { platform: MAX, creator: MAX, seller: MAX };
    expect(reverseSplit({ split: huge, reversed: ZERO }, MAX)).toEqual({
      platform: 3_002_399_751_580_330,
      creator: 3_002_399_751_580_330,
      seller: 3_002_399_751_580_331,
    });
  });
});

describe('reverseSplit validation', () => {
  const split = { platform: 100, creator: 150, seller: 750 };

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX + 1])('rejects refundAmount %s', (refund) => {
    expectMoneyError(() => reverseSplit({ split, reversed: ZERO }, refund), 'invalid_amount', 'refundAmount');
  });

  it('rejects a refund larger than what is left and says how much is refundable', () => {
    const error = expectMoneyError(
      () => reverseSplit({ split, reversed: { platform: 10, creator: 15, seller: 75 } }, 901),
      'refund_exceeds_capture',
      'refundAmount',
    );
    expect(error.message).toContain('900');
  });

  it('rejects any refund on a fully reversed order', () => {
    const error = expectMoneyError(
      () => reverseSplit({ split, reversed: split }, 1),
      'refund_exceeds_capture',
      'refundAmount',
    );
    expect(error.message).toContain('amount of 0');
  });

  it.each([
    ['order.split.platform', { split: { ...split, platform: -1 }, reversed: ZERO }],
    ['order.split.creator', { split: { ...split, creator: 1.5 }, reversed: ZERO }],
    ['order.split.seller', { split: { ...split, seller: MAX + 1 }, reversed: ZERO }],
    ['order.reversed.platform', { split, reversed: { ...ZERO, platform: Number.NaN } }],
    ['order.reversed.creator', { split, reversed: { ...ZERO, creator: -5 } }],
    ['order.reversed.seller', { split, reversed: { ...ZERO, seller: 0.1 } }],
    ['order.reversed.creator', { split, reversed: { ...ZERO, creator: 151 } }],
  ] satisfies [string, SplitLedger][])('rejects a malformed %s', (field, order) => {
    expectMoneyError(() => reverseSplit(order, 1), 'invalid_amount', field);
  });
});

describe('reverseSplit properties', () => {
  it('random partial refunds never over-reverse, sum to each refund, and a final full refund reverses everything', () => {
    fc.assert(
      fc.property(splitArb, refundSeedsArb, (split, seeds) => {
        let reversed = ZERO;
        for (const seed of seeds) {
          const remaining = total(split) - total(reversed);
          if (remaining === 0n) break;
          const refund = Number(minBig(1n + (BigInt(seed) % remaining), BigInt(MAX)));
          reversed = refundAndCheck(split, reversed, refund);
        }
        // Refund the rest (in MAX-sized pieces when it passes the safe range).
        for (
          let remaining = total(split) - total(reversed);
          remaining > 0n;
          remaining = total(split) - total(reversed)
        ) {
          reversed = refundAndCheck(split, reversed, Number(minBig(remaining, BigInt(MAX))));
        }
        return sameAllocation(reversed, split);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refunding the whole remaining balance at once reverses exactly what is left', () => {
    const ledgerArb = fc
      .tuple(grossArb, rulesArb)
      .map(([gross, rules]) => splitAmount(gross, rules))
      .chain((split) =>
        fc
          .record({
            platform: fc.integer({ min: 0, max: split.platform }),
            creator: fc.integer({ min: 0, max: split.creator }),
            seller: fc.integer({ min: 0, max: split.seller }),
          })
          .map((reversed) => ({ split, reversed })),
      )
      .filter(({ split, reversed }) => total(split) > total(reversed));
    fc.assert(
      fc.property(ledgerArb, ({ split, reversed }) => {
        const reversal = reverseSplit({ split, reversed }, Number(total(split) - total(reversed)));
        return sameAllocation(add(reversed, reversal), split);
      }),
      { numRuns: 10_000 },
    );
  });
});
