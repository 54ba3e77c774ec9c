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
