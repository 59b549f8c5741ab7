import { DoraMetrics } from '@internal/backstage-plugin-phaset-common';

/**
 * `actual` with its lead-time mean replaced by `expected`'s when the two
 * differ by no more than the order of summation can make them: on
 * PostgreSQL the roll-up's mean is summed by the database, in another order
 * than summarize's, and each of two sums of n non-negative terms is within
 * (n - 1)·ε/2 of the exact sum, relatively. Everything else must be equal.
 */
export function withLeadTimeMeanOf(
  actual: DoraMetrics,
  expected: DoraMetrics,
): DoraMetrics {
  const a = actual.leadTimeForChanges;
  const e = expected.leadTimeForChanges;
  if (!('mean' in a) || !('mean' in e) || a.count !== e.count) return actual;
  const tolerance = a.count * Number.EPSILON * Math.abs(e.mean);
  return Math.abs(a.mean - e.mean) <= tolerance
    ? { ...actual, leadTimeForChanges: { ...a, mean: e.mean } }
    : actual;
}
