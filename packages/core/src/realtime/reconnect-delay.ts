/**
 * The wait before reconnection attempt `attempt`: the base (the server's `retry:`) doubled per
 * failed attempt, capped, with "equal jitter" — a uniform draw from the upper half — so a crowd of
 * viewers torn off together does not return together, while nobody reconnects sooner than half
 * of what the server asked.
 * @param attempt 1 for the first attempt after a failure
 */
export function reconnectDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
