import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timer-queue';

describe('TimerQueue', () => {
  it('runs only due jobs, in due order, ties in scheduling order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.integer({ min: 0, max: 60 }), (dues, now) => {
        const queue = new TimerQueue();
        const ran: number[] = [];
        dues.forEach((at, index) => queue.schedule(at, () => ran.push(index)));
        expect(queue.runDue(now)).toBe(ran.length);
        const expected = dues.map((at, index) => ({ at, index })).filter((t) => t.at <= now).sort((a, b) => a.at - b.at || a.index - b.index);
        expect(ran).toEqual(expected.map((t) => t.index));
        expect(queue.size).toBe(dues.length - ran.length);
      }),
      { numRuns: 500 },
    );
  });
});
