import { test, expect, Page, APIRequestContext } from '@playwright/test';
import {
  formatDuration,
  formatNumber,
  formatPercent,
} from '../plugins/phaset/src/components/ui/format';

/*
 * The Phaset tabs on the started app with the demo data (scripts/seed-demo.mjs):
 * every number shown is compared with what the API answers for the same
 * Record and window, read here with a guest token.
 */

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const ORDERS = { recordId: 'UJFb9JHUUb', entity: 'component/ujfb9jhuub' };
/** The bought SaaS: Standards and a manifest, no Review from the demo data. */
const CRM = { recordId: 'mOjuOxvUoU', entity: 'component/mojuoxvuou' };
/** The elite demo Record: its deployments arrive as GitHub webhooks. */
const PAYMENTS = { recordId: 'jAkLRtjuQ9', entity: 'component/jaklrtjuq9' };
const TEAM = 'group:default/teamshop';
const DAY_MS = 86_400_000;

/** The UI's window: `days` days ending at the next UTC midnight. */
function windowOfDays(days: number) {
  const to = new Date();
  to.setUTCHours(24, 0, 0, 0);
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}

async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.post(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).backstageIdentity.token;
}

async function api<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(`${BACKEND}/api/phaset${path}`, {
    headers: { Authorization: `Bearer ${await guestToken(request)}` },
  });
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  return response.json();
}

function metricsPath(recordId: string, days: number, list = '') {
  const { from, to } = windowOfDays(days);
  return `/metrics/${recordId}${list}?from=${from.toISOString()}&to=${to.toISOString()}`;
}

/** The tile texts the Metrics tab must show for this API answer. */
function expectedDora(dora: any) {
  const median = (m: any) =>
    'median' in m ? formatDuration(m.median) : undefined;
  return {
    'Deployment frequency':
      dora.deploymentFrequency.tier === null &&
      dora.deploymentFrequency.deployments === 0
        ? undefined
        : `${formatNumber(dora.deploymentFrequency.perWeek)} / week`,
    'Lead time for changes': median(dora.leadTimeForChanges),
    'Change failure rate':
      dora.changeFailureRate.value === null
        ? undefined
        : formatPercent(dora.changeFailureRate.value),
    'Failed deployment recovery time': median(
      dora.failedDeploymentRecoveryTime,
    ),
    'Time to restore': median(dora.timeToRestore),
    'Rework rate':
      dora.reworkRate.value === null
        ? undefined
        : formatPercent(dora.reworkRate.value),
  };
}

const TIER_WORD: Record<string, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

async function expectTilesMatch(page: Page, dora: any) {
  const tiers: Record<string, string | null> = {
    'Deployment frequency': dora.deploymentFrequency.tier,
    'Lead time for changes': dora.leadTimeForChanges.tier,
    'Change failure rate': dora.changeFailureRate.tier,
    'Failed deployment recovery time': dora.failedDeploymentRecoveryTime.tier,
    'Time to restore': dora.timeToRestore.tier,
  };
  for (const [title, value] of Object.entries(expectedDora(dora))) {
    const tile = page.getByTestId(`metric-tile-${title}`);
    if (value === undefined) {
      await expect(tile.getByText('No data')).toBeVisible();
    } else {
      await expect(tile.getByTestId('metric-value')).toHaveText(value);
    }
    // Rework rate has no tier (DORA publishes none), so no chip either.
    if (title === 'Rework rate') continue;
    const tier = tiers[title];
    await expect(
      tile
        .getByLabel(tier ? `Tier: ${TIER_WORD[tier]}` : 'No tier', {
          exact: true,
        })
        .or(tile.getByText('No tier', { exact: true })),
    ).toBeVisible();
  }
}

async function waitForBackend(request: APIRequestContext) {
  await expect
    .poll(
      async () =>
        (
          await request
            .get(`${BACKEND}/.backstage/health/v1/readiness`)
            .catch(() => undefined)
        )?.status(),
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBe(200);
}

async function signIn(page: Page, theme: 'light' | 'dark') {
  await page.goto('/');
  await page.evaluate(t => localStorage.setItem('theme', t), theme);
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: /Catalog/ }).first(),
  ).toBeVisible();
}

