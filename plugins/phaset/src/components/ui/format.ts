import { DateTime } from 'luxon';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in the units a person reads: "45 s", "3 h 20 min", "2.4 days". */
export function formatDuration(seconds: number): string {
  if (seconds < MINUTE) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < HOUR) {
    return `${Math.round(seconds / MINUTE)} min`;
  }
  if (seconds < DAY) {
    // Rounded as a whole number of minutes first: 3 h 59.6 min is 4 h.
    const total = Math.round(seconds / MINUTE);
    const hours = Math.floor(total / 60);
    const minutes = total % 60;
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = seconds / DAY;
  const rounded = days < 10 ? Math.round(days * 10) / 10 : Math.round(days);
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** "5 days ago", "in 2 hours". */
export function formatRelative(iso: string): string {
  return DateTime.fromISO(iso).toRelative() ?? iso;
}

/** "12 Mar 2026, 14:05" in the browser's zone. */
export function formatDateTime(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

/** "12 Mar 2026": an ISO time in the browser's zone, a window bound (Date) in UTC. */
export function formatDate(value: string | Date): string {
  const date =
    typeof value === 'string'
      ? DateTime.fromISO(value)
      : DateTime.fromJSDate(value, { zone: 'utc' });
  return date.toLocaleString(DateTime.DATE_MED);
}

export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)} %`;
}

/** Up to two decimals, without trailing zeros: 0.47, 3, 12.5. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A UTC day relative to today: "today", "yesterday", "5 days ago". */
export function formatDayAgo(dayStartIso: string): string {
  const day = DateTime.fromISO(dayStartIso, { zone: 'utc' }).startOf('day');
  const today = DateTime.utc().startOf('day');
  const days = Math.round(today.diff(day, 'days').days);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}
