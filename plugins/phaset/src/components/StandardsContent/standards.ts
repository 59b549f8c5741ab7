import type { PhasetBaseline } from '@internal/backstage-plugin-phaset-common';
import { DateTime } from 'luxon';
import type { StandardsSummary } from '../../api';

export type BaselineCheck = {
  name: string;
  severity: 'error' | 'warn' | 'disabled';
  path?: string;
};

/**
 * The checks of a Baseline with their severity. StandardLint applies the
 * Baseline's `defaultSeverity` (else `error`) to checks given without one.
 */
export function baselineChecks(baseline: PhasetBaseline): BaselineCheck[] {
  const fallback = baseline.config.defaultSeverity ?? 'error';
  const served = baseline.config.checks.map(
    (check): BaselineCheck =>
      typeof check === 'string'
        ? { name: check, severity: fallback }
        : {
            name: check.name,
            severity: check.severity ?? fallback,
            path: check.path,
          },
  );
  const disabled = (baseline.disabledChecks ?? []).map(
    (name): BaselineCheck => ({ name, severity: 'disabled' }),
  );
  return [...served, ...disabled];
}

/** Checks passed ÷ checks run; undefined when nothing ran. */
export function passRate(run: StandardsSummary): number | undefined {
  const total = run.passes + run.warnings + run.failures;
  return total === 0 ? undefined : run.passes / total;
}

/**
 * The history chart's bars, oldest on the left as the API answers them,
 * labelled with the time too since CI may post several results a day.
 */
export function historyBars(history: StandardsSummary[]) {
  return history.map(run => ({
    label: DateTime.fromISO(run.createdAt).toFormat('d LLL HH:mm'),
    Passes: run.passes,
    Warnings: run.warnings,
    Failures: run.failures,
  }));
}
