import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { Knex } from 'knex';
import {
  EVENT_COLUMNS,
  EVENT_INTERNAL_COLUMNS,
  EVENT_TIME_COLUMNS,
  EventRow,
  RawEventRow,
  TABLES,
} from '../database/tables';
import { toIsoString } from '../database/time';
import { FACT_COLUMNS, factsFromRows, FactRow } from '../database/MetricsStore';
import { MetricsFacts } from '../metrics/computeMetrics';
import { fixtureNames, fixturesDir } from '../webhooks/__testUtils__/fixtures';

const SOURCES_DIR = path.resolve(__dirname, '../webhooks/sources');

/** Every tool's fixtures, as [tool, file]. */
export function allFixtures(): Array<[tool: string, file: string]> {
  return fs
    .readdirSync(SOURCES_DIR, { withFileTypes: true })
    .filter(
      entry => entry.isDirectory() && fs.existsSync(fixturesDir(entry.name)),
    )
    .flatMap(dir =>
      fixtureNames(dir.name).map(file => [dir.name, file] as [string, string]),
    )
    .sort();
}

/** The fixture's bytes, posted as they are. */
export function rawFixture(tool: string, file: string): string {
  return fs.readFileSync(path.join(fixturesDir(tool), file), 'utf8');
}

const GITLAB_HOOKS: Record<string, string> = {
  push: 'Push Hook',
  merge_request: 'Merge Request Hook',
  note: 'Note Hook',
  issue: 'Issue Hook',
  deployment: 'Deployment Hook',
  pipeline: 'Pipeline Hook',
};

/** The headers each tool sends with this fixture's event (see SOURCES.md). */
export function fixtureHeaders(
  tool: string,
  file: string,
  delivery: string,
): Record<string, string> {
  const event = file.split('.')[0];
  switch (tool) {
    case 'github':
      return { 'X-GitHub-Event': event, 'X-GitHub-Delivery': delivery };
    case 'gitlab':
      return {
        'X-Gitlab-Event': GITLAB_HOOKS[event],
        'X-Gitlab-Event-UUID': delivery,
      };
    case 'bitbucket':
      return {
        'X-Event-Key': file.replace(/\.json$/, '').replace('.', ':'),
        'X-Request-UUID': delivery,
      };
    case 'linear':
      return { 'Linear-Event': event, 'Linear-Delivery': delivery };
    default:
      return {};
  }
}

function readable(column: string, value: unknown) {
  if ((EVENT_TIME_COLUMNS as readonly string[]).includes(column)) {
    return toIsoString(value as Date);
  }
  // SQLite returns booleans as 0/1.
  return column === 'is_production' ? Boolean(value) : value;
}

/** A Record's stored events, without row ids and nulls, dates as ISO strings. */
export async function storedEvents(knex: Knex, recordId: string) {
  const rows = await knex(TABLES.events)
    .where({ record_id: recordId })
    .orderBy('occurred_at')
    .orderBy('kind')
    // Ties (one delivery's commits) in a stable order on both engines.
    .orderBy('commit_sha')
    .orderBy('external_id');
  return rows.map(row =>
    Object.fromEntries(
      Object.entries(row)
        .filter(
          ([key, value]) =>
            value !== null &&
            !(EVENT_INTERNAL_COLUMNS as readonly string[]).includes(key),
        )
        .map(([key, value]) => [key, readable(key, value)]),
    ),
  );
}

export async function countRows(knex: Knex, recordId: string) {
  const [events] = await knex(TABLES.events)
    .where({ record_id: recordId })
    .count({ n: '*' });
  const [raw] = await knex(TABLES.rawEvents)
    .where({ record_id: recordId })
    .count({ n: '*' });
  return { events: Number(events.n), raw: Number(raw.n) };
}

/** A fresh Record with a webhook of `source`, so each test sees only its own events. */
export async function newRecord(
  server: Parameters<typeof request>[0],
  source = 'ci',
) {
  const created = await request(server)
    .post('/api/phaset/records')
    .send({ organization: 'demoorg' })
    .expect(201);
  const id: string = created.body.id;
  const webhook = await request(server)
    .post(`/api/phaset/records/${id}/webhooks`)
    .send({ name: `${source}-hook`, source })
    .expect(201);
  return {
    id,
    token: webhook.body.token as string,
    webhookId: webhook.body.id as string,
    signingSecret: webhook.body.signingSecret as string | undefined,
    url: webhook.body.url as string,
    eventUrl: `/api/phaset/integration/event/demoorg/${id}/${webhook.body.token}`,
  };
}

/** A raw Phaset delivery of a Record's webhook, with no delivery id. */
export function rawDelivery(
  fields: Pick<RawEventRow, 'id' | 'record_id' | 'token_id'>,
): RawEventRow {
  return {
    source: 'phaset',
    delivery_id: null,
    endpoint: null,
    headers: '{}',
    body: '{}',
    received_at: new Date(),
    ...fields,
  };
}

/** An event row with every column null but those given. */
export function eventRow(
  fields: Pick<
    EventRow,
    'id' | 'record_id' | 'raw_event_id' | 'token_id' | 'source' | 'kind'
  > &
    Partial<EventRow>,
): EventRow {
  const nulls = Object.fromEntries(EVENT_COLUMNS.map(column => [column, null]));
  return { ...nulls, occurred_at: new Date(), ...fields } as EventRow;
}

/**
 * A Record's facts folded from its whole stored history, in the order the
 * windowed reads fold theirs: the reference those reads must equal.
 */
export async function historyFacts(
  knex: Knex,
  recordId: string,
): Promise<MetricsFacts> {
  const rows: FactRow[] = await knex(TABLES.events)
    .select(FACT_COLUMNS)
    .where({ record_id: recordId })
    .orderBy(['occurred_at', 'kind', 'id']);
  return factsFromRows(rows);
}
