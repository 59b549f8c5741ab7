import { createHmac, randomUUID } from 'crypto';
import fs from 'fs';
import path from 'path';
import {
  APIRequestContext,
  expect,
  Locator,
  Page,
  request as playwrightRequest,
  test,
} from '@playwright/test';

/*
 * The self-service flow of the Phaset page on the real backend, in Chromium:
 * connect the demo entity that has no Record, generate a GitHub webhook, post
 * a real GitHub deployment_status delivery signed with the shown secret to the
 * shown URL (as GitHub would), see it counted and on the Metrics tab, rename
 * the webhook, revoke it with its data, see the event gone and the URL answer
 * 401. Saves the screenshots (light and dark) on the way.
 */

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const ENTITY_REF = 'component:default/example-website';
const ENTITY_PAGE = '/catalog/default/component/example-website';
// Like phaset.test.ts: screenshots land in test-artifacts/; the README's copies
// in docs/screenshots/ are taken from a run.
const SHOTS = path.resolve(__dirname, '../test-artifacts');
const FIXTURE = path.resolve(
  __dirname,
  '../plugins/phaset-backend/src/webhooks/sources/github/__fixtures__/deployment_status.success.json',
);

type Theme = 'light' | 'dark';

async function guestApi(): Promise<APIRequestContext> {
  const anonymous = await playwrightRequest.newContext();
  const answer = await anonymous.get(`${BACKEND}/api/auth/guest/refresh`);
  expect(answer.ok()).toBe(true);
  const { token } = (await answer.json()).backstageIdentity;
  await anonymous.dispose();
  return playwrightRequest.newContext({
    baseURL: `${BACKEND}/api/phaset/`,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
}

async function linkedRecords(api: APIRequestContext) {
  const answer = await api.get('records?limit=1000');
  expect(answer.ok()).toBe(true);
  const { items } = await answer.json();
  return (items as Array<{ id: string; entityRef?: string }>).filter(
    record => record.entityRef === ENTITY_REF,
  );
}

/** Starts from an example-website without a Record, whatever a previous run left. */
async function disconnect(api: APIRequestContext) {
  for (const record of await linkedRecords(api)) {
    expect((await api.delete(`records/${record.id}`)).status()).toBe(204);
  }
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText('Catalog').first()).toBeVisible();
}

async function setTheme(page: Page, theme: Theme) {
  await page.evaluate(value => localStorage.setItem('theme', value), theme);
  await page.reload();
}

async function shoot(target: Page | Locator, name: string, theme: Theme) {
  const options = {
    path: path.join(SHOTS, `${name}-${theme}.png`),
    animations: 'disabled' as const,
  };
  await ('goto' in target
    ? target.screenshot({ ...options, fullPage: true })
    : target.screenshot(options));
}

/** The GitHub delivery: the real fixture, dated now as a fresh one would be. */
function githubDelivery(secret: string) {
  const payload = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  payload.deployment.created_at = now;
  payload.deployment.updated_at = now;
  payload.deployment_status.created_at = now;
  payload.deployment_status.updated_at = now;
  const body = JSON.stringify(payload);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return {
    data: body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/e2e',
      'X-GitHub-Event': 'deployment_status',
      'X-GitHub-Delivery': randomUUID(),
      'X-GitHub-Hook-ID': '1',
      'X-Hub-Signature-256': `sha256=${signature}`,
    },
  };
}

