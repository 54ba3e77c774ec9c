import { describe, expect, it } from 'vitest';
import { Money } from './money';

describe('Money', () => {
  it('accepts integer minor units in a supported currency', () => {
    expect(Money.parse({ amount: 1999, currency: 'USD' })).toEqual({ amount: 1999, currency: 'USD' });
    expect(Money.parse({ amount: 500, currency: 'JPY' })).toEqual({ amount: 500, currency: 'JPY' });
    expect(Money.parse({ amount: 1250, currency: 'KWD' })).toEqual({ amount: 1250, currency: 'KWD' });
  });

  it.each([
    ['fractional cents', { amount: 19.99, currency: 'USD' }, 'amount'],
    ['NaN', { amount: Number.NaN, currency: 'USD' }, 'amount'],
    ['Infinity', { amount: Number.POSITIVE_INFINITY, currency: 'USD' }, 'amount'],
    ['an unsafe integer', { amount: 2 ** 53, currency: 'USD' }, 'amount'],
    ['a negative amount', { amount: -1, currency: 'USD' }, 'amount'],
    ['a string amount', { amount: '10', currency: 'USD' }, 'amount'],
    ['an unknown currency', { amount: 1, currency: 'XYZ' }, 'currency'],
    ['a lowercase currency', { amount: 1, currency: 'usd' }, 'currency'],
  ])('refuses %s, naming the field', (_label, input, field) => {
    const result = Money.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it('refuses unknown keys (no mass assignment)', () => {
    const result = Money.safeParse({ amount: 1, currency: 'USD', fx: 1.1 });
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
