import { formatMoney } from '@livedrop/node';

const integer = new Intl.NumberFormat('en-US');

/** A count with thousands separators, e.g. `2,000`. */
export function count(value: number): string {
  return integer.format(value);
}

/** USD cents for people, e.g. `$1,234.50` (the SDK's exact formatter: no float on the way). */
export function money(cents: number): string {
  return formatMoney({ amount: cents, currency: 'USD' });
}

/** A share as a percentage with one decimal, e.g. `28.1%`. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Milliseconds for people: `85 µs`, `12.4 ms`, `230 ms`, `2.36 s`. */
export function millis(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value < 1) return `${Math.round(value * 1000)} µs`;
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** A duration in hours and minutes, e.g. `48 h 07 min`; an em dash for null. */
export function hoursMinutes(value: number | null): string {
  if (value === null) return '—';
  const minutes = Math.round(value / 60_000);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Basis points as a percentage, e.g. `1500` → `15%`. */
export function bps(value: number): string {
  return `${value / 100}%`;
}

/** A round axis value in milliseconds, e.g. `20 ms`, `1 s`, `10 s`. */
export function millisTick(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toPrecision(3))} s`;
  return `${Number(value.toPrecision(3))} ms`;
}
