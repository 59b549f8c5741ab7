import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium (installed by scripts/test.sh); no
// browser is ever downloaded.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-artifacts/playwright',
  // Starts the real backend (SQLite) and the frontend dev server, or reuses
  // the ones `scripts/start.sh` already runs.
  webServer: [
    {
      command: 'yarn workspace backend start',
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: true,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace app start',
      url: 'http://localhost:3000',
      reuseExistingServer: true,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  // The demo data (scripts/seed-demo.mjs, through the Integration API) is in
  // place before any browser test runs; seeding again adds nothing.
  projects: [
    { name: 'demo-data', testMatch: /demo-data\.setup\.ts$/ },
    {
      name: 'chromium',
      testIgnore: /\.setup\.ts$/,
      dependencies: ['demo-data'],
    },
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    screenshot: 'only-on-failure',
  },
});
