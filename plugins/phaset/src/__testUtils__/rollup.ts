import { http, HttpResponse } from 'msw';
import type { MetricsRollup } from '../api/types';

/**
 * msw handlers answering a roll-up as the backend pages it: its Records at
 * `/metrics` and its owners at `/metrics/owners`, each as one page.
 * `answer` sees every request's URL.
 */
export function rollupHandlers(
  base: string,
  answer: (url: URL) => MetricsRollup,
) {
  const page =
    (list: 'records' | 'owners') =>
    ({ request }: { request: Request }) => {
      const rollup = answer(new URL(request.url));
      return HttpResponse.json({ window: rollup.window, items: rollup[list] });
    };
  return [
    http.get(`${base}/metrics`, page('records')),
    http.get(`${base}/metrics/owners`, page('owners')),
  ];
}