/** The whole page, or what is on screen (a drawer covers the viewport only). */
async function screenshot(
  page: Page,
  name: string,
  theme: string,
  fullPage = true,
) {
  await page.screenshot({
    path: `test-artifacts/phaset-${name}-${theme}.png`,
    fullPage,
  });
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`Phaset tabs (${theme} theme)`, () => {
    test.beforeEach(async ({ page, request }) => {
      await waitForBackend(request);
      await signIn(page, theme);
    });

    test('Metrics tab shows the API numbers and follows the window', async ({
      page,
      request,
    }) => {
      const month = await api<any>(request, metricsPath(ORDERS.recordId, 30));
      const quarter = await api<any>(request, metricsPath(ORDERS.recordId, 90));
      // The demo history makes the two windows differ.
      expect(quarter.dora.deploymentFrequency.deployments).toBeGreaterThan(
        month.dora.deploymentFrequency.deployments,
      );

      await page.goto(`/catalog/default/${ORDERS.entity}/phaset-metrics`);
      await expectTilesMatch(page, month.dora);
      await expect(
        page.getByTestId('metric-tile-Deployment frequency'),
      ).toContainText(
        `${month.dora.deploymentFrequency.deployments} deployments`,
      );
      await expect(
        page.locator('[data-testid="chart-Deployments"] svg').first(),
      ).toBeVisible();
      await screenshot(page, 'metrics', theme);

      await page.getByRole('button', { name: '90 days' }).click();
      await expect(page).toHaveURL(/window=90/);
      await expect(
        page.getByTestId('metric-tile-Deployment frequency'),
      ).toContainText(
        `${quarter.dora.deploymentFrequency.deployments} deployments`,
      );
      await expectTilesMatch(page, quarter.dora);
      // A link keeps the window.
      await page.reload();
      await expect(
        page.getByRole('button', { name: '90 days' }),
      ).toHaveAttribute('aria-pressed', 'true');
      await expectTilesMatch(page, quarter.dora);
      await screenshot(page, 'metrics-90-days', theme);
    });

    test('Standards, Record and health card show the API data', async ({
      page,
      request,
    }) => {
      const standards = await api<any>(
        request,
        `/records/${ORDERS.recordId}/standards`,
      );
      const record = await api<any>(request, `/records/${ORDERS.recordId}`);
      expect(standards.latest).toBeDefined();

      await page.goto(`/catalog/default/${ORDERS.entity}/phaset-standards`);
      await expect(page.getByTestId('standards-Passes')).toHaveText(
        String(standards.latest.passes),
      );
      await expect(page.getByTestId('standards-Warnings')).toHaveText(
        String(standards.latest.warnings),
      );
      await expect(page.getByTestId('standards-Failures')).toHaveText(
        String(standards.latest.failures),
      );
      const total =
        standards.latest.passes +
        standards.latest.warnings +
        standards.latest.failures;
      await expect(page.getByTestId('standards-score')).toHaveText(
        formatPercent(standards.latest.passes / total),
      );
      await expect(page.getByRole('row')).toHaveCount(
        standards.latest.results.length + 1,
      );
      await screenshot(page, 'standards', theme);

      await page.goto(`/catalog/default/${ORDERS.entity}/phaset-record`);
      await expect(
        page.getByText(record.manifest.spec.name).first(),
      ).toBeVisible();
      if (record.manifest.spec.version) {
        await expect(
          page.getByText(record.manifest.spec.version, { exact: true }),
        ).toBeVisible();
      }
      for (const slo of record.manifest.slo ?? []) {
        await expect(
          page.getByRole('cell', { name: slo.title, exact: true }).first(),
        ).toBeVisible();
      }
      await screenshot(page, 'record', theme);

      const month = await api<any>(request, metricsPath(ORDERS.recordId, 30));
      await page.goto(`/catalog/default/${ORDERS.entity}`);
      await expect(page.getByTestId('health-standards')).toHaveText(
        `${formatPercent(standards.latest.passes / total)} pass · ${
          standards.latest.failures
        } failing`,
      );
      for (const [title, value] of Object.entries(expectedDora(month.dora))) {
        // Time to restore and rework rate (no tier) are on the Metrics tab only.
        if (title === 'Time to restore' || title === 'Rework rate') continue;
        await expect(page.getByTestId(`health-row-${title}`)).toContainText(
          value ?? 'no data',
        );
      }
      await expect(page.getByTestId('health-last-deployment')).toHaveText(
        /today|yesterday|days ago/,
      );
      await page.getByTestId('health-standards').scrollIntoViewIfNeeded();
      await screenshot(page, 'health-card', theme);
    });

    test('a tile opens the facts behind it, which add up to it and link to the tool', async ({
      page,
      request,
    }) => {
      const month = await api<any>(request, metricsPath(PAYMENTS.recordId, 30));
      const deployments = await api<any>(
        request,
        `${metricsPath(PAYMENTS.recordId, 30, '/deployments')}&limit=1000`,
      );
      const count = month.dora.deploymentFrequency.deployments;
      expect(count).toBeGreaterThan(0);
      expect(deployments.items).toHaveLength(count);
      const first = deployments.items[0];
      // The seeded GitHub deployment status's workflow run.
      expect(first.url).toMatch(
        /^https:\/\/github\.com\/phaset-demo\/payments\/actions\/runs\/\d+$/,
      );

      await page.goto(`/catalog/default/${PAYMENTS.entity}/phaset-metrics`);
      await page
        .getByTestId('metric-tile-Deployment frequency')
        .getByRole('button', { name: /^Show the \d+ deployments?$/ })
        .click();
      await expect(page).toHaveURL(/facts=deployments/);
      const list = page.getByTestId('fact-list');
      await expect(list.getByTestId('fact-list-count')).toHaveText(
        String(count),
      );
      await expect(list.getByRole('row')).toHaveCount(count + 1);
      await expect(
        list.getByTestId('fact-source-link').first(),
      ).toHaveAttribute('href', first.url);
      await screenshot(page, 'drilldown', theme, false);

      // The lead time tile's changes: as many deployed as the tile counts.
      await list.getByRole('button', { name: 'Close the list' }).click();
      await expect(list).toHaveCount(0);
      await page
        .getByTestId('metric-tile-Lead time for changes')
        .getByRole('button', { name: /^Show the \d+ changes?, slowest first$/ })
        .click();
      const changes = await api<any>(
        request,
        `${metricsPath(PAYMENTS.recordId, 30, '/changes')}&limit=1000`,
      );
      expect(
        changes.items.filter((c: any) => c.state === 'deployed'),
      ).toHaveLength(month.dora.leadTimeForChanges.count);
      await expect(
        page.getByTestId('fact-list').getByTestId('fact-list-count'),
      ).toHaveText(String(changes.items.length));
    });

    test('filling in a Review changes the grade on the Review tab and the health card', async ({
      page,
      request,
    }) => {
      const before = await api<any>(request, `/records/${CRM.recordId}/health`);
      // Each run flips the Review, so both themes see the grade change.
      const value = before.parts.review.score === 100 ? 'No' : 'Yes';

      await page.goto(`/catalog/default/${CRM.entity}/phaset-review`);
      await expect(page.getByTestId('review-health')).toContainText(
        `Health Score ${Math.round(before.score)} / 100`,
      );
      await expect(
        page.getByLabel(`Grade ${before.grade}`).first(),
      ).toBeVisible();
      const questions = page.locator('[data-testid^="review-question-"]');
      await expect(questions).toHaveCount(30);
      for (let i = 0; i < 30; i++) {
        await questions.nth(i).getByLabel(value, { exact: true }).check();
      }
      await screenshot(page, 'review', theme);
      await page.getByRole('button', { name: 'Save the Review' }).click();

      await expect
        .poll(
          async () =>
            (
              await api<any>(request, `/records/${CRM.recordId}/health`)
            ).parts.review.score,
        )
        .toBe(value === 'Yes' ? 100 : 0);
      const after = await api<any>(request, `/records/${CRM.recordId}/health`);
      expect(after.grade).not.toBe(before.grade);
      await expect(page.getByTestId('review-health')).toContainText(
        `Health Score ${Math.round(after.score)} / 100`,
      );
      await expect(
        page.getByLabel(`Grade ${after.grade}`).first(),
      ).toBeVisible();

      await page.goto(`/catalog/default/${CRM.entity}`);
      await expect(
        page.getByTestId('health-summary').getByLabel(`Grade ${after.grade}`),
      ).toBeVisible();
    });

    test("the group's Metrics tab rolls up its Records", async ({
      page,
      request,
    }) => {
      const { from, to } = windowOfDays(30);
      const query = `owner=${encodeURIComponent(
        TEAM,
      )}&from=${from.toISOString()}&to=${to.toISOString()}`;
      const rollup = {
        records: (await api<any>(request, `/metrics?${query}`)).items,
        owners: (await api<any>(request, `/metrics/owners?${query}`)).items,
      };
      expect(rollup.records.length).toBeGreaterThanOrEqual(2);

      const phasetRequests: string[] = [];
      page.on('request', r => {
        if (r.url().includes('/api/phaset/')) phasetRequests.push(r.url());
      });
      await page.goto('/catalog/default/group/teamshop/phaset-metrics');
      const team = page.getByRole('table', { name: /Team, pooled over/ });
      await expect(team).toBeVisible();
      // The roll-up alone, its Records and its owners, whatever the number
      // of Records up to 1,000 (plus the permission checks the tabs make).
      expect(
        phasetRequests
          .filter(url => !url.includes('/permissions'))
          .map(url => new URL(url).pathname)
          .sort(),
      ).toEqual(['/api/phaset/metrics', '/api/phaset/metrics/owners']);
      const pooled = rollup.owners.find((o: any) => o.owner === TEAM);
      const lead = expectedDora(pooled.dora)['Lead time for changes'];
      if (lead) await expect(team.getByText(lead)).toBeVisible();
      const records = page.getByRole('table').last();
      await expect(records.getByRole('link', { name: 'Metrics' })).toHaveCount(
        rollup.records.length,
      );
      await screenshot(page, 'team', theme);

      await records.getByRole('link', { name: 'Metrics' }).first().click();
      await expect(page).toHaveURL(/\/phaset-metrics\?window=30/);
      await expect(
        page.getByTestId('metric-tile-Deployment frequency'),
      ).toBeVisible();
    });
  });
}

test('an entity without a Record has no Phaset tab', async ({
  page,
  request,
}) => {
  await waitForBackend(request);
  await signIn(page, 'light');
  await page.goto('/catalog/default/component/example-website');
  await expect(
    page
      .getByRole('tab', { name: 'Overview' })
      .or(page.getByText('Overview').first()),
  ).toBeVisible();
  await expect(page.getByText('Phaset health')).toHaveCount(0);
  for (const tab of ['Record', 'Standards', 'Metrics']) {
    await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveCount(
      0,
    );
    await expect(
      page.getByRole('link', { name: tab, exact: true }),
    ).toHaveCount(0);
  }
});
