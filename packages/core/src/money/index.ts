/**
 * Exact money for LiveDrop: supported currencies and their minor units, display formatting,
 * and the platform/creator/seller split of a payment and of its refunds. Every amount is an
 * integer number of minor units; no float ever enters the arithmetic.
 *
 * @module money
 */
export {
  CURRENCY_CODES,
  CURRENCY_EXPONENTS,
  currencyExponent,
  formatMoney,
  isCurrencyCode,
  toDecimalAmount,
} from './currency';
export type { CurrencyCode } from './currency';

export { MoneyError } from './money-error';
export type { MoneyErrorCode } from './money-error';

export { SPLIT_PARTIES, splitAmount } from './split';
export type { SplitAllocation, SplitParty, SplitRules } from './split';

export { reverseSplit } from './reverse';
export type { SplitLedger } from './reverse';
