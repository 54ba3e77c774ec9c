import { formatMoney, type Money } from '@livedrop/browser';

/**
 * A price for display, with exactly the currency's minor-unit exponent (`$129.00`, `¥500`,
 * `KWD 1.250`). Amounts stay integers all the way: core's `formatMoney` builds the decimal from the
 * digits, never by float division.
 */
export function formatPrice(money: Money, locale: string): string {
  return formatMoney(money, locale);
}

/** Whole seconds left, rounded up, so a timer reads `0:01` until the very end; never negative. */
function secondsLeft(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * A countdown as a clock: `m:ss` under an hour, `h:mm:ss` from an hour up, `0:00` once past.
 * @example formatCountdown(599_001) // '10:00'
 */
export function formatCountdown(ms: number): string {
  const total = secondsLeft(ms);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * A countdown in words for screen readers: `9 minutes 58 seconds`, `1 minute`, `5 seconds`.
 * @example describeCountdown(61_000) // '1 minute 1 second'
 */
export function describeCountdown(ms: number): string {
  const total = secondsLeft(ms);
  const parts: string[] = [];
  const unit = (n: number, name: string) => n > 0 && parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  unit(Math.floor(total / 3600), 'hour');
  unit(Math.floor((total % 3600) / 60), 'minute');
  unit(total % 60, 'second');
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}

/** A seller's dispute rate as a percentage with at most one decimal: `0.012` → `1.2%`. */
export function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
