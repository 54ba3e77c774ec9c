import { describe, expect, it } from 'vitest';
import { PagePromise } from './pagination';

interface NumberPage {
  data: number[];
  hasMore: boolean;
  next: number | null;
}

function pages(total: number, size: number) {
  const calls: (number | null)[] = [];
  const promise = new PagePromise<NumberPage>((previous) => {
    const start = previous ? previous.next : 0;
    if (start === null) return undefined;
    calls.push(start);
    const data = Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
    const hasMore = start + size < total;
    return Promise.resolve({ data, hasMore, next: hasMore ? start + size : null });
  });
  return { promise, calls };
}

describe('PagePromise', () => {
  it('awaits to the first page only', async () => {
    const { promise, calls } = pages(25, 10);
    const first = await promise;
    expect(first.data).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.hasMore).toBe(true);
    expect(calls).toEqual([0]);
  });

  it('iterates every item across pages, fetching lazily and reusing the awaited first page', async () => {
    const { promise, calls } = pages(25, 10);
    await promise;
    const seen: number[] = [];
    for await (const n of promise) {
      seen.push(n);
      if (n === 12) expect(calls).toEqual([0, 10]);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(calls).toEqual([0, 10, 20]);
  });

  it('collects up to a limit without fetching pages it does not need', async () => {
    const { promise, calls } = pages(1000, 10);
    expect(await promise.toArray({ limit: 15 })).toHaveLength(15);
    expect(calls).toEqual([0, 10]);
    expect(await pages(5, 10).promise.toArray()).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops when a page claims more but gives no cursor, and surfaces errors', async () => {
    const stuck = new PagePromise<NumberPage>((previous) =>
      previous ? undefined : Promise.resolve({ data: [1], hasMore: true, next: null }),
    );
    expect(await stuck.toArray()).toEqual([1]);
    const failing = new PagePromise<NumberPage>(() => Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    await expect(failing.toArray()).rejects.toThrow('boom');
  });
});
