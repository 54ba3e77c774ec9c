import * as z from 'zod/mini';
import { named } from './named';
import { CURRENCY_CODES } from '../money/currency';

/** An ISO 4217 currency code LiveDrop supports (the exponent table lives in `money/currency.ts`). */
export const Currency = z.enum(CURRENCY_CODES);

/**
 * An amount of money in integer minor units: `{ amount: 1999, currency: "USD" }` is $19.99,
 * `{ amount: 500, currency: "JPY" }` is ¥500, `{ amount: 1250, currency: "KWD" }` is 1.250 KD.
 * Floats, NaN, Infinity and unsafe integers are refused.
 */
export const Money = named(
  z.strictObject({
    amount: z.int().check(z.minimum(0)),
    currency: Currency,
  }),
  'Money',
);
/** An amount in integer minor units; see {@link Money}. */
export type Money = z.infer<typeof Money>;

/**
 * The largest price a request may set, in minor units: 10^10 (100,000,000.00 USD, 10,000,000,000
 * JPY). With at most 1000 units a hold, an order's gross is at most 10^13 minor units, so totals of
 * hundreds of such orders stay exact `number`s (`Number.MAX_SAFE_INTEGER` ≈ 9.007 × 10^15).
 */
export const MAX_PRICE_AMOUNT = 10_000_000_000;

/**
 * A price as a request sets it (an offer's price, compare-at price and floor, an entitlement's
 * floor): {@link Money} of at most {@link MAX_PRICE_AMOUNT} minor units.
 */
export const Price = named(
  z.strictObject({
    amount: z
      .int()
      .check(z.minimum(0), z.maximum(MAX_PRICE_AMOUNT, 'must be at most 10000000000 minor units (MAX_PRICE_AMOUNT)')),
    currency: Currency,
  }),
  'Price',
);
/** A price a request sets; see {@link Price}. */
export type Price = z.infer<typeof Price>;
