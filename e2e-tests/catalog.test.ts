import { test, expect } from '@playwright/test';

test('the catalog lists the example entities, Phaset manifests included', async ({
  page,
}) => {
  // The guest owns only what `guests` owns and the catalog opens on "Owned",
  // so ask for all components; the sign-in page keeps the URL.
  await page.goto('/?filters[kind]=component&filters[user]=all');
  await page.getByRole('button', { name: 'Enter' }).click();

  const table = page.getByRole('table');
  for (const name of [
    'Phaset for Backstage',
    'example-website',
    // From examples/phaset/*/phaset.manifest.json, via the catalog module.
    'Orders service',
    'Customer CRM (SaaS)',
  ]) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.screenshot({
    path: 'test-artifacts/catalog-components.png',
    fullPage: true,
  });

  await page.goto('/?filters[kind]=api&filters[user]=all');
  await expect(
    page.getByRole('table').getByRole('link', { name: 'example-grpc-api' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-artifacts/catalog-apis.png',
    fullPage: true,
  });
});
