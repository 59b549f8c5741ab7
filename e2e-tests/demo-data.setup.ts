import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';
import { test as setup } from '@playwright/test';

// Sends the demo history to the backend the tests use, as scripts/start.sh
// does; deliveries already stored are answered as duplicates.
setup('demo Records have their history', async () => {
  setup.setTimeout(600_000);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.resolve(__dirname, '../scripts/seed-demo.mjs'),
      '--backend',
      process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007',
    ],
    { timeout: 590_000 },
  );
  process.stdout.write(stdout);
});
