import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES,
  CURRENCY_EXPONENTS,
  currencyExponent,
  formatMoney,
  isCurrencyCode,
  type CurrencyCode,
} from './currency';
import { MoneyError } from './money-error';

const MAX = Number.MAX_SAFE_INTEGER;

describe('currency table', () => {
  it('lists exactly the codes in the exponent table', () => {
    expect(CURRENCY_CODES.length).toBeGreaterThan(0);
    expect([...CURRENCY_CODES].sort()).toEqual(Object.keys(CURRENCY_EXPONENTS).sort());
  });

  it('knows 0-, 2- and 3-decimal currencies', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('TND')).toBe(3);
  });

  it('recognises supported codes only', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
    expect(isCurrencyCode(42)).toBe(false);
    expect(isCurrencyCode(undefined)).toBe(false);
  });

  it('rejects an unknown currency from untyped callers', () => {
    expect(() => currencyExponent('XYZ' as CurrencyCode)).toThrow(RangeError);
    expect(() => formatMoney({ amount: 1, currency: 'XYZ' as CurrencyCode })).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it.each([
    [12_345, 'USD', '$123.45'],
    [5, 'USD', '$0.05'],
    [-5, 'USD', '-$0.05'],
    [0, 'USD', '$0.00'],
    [1, 'USD', '$0.01'],
    [12_345, 'JPY', '¥12,345'],
    [0, 'JPY', '¥0'],
    [1_234, 'KWD', 'KWD\u00a01.234'],
    [1, 'KWD', 'KWD\u00a00.001'],
    [-1_000, 'BHD', '-BHD\u00a01.000'],
    [MAX, 'USD', '$90,071,992,547,409.91'],
    [MAX, 'KWD', 'KWD\u00a09,007,199,254,740.991'],
    [MAX, 'JPY', '¥9,007,199,254,740,991'],
  ] satisfies [number, CurrencyCode, string][])('formats %s %s as %s', (amount, currency, expected) => {
    expect(formatMoney({ amount, currency })).toBe(expected);
  });

  it('follows the locale', () => {
    expect(formatMoney({ amount: 123_456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney({ amount: 1_234, currency: 'KWD' }, 'de-DE')).toBe('1,234\u00a0KWD');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX + 1])('rejects amount %s', (amount) => {
    let caught: unknown;
    try {
      formatMoney({ amount, currency: 'USD' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MoneyError);
    expect({ code: (caught as MoneyError).code, field: (caught as MoneyError).field }).toEqual({
      code: 'invalid_amount',
      field: 'amount',
    });
  });

  it('shows exactly the integer minor units with the currency’s decimals, for every amount', () => {
    const amountArb = fc.oneof(fc.integer({ min: -1_000, max: 1_000 }), fc.maxSafeInteger());
    fc.assert(
      fc.property(amountArb, fc.constantFrom(...CURRENCY_CODES), (amount, currency) => {
        const formatted = formatMoney({ amount, currency });
        const match = /(\d{1,3}(?:,\d{3})*)(?:\.(\d+))?/.exec(formatted);
        if (match === null) return false;
        const whole = (match[1] ?? '').replaceAll(',', '');
        const fraction = match[2] ?? '';
        return (
          fraction.length === CURRENCY_EXPONENTS[currency] &&
          BigInt(whole + fraction) === BigInt(Math.abs(amount)) &&
          formatted.includes('-') === amount < 0
        );
      }),
      { numRuns: 15_000 },
    );
  });
});
