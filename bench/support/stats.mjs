/** Small statistics over samples: medians, percentiles, spreads and per-round ratios. */

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The p-th percentile (nearest rank) of `values`. */
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/** `{ median, min, max }` of `values`, rounded to `digits`. */
export const spread = (values, digits = 3) => {
  const round = (n) => Number(n.toFixed(digits));
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
};

/** Per-round ratios `ours[i] / baseline[i]` and their spread. */
export const ratioOfRounds = (ours, baseline) => spread(ours.map((value, round) => value / baseline[round]));

/** A seeded PRNG (mulberry32), so orders are repeatable. */
export function seededRandom(seed = 0x5eed) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