async function generateGithubWebhook(page: Page, name: string, theme: Theme) {
  await page.getByRole('button', { name: 'Generate webhook' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Tool').click();
  await page.getByRole('option', { name: 'GitHub', exact: true }).click();
  await dialog.getByLabel('Name').fill(name);
  await shoot(dialog, 'phaset-generate-webhook', theme);
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const url = await dialog.getByTestId('copy-field-Webhook URL').textContent();
  const secret = await dialog
    .getByTestId('copy-field-Signing secret')
    .textContent();
  await expect(dialog.getByTestId('webhook-setup-steps')).toContainText(
    'Deployment statuses',
  );
  await shoot(dialog, 'phaset-webhook-generated', theme);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return { url: url!, secret: secret! };
}

test('connect an entity, generate a GitHub webhook, receive a signed delivery, rename and revoke it with its data', async ({
  page,
}) => {
  test.setTimeout(600_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const api = await guestApi();
  await disconnect(api);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page);

  // The organisation overview and the integrations, in both themes.
  for (const theme of ['light', 'dark'] as const) {
    await page.goto('/phaset/overview');
    await setTheme(page, theme);
    await expect(
      page.getByTestId('tier-summary-deploymentFrequency'),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Orders service' }),
    ).toBeVisible();
    await expect(
      page.getByText('none in a year').or(page.getByText(/ago$/)).first(),
    ).toBeVisible();
    await shoot(page, 'phaset-page-overview', theme);
  }

  // Connect: the dialog in both themes, then for real.
  await page.goto(ENTITY_PAGE);
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(page, theme);
    await page.getByRole('button', { name: 'Connect to Phaset' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Organisation')).toHaveValue('demoorg');
    await shoot(dialog, 'phaset-connect', theme);
    if (theme === 'dark') {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
    }
  }
  const connect = page.getByRole('dialog');
  await connect.getByRole('button', { name: 'Connect' }).click();
  const recordId = (await connect
    .getByTestId('copy-field-Record id')
    .textContent())!;
  await expect(connect.getByTestId('copy-field-CI token')).not.toBeEmpty();
  await expect(connect).toContainText('api-key: ${{ secrets.PHASET_TOKEN }}');
  await expect(connect).toContainText(`record-id: ${recordId}`);
  await shoot(connect, 'phaset-connected', 'light');
  expect((await linkedRecords(api)).map(r => r.id)).toEqual([recordId]);

  // The catalog picks the link up; the entity gets its Phaset tabs.
  await connect.getByRole('button', { name: 'Done, reload the page' }).click();
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'Integrations', exact: true }),
    ).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  const integrationsTab = `${ENTITY_PAGE}/phaset-integrations`;
  const metricsTab = `${ENTITY_PAGE}/phaset-metrics?window=30`;

  await page.goto(metricsTab);
  const frequency = page.getByTestId('metric-tile-Deployment frequency');
  await expect(frequency).toContainText('Needs deployments');

  // Generate (the dark one only for its screenshots; the light one is used).
  await page.goto(integrationsTab);
  await setTheme(page, 'dark');
  await generateGithubWebhook(page, 'Website repository 2', 'dark');
  await setTheme(page, 'light');
  const webhook = await generateGithubWebhook(
    page,
    'Website repository',
    'light',
  );
  expect(webhook.url).toBe(
    `${BACKEND}/api/phaset/integration/event/demoorg/${recordId}/${webhook.url
      .split('/')
      .pop()}`,
  );

  // GitHub delivers, signed with the shown secret.
  const github = await playwrightRequest.newContext();
  const delivered = await github.post(
    webhook.url,
    githubDelivery(webhook.secret),
  );
  expect(delivered.status(), await delivered.text()).toBe(200);
  const forged = await github.post(
    webhook.url,
    githubDelivery('not-the-secret'),
  );
  expect(forged.status()).toBe(401);

  // Counted on the webhook, and on the Metrics tab.
  await expect(async () => {
    await page.reload();
    const row = page.getByTestId('token-row-Website repository');
    await expect(row.getByRole('cell').nth(5)).toHaveText('1', {
      timeout: 5_000,
    });
    await expect(row.getByRole('cell').nth(6)).toHaveText('1');
  }).toPass({ timeout: 60_000 });
  await page.goto(metricsTab);
  await expect(frequency).toContainText('1 deployment');

  // The Integrations page lists it with its statistics.
  for (const theme of ['light', 'dark'] as const) {
    await page.goto('/phaset/integrations');
    await setTheme(page, theme);
    await expect(
      page.getByTestId('token-row-Website repository'),
    ).toBeVisible();
    await shoot(page, 'phaset-page-integrations', theme);
  }
  await setTheme(page, 'light');

  // Rename in place.
  await page.goto(integrationsTab);
  await page
    .getByRole('button', { name: 'Rename Website repository', exact: true })
    .click();
  await page
    .getByLabel('New name for Website repository', { exact: true })
    .fill('Shop deployments');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('token-row-Shop deployments')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('token-row-Shop deployments')).toBeVisible();

  // Revoke with its data: the dialog in both themes, then for real.
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(page, theme);
    await page.getByRole('button', { name: 'Revoke Shop deployments' }).click();
    const dialog = page.getByRole('dialog');
    const withData = dialog.getByLabel(
      'Also delete the data it sent (1 event)',
    );
    await withData.check();
    await shoot(dialog, 'phaset-revoke-webhook', theme);
    if (theme === 'dark') {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
    }
  }
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Revoke and delete data' })
    .click();
  await expect(page.getByTestId('token-row-Shop deployments')).toBeHidden();
  await expect(
    page.getByTestId('token-row-Website repository 2'),
  ).toBeVisible();

  // Revoked at once, its event gone.
  const again = await github.post(webhook.url, githubDelivery(webhook.secret));
  expect(again.status()).toBe(401);
  const events = await api.get(`records/${recordId}/events?limit=1000`);
  expect((await events.json()).items).toEqual([]);
  await page.goto(metricsTab);
  await expect(frequency).toContainText('Needs deployments');
  await expect(frequency).not.toContainText('1 deployment');

  await disconnect(api);
  await github.dispose();
  await api.dispose();
});
