import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from './money-error';
import { SPLIT_PARTIES, splitAmount, type SplitParty, type SplitRules } from './split';

const MAX = Number.MAX_SAFE_INTEGER;

/** Amounts that stress rounding: 0, 1 and small odd values, everyday sizes, and the top of the safe range. */
const grossArb = fc.oneof(
  fc.integer({ min: 0, max: 101 }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.maxSafeNat(),
  fc.integer({ min: MAX - 100_000, max: MAX }),
);

/** Boundary rules (0, 100%, thirds, halves) as often as arbitrary ones. */
const bpsArb = fc.oneof(fc.constantFrom(0, 1, 3333, 5000, 9999, 10_000), fc.integer({ min: 0, max: 10_000 }));
const rulesArb: fc.Arbitrary<SplitRules> = bpsArb.chain((platformFeeBps) =>
  fc
    .oneof(fc.constantFrom(0, 10_000 - platformFeeBps), fc.integer({ min: 0, max: 10_000 - platformFeeBps }))
    .map((creatorCommissionBps) => ({ platformFeeBps, creatorCommissionBps })),
);

function bpsOf(rules: SplitRules): Record<SplitParty, bigint> {
  return {
    platform: BigInt(rules.platformFeeBps),
    creator: BigInt(rules.creatorCommissionBps),
    seller: BigInt(10_000 - rules.platformFeeBps - rules.creatorCommissionBps),
  };
}

/** The documented tie order: seller, then creator, then platform. */
const TIE_RANK: Record<SplitParty, number> = { seller: 0, creator: 1, platform: 2 };

function expectMoneyError(run: () => unknown, code: MoneyError['code'], field: string): MoneyError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyError);
  const error = caught as MoneyError;
  expect({ code: error.code, field: error.field, name: error.name }).toEqual({ code, field, name: 'MoneyError' });
  expect(error.message).toContain(field);
  return error;
}

describe('splitAmount examples', () => {
  it('splits 10.00 at 10% fee and 15% commission', () => {
    expect(splitAmount(1000, { platformFeeBps: 1000, creatorCommissionBps: 1500 })).toEqual({
      platform: 100,
      creator: 150,
      seller: 750,
    });
  });

  it('splits zero into zeros', () => {
    expect(splitAmount(0, { platformFeeBps: 1000, creatorCommissionBps: 1500 })).toEqual({
      platform: 0,
      creator: 0,
      seller: 0,
    });
  });

  it('gives the seller everything when both rules are zero, and the platform everything at 100%', () => {
    expect(splitAmount(1, { platformFeeBps: 0, creatorCommissionBps: 0 })).toEqual({
      platform: 0,
      creator: 0,
      seller: 1,
    });
    expect(splitAmount(999, { platformFeeBps: 10_000, creatorCommissionBps: 0 })).toEqual({
      platform: 999,
      creator: 0,
      seller: 0,
    });
  });

  it('hands leftover units to the largest remainders', () => {
    // exact shares 0.9999, 0.9999, 1.0002: the two 0.9999 legs are rounded up, not the seller.
    expect(splitAmount(3, { platformFeeBps: 3333, creatorCommissionBps: 3333 })).toEqual({
      platform: 1,
      creator: 1,
      seller: 1,
    });
    // exact shares 0.7, 1.05, 5.25: one unit left over, it goes to platform (.7 is largest).
    expect(splitAmount(7, { platformFeeBps: 1000, creatorCommissionBps: 1500 })).toEqual({
      platform: 1,
      creator: 1,
      seller: 5,
    });
  });

  it('breaks ties seller first, then creator, then platform', () => {
    // platform 0.5 vs seller 0.5: seller wins.
    expect(splitAmount(1, { platformFeeBps: 5000, creatorCommissionBps: 0 })).toEqual({
      platform: 0,
      creator: 0,
      seller: 1,
    });
    // platform 0.5 vs creator 0.5: creator wins.
    expect(splitAmount(1, { platformFeeBps: 5000, creatorCommissionBps: 5000 })).toEqual({
      platform: 0,
      creator: 1,
      seller: 0,
    });
    // creator 0.5 vs seller 0.5 (platform exact at 1): seller wins.
    expect(splitAmount(2, { platformFeeBps: 5000, creatorCommissionBps: 2500 })).toEqual({
      platform: 1,
      creator: 0,
      seller: 1,
    });
    // all three legs at .5 with one unit left over... impossible with a 10000 denominator, so:
    // platform 0.25, creator 0.25, seller 0.5 -> seller's larger remainder wins outright.
    expect(splitAmount(1, { platformFeeBps: 2500, creatorCommissionBps: 2500 })).toEqual({
      platform: 0,
      creator: 0,
      seller: 1,
    });
  });

  it('is exact at Number.MAX_SAFE_INTEGER', () => {
    // exact shares ...099.1, ...148.65, ...743.25: the one leftover unit goes to the creator.
    expect(splitAmount(MAX, { platformFeeBps: 1000, creatorCommissionBps: 1500 })).toEqual({
      platform: 900_719_925_474_099,
      creator: 1_351_079_888_211_149,
      seller: 6_755_399_441_055_743,
    });
  });

  it('lists every party once', () => {
    expect([...SPLIT_PARTIES].sort()).toEqual(['creator', 'platform', 'seller']);
  });
});

