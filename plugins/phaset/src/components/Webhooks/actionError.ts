import { ResponseError } from '@backstage/errors';

/**
 * What a failed action tells the user: the backend's own message for a bad
 * input (it names the field), a plain sentence for a refusal, and that the
 * backend could not be reached for a network failure.
 */
export function actionErrorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    const detail = error.body?.error?.message;
    switch (error.statusCode) {
      case 401:
      case 403:
        return `You are not allowed to do this${detail ? ` (${detail})` : ''}.`;
      case 404:
        return `Not found${detail ? `: ${detail}` : ''}.`;
      default:
        return detail ?? error.message;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Could not reach the Phaset backend: ${message}`;
}
