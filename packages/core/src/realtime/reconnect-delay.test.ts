import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-delay';

describe('reconnectDelay', () => {
  it('doubles from the base per attempt, between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, 1000, 60_000, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, 1000, 60_000, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits longer than the cap', () => {
    expect(reconnectDelay(30, 1000, 30_000, () => 1)).toBe(30_000);
    expect(reconnectDelay(30, 1000, 30_000, () => 0)).toBe(15_000);
  });

  it('spreads a crowd: many draws for the same attempt differ', () => {
    const draws = new Set(Array.from({ length: 50 }, () => reconnectDelay(1, 1000, 30_000)));
    expect(draws.size).toBeGreaterThan(10);
    for (const delay of draws) {
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('treats attempt 0 as the first', () => {
    expect(reconnectDelay(0, 100, 1000, () => 1)).toBe(100);
  });
});
