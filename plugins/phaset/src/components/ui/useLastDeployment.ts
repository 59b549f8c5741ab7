import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef } from '../../api';
import { windowOfDays } from './window';

/** How far back the last deployment is looked for. */
export const LAST_DEPLOYMENT_DAYS = 365;

/**
 * The UTC day of the Record's latest production deployment within a year, from
 * the daily deployments series (the metrics answer has no timestamp for it).
 */
export function useLastDeploymentDay(recordId: string | undefined) {
  const api = useApi(phasetApiRef);
  return useAsync(async () => {
    if (!recordId) return undefined;
    const { points } = await api.getMetricSeries(
      recordId,
      'deployments',
      'day',
      windowOfDays(LAST_DEPLOYMENT_DAYS),
    );
    const last = [...points].reverse().find(p => (p.value ?? 0) > 0);
    return last?.from ?? null;
  }, [api, recordId]);
}
