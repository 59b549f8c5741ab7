/*
 * Paging of the phaset API's lists that grow: `limit` and `cursor` in the
 * query, `{ items, nextCursor? }` in the answer (see the spec's description).
 */

/** Items per page when a request names no `limit`. @public */
export const DEFAULT_PAGE_LIMIT = 100;

/** The most items one page holds; a larger `limit` is a 400. @public */
export const MAX_PAGE_LIMIT = 1000;
