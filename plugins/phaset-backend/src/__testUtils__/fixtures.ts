import fs from 'fs';
import path from 'path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const commonFixtures = resolvePackagePath(
  '@internal/backstage-plugin-phaset-common',
  'src/__fixtures__',
);

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(commonFixtures, file), 'utf8'));
}

/** Seed 001's "relatively comprehensive example" manifest. */
export const seedManifest = () => readJson('seed-001.manifest.json');

/** Output of a real `npx standardlint --output` run (StandardLint 1.0.3). */
export const standardLintOutput = () => readJson('standardlint.results.json');
