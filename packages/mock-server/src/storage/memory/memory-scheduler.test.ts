import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Job } from '../scheduler';
import { MemoryScheduler } from './memory-scheduler';

const job = (index: number): Job => ({ kind: 'settlement', tenantId: 'ten_1', orderId: `ord_${index}` });

describe('MemoryScheduler', () => {
  it('claims only due jobs, in due order, ties in scheduling order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 60 }),
        async (dues, now) => {
          const scheduler = new MemoryScheduler();
          for (const [index, at] of dues.entries()) await scheduler.schedule(at, job(index));
          const claimed = await scheduler.claimDue(now, 1_000, Number.MAX_SAFE_INTEGER);
          const expected = dues
            .map((at, index) => ({ at, index }))
            .filter((t) => t.at <= now)
            .sort((a, b) => a.at - b.at || a.index - b.index);
          expect(claimed.map((claim) => claim.job)).toEqual(expected.map((t) => job(t.index)));
          expect(await scheduler.claimDue(now, 1_000, 10)).toEqual([]);
          for (const claim of claimed) await scheduler.complete(claim);
          expect(await scheduler.size()).toBe(dues.length - claimed.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands a job whose lease lapsed without completion to the next claimer, and a completed one to nobody', async () => {
    const scheduler = new MemoryScheduler();
    await scheduler.schedule(10, job(1));
    await scheduler.schedule(10, job(2));
    const [first, second] = await scheduler.claimDue(10, 100, 10);
    await scheduler.complete(first!);
    // Before the lease ends nobody else gets the second job; after it, it is due again.
    expect(await scheduler.claimDue(109, 100, 10)).toEqual([]);
    const again = await scheduler.claimDue(110, 100, 10);
    expect(again.map((claim) => claim.job)).toEqual([second!.job]);
    expect(again[0]!.leaseUntil).toBe(210);
    await scheduler.complete(again[0]!);
    expect(await scheduler.size()).toBe(0);
  });

  it('claims at most `limit` jobs per call', async () => {
    const scheduler = new MemoryScheduler();
    for (let index = 0; index < 5; index++) await scheduler.schedule(0, job(index));
    expect(await scheduler.claimDue(0, 100, 2)).toHaveLength(2);
    expect(await scheduler.claimDue(0, 100, 10)).toHaveLength(3);
  });
});
