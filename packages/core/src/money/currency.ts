import { MoneyError } from './money-error';

/**
 * ISO 4217 minor-unit exponents of the currencies LiveDrop settles in: an `amount` of
 * `12345` means 123.45 USD, 12345 JPY, or 12.345 KWD.
 *
 * This table is the single source of truth for supported currencies; the schemas, the
 * formatter and the docs all derive from it, so adding a currency is one line here.
 *
 * @example
 * ```ts
 * CURRENCY_EXPONENTS.USD; // 2
 * CURRENCY_EXPONENTS.JPY; // 0
 * CURRENCY_EXPONENTS.KWD; // 3
 * ```
 */
export const CURRENCY_EXPONENTS = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  CHF: 2,
  SEK: 2,
  BRL: 2,
  INR: 2,
  MXN: 2,
  JPY: 0,
  KRW: 0,
  CLP: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  JOD: 3,
  OMR: 3,
  TND: 3,
} as const;

/**
 * An ISO 4217 code LiveDrop supports.
 *
 * @example
 * ```ts
 * const currency: CurrencyCode = 'EUR';
 * ```
 */
export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;

/**
 * Every supported currency code, as a non-empty tuple so it can feed `z.enum` directly.
 *
 * @example
 * ```ts
 * const Currency = z.enum(CURRENCY_CODES);
 * ```
 */
// The cast only restates what the literal above guarantees: the table is non-empty.
export const CURRENCY_CODES = Object.freeze(Object.keys(CURRENCY_EXPONENTS)) as readonly [
  CurrencyCode,
  ...CurrencyCode[],
];

/**
 * Whether `value` is a supported currency code. Case-sensitive, as ISO 4217 codes are
 * upper-case on the wire.
 *
 * @example
 * ```ts
 * isCurrencyCode('USD'); // true
 * isCurrencyCode('usd'); // false
 * ```
 */
export function isCurrencyCode(value: unknown): value is CurrencyCode {
  // hasOwn, not `in`: 'toString' and friends must not count as currencies.
  return typeof value === 'string' && Object.hasOwn(CURRENCY_EXPONENTS, value);
}

/**
 * Number of decimal places in one major unit of `code` (10^exponent minor units).
 *
 * @throws RangeError if `code` is not a supported currency (only reachable from untyped code).
 *
 * @example
 * ```ts
 * currencyExponent('USD'); // 2
 * currencyExponent('JPY'); // 0
 * ```
 */
export function currencyExponent(code: CurrencyCode): (typeof CURRENCY_EXPONENTS)[CurrencyCode] {
  if (!isCurrencyCode(code)) {
    throw new RangeError(`currency must be one of ${CURRENCY_CODES.join(', ')}; received ${String(code)}.`);
  }
  return CURRENCY_EXPONENTS[code];
}

/**
 * Formats an integer amount of minor units for display, with exactly the currency's number
 * of decimals.
 *
 * The decimal string is built from the integer's digits and handed to `Intl.NumberFormat`
 * as a string, so no float division ever happens: amounts up to `Number.MAX_SAFE_INTEGER`
 * render exactly.
 *
 * @param money - `amount` in minor units (a safe integer, may be negative) and its currency
 * @param locale - BCP 47 locale used for symbols, grouping and sign placement;
 *   defaults to `'en-US'`
 * @throws {@link MoneyError} `invalid_amount` (field `amount`) if `amount` is not a safe integer
 *
 * @example
 * ```ts
 * formatMoney({ amount: 12345, currency: 'USD' });          // '$123.45'
 * formatMoney({ amount: 12345, currency: 'JPY' });          // '¥12,345'
 * formatMoney({ amount: 1234, currency: 'KWD' });           // 'KWD 1.234'
 * formatMoney({ amount: 123456, currency: 'EUR' }, 'de-DE'); // '1.234,56 €'
 * ```
 */
export function formatMoney(
  money: { readonly amount: number; readonly currency: CurrencyCode },
  locale: string = 'en-US',
): string {
  return formatterFor(locale, money.currency, currencyExponent(money.currency)).format(toDecimalAmount(money));
}

// Building an Intl.NumberFormat costs ~50x more than using one, and price lists format the
// same few locale/currency pairs over and over. The cap keeps untrusted locale strings from
// growing the cache without bound.
const FORMATTER_CACHE_LIMIT = 64;
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(locale: string, currency: CurrencyCode, exponent: number): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    if (formatters.size >= FORMATTER_CACHE_LIMIT) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Writes an amount of minor units as a plain decimal number with exactly the currency's number of
 * decimals, for machine-readable formats (schema.org `price`, CSV). Exact: no float division.
 * @throws {@link MoneyError} `invalid_amount` if `amount` is not a safe integer
 * @example
 * toDecimalAmount({ amount: 12900, currency: 'USD' }); // '129.00'
 * toDecimalAmount({ amount: 1500, currency: 'JPY' });  // '1500'
 */
export function toDecimalAmount(money: { readonly amount: number; readonly currency: CurrencyCode }): `${number}` {
  if (!Number.isSafeInteger(money.amount)) {
    throw new MoneyError(
      'invalid_amount',
      'amount',
      `amount must be a safe integer number of minor units (e.g. 12345 for 123.45 USD); received ${String(money.amount)}.`,
    );
  }
  return toDecimalString(money.amount, currencyExponent(money.currency));
}

/** `12345, 2` -> `'123.45'`; `-5, 3` -> `'-0.005'`. Pure string work, so it is exact. */
function toDecimalString(amount: number, exponent: number): `${number}` {
  // Safe integers stringify without exponent notation, so these are plain digits.
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const sign = amount < 0 ? '-' : '';
  return (exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`) as `${number}`;
}
