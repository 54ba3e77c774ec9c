/** Percentiles of a set of durations, in milliseconds. */
export interface LatencyStats {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** One bar of a histogram: samples in `[from, to)`. */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** A latency distribution: its percentiles and a histogram for the report. */
export interface LatencyDistribution {
  readonly stats: LatencyStats;
  readonly bins: readonly HistogramBin[];
  /** How the bins are spaced: evenly, or evenly in log10 (for latencies with a long tail). */
  readonly scale: 'linear' | 'log';
}

/** Collects durations (ms) as they happen. */
export class LatencyRecorder {
  readonly #samples: number[] = [];

  /** Adds one duration in milliseconds. */
  record(ms: number): void {
    this.#samples.push(ms);
  }

  /** Times `work` with `performance.now()` and records it, whether it succeeds or throws. */
  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.record(performance.now() - started);
    }
  }

  /** Times synchronous `work` and records it, whether it returns or throws. */
  timeSync<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.record(performance.now() - started);
    }
  }

  get count(): number {
    return this.#samples.length;
  }

  /** The distribution so far, binned evenly in log10 (`binsPerDecade` bars per factor of ten). */
  distribution(binsPerDecade = 10): LatencyDistribution {
    return { stats: statsOf(this.#samples), bins: logHistogramOf(this.#samples, binsPerDecade), scale: 'log' };
  }
}

/** Nearest-rank percentile of sorted values (`p` in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Percentiles, min, max and mean of `samples`. */
export function statsOf(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    mean: sorted.length === 0 ? 0 : sum / sorted.length,
  };
}

/** A "nice" bin width (1, 2 or 5 × a power of ten) so the axis reads in round numbers. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/**
 * A histogram of `samples` in about `target` bars of a round width, from `origin` to just past the
 * 99.5th percentile; the few samples beyond land in the last bar (its `to` is then the true maximum).
 */
export function histogramOf(samples: readonly number[], target = 24, origin = 0): HistogramBin[] {
  if (samples.length === 0) return [];
  const sorted = [...samples].sort((a, b) => a - b);
  const top = Math.max(percentile(sorted, 99.5) - origin, 0.001);
  const width = niceStep(top / target);
  const count = Math.max(1, Math.ceil(top / width));
  const bins = Array.from({ length: count }, (_, index) => ({
    from: origin + index * width,
    to: origin + (index + 1) * width,
    count: 0,
  }));
  for (const value of sorted) bins[Math.min(count - 1, Math.max(0, Math.floor((value - origin) / width)))]!.count++;
  const last = bins[count - 1]!;
  if (sorted[sorted.length - 1]! > last.to) last.to = sorted[sorted.length - 1]!;
  return bins;
}

/**
 * A histogram with bars evenly spaced in log10, `binsPerDecade` per factor of ten, from the decade
 * step below the smallest sample to the one above the largest: a long tail stays readable next to
 * a tight body. Samples at or below 0 count in the first bar.
 */
export function logHistogramOf(samples: readonly number[], binsPerDecade = 10): HistogramBin[] {
  if (samples.length === 0) return [];
  const positive = samples.filter((value) => value > 0);
  const smallest = positive.length ? positive.reduce((a, b) => Math.min(a, b)) : 1;
  const largest = positive.length ? positive.reduce((a, b) => Math.max(a, b)) : 1;
  const low = Math.floor(Math.log10(smallest) * binsPerDecade);
  const high = Math.max(low + 1, Math.floor(Math.log10(largest) * binsPerDecade + 1e-9) + 1);
  const bins = Array.from({ length: high - low }, (_, index) => ({
    from: 10 ** ((low + index) / binsPerDecade),
    to: 10 ** ((low + index + 1) / binsPerDecade),
    count: 0,
  }));
  for (const value of samples) {
    const index = value > 0 ? Math.floor(Math.log10(value) * binsPerDecade + 1e-9) - low : 0;
    bins[Math.min(bins.length - 1, Math.max(0, index))]!.count++;
  }
  return bins;
}

/** Median of `values` (the mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