describe('splitAmount validation', () => {
  const rules = { platformFeeBps: 1000, creatorCommissionBps: 1500 };

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX + 1, -MAX])('rejects gross %s', (gross) => {
    expectMoneyError(() => splitAmount(gross, rules), 'invalid_amount', 'gross');
  });

  it.each([-1, 10_001, 0.5, Number.NaN])('rejects platformFeeBps %s', (platformFeeBps) => {
    expectMoneyError(
      () => splitAmount(1000, { platformFeeBps, creatorCommissionBps: 0 }),
      'invalid_split_rule',
      'rules.platformFeeBps',
    );
  });

  it.each([-1, 10_001, 0.5, Number.NaN])('rejects creatorCommissionBps %s', (creatorCommissionBps) => {
    expectMoneyError(
      () => splitAmount(1000, { platformFeeBps: 0, creatorCommissionBps }),
      'invalid_split_rule',
      'rules.creatorCommissionBps',
    );
  });

  it('rejects rules that add up to more than 100% and says the sum', () => {
    const error = expectMoneyError(
      () => splitAmount(1000, { platformFeeBps: 6000, creatorCommissionBps: 4001 }),
      'invalid_split_rule',
      'rules',
    );
    expect(error.message).toContain('10001');
  });

  it('accepts rules that add up to exactly 100%', () => {
    expect(splitAmount(3, { platformFeeBps: 6000, creatorCommissionBps: 4000 })).toEqual({
      platform: 2,
      creator: 1,
      seller: 0,
    });
  });
});

// Property bodies return booleans rather than calling expect(): fast-check still reports the
// shrunk counterexample, and 75,000 runs stay fast.
describe('splitAmount properties', () => {
  it('legs are non-negative safe integers that sum exactly to gross', () => {
    fc.assert(
      fc.property(grossArb, rulesArb, (gross, rules) => {
        const split = splitAmount(gross, rules);
        const legsValid = SPLIT_PARTIES.every((party) => Number.isSafeInteger(split[party]) && split[party] >= 0);
        return legsValid && BigInt(split.platform) + BigInt(split.creator) + BigInt(split.seller) === BigInt(gross);
      }),
      { numRuns: 30_000 },
    );
  });

  it('each leg is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(grossArb, rulesArb, (gross, rules) => {
        const split = splitAmount(gross, rules);
        const bps = bpsOf(rules);
        return SPLIT_PARTIES.every((party) => {
          // |leg - gross * bps / 10000| < 1, scaled by 10000 to stay in integers.
          const error = BigInt(split[party]) * 10_000n - BigInt(gross) * bps[party];
          return error < 10_000n && error > -10_000n;
        });
      }),
      { numRuns: 30_000 },
    );
  });

  it('rounds up exactly the largest remainders, ties in seller, creator, platform order', () => {
    fc.assert(
      fc.property(grossArb, rulesArb, (gross, rules) => {
        const split = splitAmount(gross, rules);
        const bps = bpsOf(rules);
        const legs = SPLIT_PARTIES.map((party) => {
          const scaled = BigInt(gross) * bps[party];
          return { party, remainder: scaled % 10_000n, roundedUp: BigInt(split[party]) * 10_000n > scaled };
        });
        const up = legs.filter((leg) => leg.roundedUp);
        const down = legs.filter((leg) => !leg.roundedUp);
        return up.every(
          (u) =>
            u.remainder > 0n &&
            down.every(
              (d) =>
                u.remainder > d.remainder || (u.remainder === d.remainder && TIE_RANK[u.party] < TIE_RANK[d.party]),
            ),
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it('is deterministic: the same input always gives the same split', () => {
    fc.assert(
      fc.property(grossArb, rulesArb, (gross, rules) => {
        const first = splitAmount(gross, rules);
        // A fresh rules object with keys in the other order must not matter either.
        const again = splitAmount(gross, {
          creatorCommissionBps: rules.creatorCommissionBps,
          platformFeeBps: rules.platformFeeBps,
        });
        return SPLIT_PARTIES.every((party) => again[party] === first[party]);
      }),
      { numRuns: 5_000 },
    );
  });
});
