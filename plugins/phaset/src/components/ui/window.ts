import { useSearchParams } from 'react-router-dom';
import type { SeriesInterval, TimeWindow } from '../../api';

/** Window lengths offered by the picker, in days. */
export const WINDOW_CHOICES = [7, 30, 90, 180, 365] as const;
export type WindowDays = (typeof WINDOW_CHOICES)[number];
export const DEFAULT_WINDOW_DAYS: WindowDays = 30;

const DAY_MS = 86_400_000;
const SEARCH_PARAM = 'window';

/**
 * The window of `days` days ending at the next UTC midnight: the same all day,
 * so a shared link (and a test reading the API) sees the same numbers.
 */
export function windowOfDays(days: number, now: Date = new Date()): TimeWindow {
  const to = new Date(now);
  to.setUTCHours(24, 0, 0, 0);
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}

/** The window of the same length just before `window`. */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = window.to.getTime() - window.from.getTime();
  return { from: new Date(window.from.getTime() - length), to: window.from };
}

/** Daily buckets for a week, weekly up to 90 days, monthly from 180 days. */
export function seriesInterval(days: number): SeriesInterval {
  if (days <= 7) return 'day';
  return days >= 180 ? 'month' : 'week';
}

/** The window length kept in the URL (`?window=90`), so a link shows the same view. */
export function useWindowDays(): [WindowDays, (days: WindowDays) => void] {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get(SEARCH_PARAM));
  const days = (WINDOW_CHOICES as readonly number[]).includes(raw)
    ? (raw as WindowDays)
    : DEFAULT_WINDOW_DAYS;
  const setDays = (next: WindowDays) => {
    setParams(
      current => {
        const updated = new URLSearchParams(current);
        updated.set(SEARCH_PARAM, String(next));
        return updated;
      },
      { replace: true },
    );
  };
  return [days, setDays];
}
