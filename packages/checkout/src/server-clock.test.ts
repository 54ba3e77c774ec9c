import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerClock } from './server-clock';

describe('ServerClock', () => {
  afterEach(() => vi.useRealTimers());

  it("follows the server's Date header (read as the middle of its second) and ignores what is not a date", () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-04T12:00:00.000Z') });
    const clock = new ServerClock();
    expect(clock.now()).toBe(Date.parse('2026-12-04T12:00:00.000Z'));
    clock.sync('Wed, 25 Nov 2026 18:00:00 GMT');
    expect(clock.now()).toBe(Date.parse('2026-11-25T18:00:00.500Z'));
    vi.advanceTimersByTime(61_000);
    expect(clock.now()).toBe(Date.parse('2026-11-25T18:01:01.500Z'));
    clock.sync(null);
    clock.sync('not a date');
    expect(clock.now()).toBe(Date.parse('2026-11-25T18:01:01.500Z'));
  });
});
