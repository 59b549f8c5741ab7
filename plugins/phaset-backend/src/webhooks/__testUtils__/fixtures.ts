import fs from 'fs';
import path from 'path';

/** Each tool's published payloads sit in its folder (see sources/SOURCES.md). */
export function fixturesDir(tool: string): string {
  return path.resolve(__dirname, '../sources', tool, '__fixtures__');
}

export function fixtureNames(tool: string): string[] {
  return fs
    .readdirSync(fixturesDir(tool))
    .filter(name => name.endsWith('.json'))
    .sort();
}

export function loadFixture(tool: string, name: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(fixturesDir(tool), name), 'utf8'),
  );
}

export const NOW = new Date('2030-01-01T00:00:00Z');

export const date = (iso: string) => new Date(iso);
