/**
 * Runs `work` on every item with at most `limit` in flight, like a crowd pressing one button:
 * each worker takes the next item as soon as it is free. Resolves once all are done; the first
 * error rejects (work is expected to turn the answers it expects into values).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
