import { useSearchParams } from 'react-router-dom';
import type { FactListKind, TimeWindow } from '../../api';

const KINDS: readonly FactListKind[] = [
  'deployments',
  'changes',
  'incidents',
  'pull-requests',
];

/** A list a person opened: which one, of which Record, for which window. */
export type FactListRequest = {
  kind: FactListKind;
  recordId: string;
  /** A chart bucket's window; absent for the page's window. */
  window?: TimeWindow;
};

const PARAMS = {
  kind: 'facts',
  recordId: 'factsRecord',
  from: 'factsFrom',
  to: 'factsTo',
} as const;

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The open list, kept in the URL (`?facts=deployments&factsRecord=…` and a
 * bucket's `factsFrom`/`factsTo`) beside the page's `window`, so that a link
 * opens the same list and the browser's back button closes it.
 */
export function useFactList(): {
  request?: FactListRequest;
  open(request: FactListRequest): void;
  close(): void;
} {
  const [params, setParams] = useSearchParams();
  const kind = params.get(PARAMS.kind) as FactListKind | null;
  const recordId = params.get(PARAMS.recordId);
  const from = parseDate(params.get(PARAMS.from));
  const to = parseDate(params.get(PARAMS.to));
  const request =
    kind && KINDS.includes(kind) && recordId
      ? {
          kind,
          recordId,
          ...(from && to && from < to && { window: { from, to } }),
        }
      : undefined;
  const update = (next?: FactListRequest) =>
    setParams(current => {
      const updated = new URLSearchParams(current);
      for (const name of Object.values(PARAMS)) updated.delete(name);
      if (next) {
        updated.set(PARAMS.kind, next.kind);
        updated.set(PARAMS.recordId, next.recordId);
        if (next.window) {
          updated.set(PARAMS.from, next.window.from.toISOString());
          updated.set(PARAMS.to, next.window.to.toISOString());
        }
      }
      return updated;
    });
  return { request, open: next => update(next), close: () => update() };
}
