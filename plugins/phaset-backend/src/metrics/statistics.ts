/** Linear interpolation between closest ranks (PostgreSQL's percentile_cont). */
export function percentile(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export type Summary = {
  count: number;
  median: number;
  p75: number;
  p90: number;
  mean: number;
};

/** Median, p75, p90 and mean of a non-empty list. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    count: sorted.length,
    median: percentile(sorted, 0.5),
    p75: percentile(sorted, 0.75),
    p90: percentile(sorted, 0.9),
    mean: sum / sorted.length,
  };
}

/** The summary of a list, null when it is empty. */
export function summaryOf(values: number[]): Summary | null {
  return values.length === 0 ? null : summarize(values);
}

/** Index of the first element >= value in an ascending list (length if none). */
export function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
