import fs from 'fs';
import path from 'path';

// The shared webhook fixtures live next to the repository: <root>/../shared.
const FIXTURES_DIR = path.resolve(
  __dirname,
  '../../../../../../shared/fixtures/webhooks',
);

export function fixtureNames(tool: string): string[] {
  return fs
    .readdirSync(path.join(FIXTURES_DIR, tool))
    .filter(name => name.endsWith('.json'))
    .sort();
}

export function loadFixture(tool: string, name: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, tool, name), 'utf8'),
  );
}

export const NOW = new Date('2030-01-01T00:00:00Z');

export const date = (iso: string) => new Date(iso);
