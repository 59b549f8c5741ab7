import { adaptDelivery, detectSource } from '../registry';
import { AdapterOptions, AdapterResult, WebhookHeaders } from '../types';
import { loadFixture, NOW } from './fixtures';

/** What the event route does with a delivery: detect its source, then adapt it. */
export function detectAndAdapt(
  headers: WebhookHeaders,
  body: unknown,
  options: Partial<AdapterOptions> = {},
): AdapterResult & { source: string } {
  const source = detectSource(headers, body);
  return { source, ...adaptDelivery(source, headers, body, options) };
}

export interface FixtureCase {
  file: string;
  name?: string;
  headers?: WebhookHeaders;
  options?: Partial<AdapterOptions>;
  edit?: (body: any) => void;
  expected: AdapterResult;
}

/**
 * Turns fixture cases into an it.each table that runs each one through
 * detectAndAdapt (so detection is covered too), plus the list of fixture
 * files the cases cover.
 */
export function fixtureCases(
  tool: string,
  headersFor: (file: string) => WebhookHeaders,
  cases: FixtureCase[],
) {
  const files = [...new Set(cases.map(c => c.file))].sort();
  const table = cases.map(c => {
    const run = () => {
      const body = loadFixture(tool, c.file);
      c.edit?.(body);
      return detectAndAdapt({ ...headersFor(c.file), ...c.headers }, body, {
        now: () => NOW,
        ...c.options,
      });
    };
    return [
      c.name ? `${c.file}: ${c.name}` : c.file,
      run,
      { source: tool, ...c.expected },
    ] as const;
  });
  return { files, table };
}
