import { describe, expect, it } from 'vitest';
import { describeCountdown, formatCountdown, formatPrice, formatRate } from './format';

describe('formatPrice', () => {
  it('uses the currency exponent: cents, whole yen, fils', () => {
    expect(formatPrice({ amount: 12_900, currency: 'USD' }, 'en-US')).toBe('$129.00');
    expect(formatPrice({ amount: 5, currency: 'USD' }, 'en-US')).toBe('$0.05');
    expect(formatPrice({ amount: 12_345, currency: 'JPY' }, 'en-US')).toBe('¥12,345');
    // Intl separates the code from the number with a no-break space.
    expect(formatPrice({ amount: 1_250, currency: 'KWD' }, 'en-US')).toBe('KWD\u00a01.250');
    expect(formatPrice({ amount: 123_456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
  });

  it('renders the largest safe amount exactly (no float division)', () => {
    expect(formatPrice({ amount: Number.MAX_SAFE_INTEGER, currency: 'USD' }, 'en-US')).toBe('$90,071,992,547,409.91');
  });
});

describe('formatCountdown', () => {
  it('reads m:ss under an hour and h:mm:ss from an hour up', () => {
    expect(formatCountdown(600_000)).toBe('10:00');
    expect(formatCountdown(599_001)).toBe('10:00');
    expect(formatCountdown(59_000)).toBe('0:59');
    expect(formatCountdown(3_600_000)).toBe('1:00:00');
    expect(formatCountdown(3_725_000)).toBe('1:02:05');
  });

  it('rounds up to the next second and never goes below 0:00', () => {
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5_000)).toBe('0:00');
  });
});

describe('describeCountdown', () => {
  it('says the time in words with singular and plural units', () => {
    expect(describeCountdown(598_000)).toBe('9 minutes 58 seconds');
    expect(describeCountdown(61_000)).toBe('1 minute 1 second');
    expect(describeCountdown(3_600_000)).toBe('1 hour');
    expect(describeCountdown(-1)).toBe('0 seconds');
  });
});

describe('formatRate', () => {
  it('shows a dispute rate as a percentage with one decimal at most', () => {
    expect(formatRate(0.012)).toBe('1.2%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(0.25)).toBe('25%');
  });
});
