import fs from 'node:fs';
import path from 'node:path';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

test('clerk signs in, types an ID number and sees the payer with every year', async ({ page, host, registry }) => {
  // A payer with several recorded payments and at least one unpaid year since registration.
  const payer = registry
    .prepare(
      `SELECT p.id_number, p.name, p.registration_date,
              (SELECT count(*) FROM payments x WHERE x.payer_id = p.id) AS payments,
              (SELECT group_concat(year) FROM payments x WHERE x.payer_id = p.id) AS years
         FROM payers p
        WHERE p.status = 'active'
          AND (SELECT count(*) FROM payments x WHERE x.payer_id = p.id) >= 3
        ORDER BY p.id LIMIT 1`,
    )
    .get() as { id_number: string; name: string; registration_date: string; payments: number; years: string };
  expect(payer).toBeTruthy();

  await page.goto(host.appUrl);
  await expect(page.getByTestId('training-banner')).toContainText('培训模式');
  // The token left the address bar once the page had it.
  expect(page.url()).not.toContain('token=');
  // Another test may have left the counter signed in.
  await expect(page.getByLabel('用户名').or(page.getByTestId('operator'))).toBeVisible();
  if (await page.getByTestId('operator').isVisible()) await page.getByRole('button', { name: '退出登录' }).click();

  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill('1234');
  await page.getByLabel('窗口号').fill('3');
  await page.screenshot({ path: path.join(shots, '01-sign-in.png') });
  await page.getByLabel('密码').press('Enter');
  await expect(page.getByTestId('operator')).toContainText('3 号窗口');
  await expect(page.getByTestId('operator')).toContainText('演示柜员');

  // The lookup box has the focus after sign-in: the clerk types straight away.
  await page.keyboard.type(payer.id_number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payer-name')).toHaveText(payer.name);
  const masked = `${payer.id_number.slice(0, 6)}********${payer.id_number.slice(-4)}`;
  await expect(page.getByTestId('payer-id')).toHaveText(masked);
  await expect(page.locator('body')).not.toContainText(payer.id_number);

  // One row per year from 2026 back to the registration year; paid years show 已缴.
  const firstYear = Number(payer.registration_date.slice(0, 4));
  const rows = page.getByTestId('payer-years').locator('tbody tr');
  await expect(rows).toHaveCount(2026 - firstYear + 1);
  const paidYears = new Set(payer.years.split(',').map(Number));
  for (const year of [...paidYears].slice(0, 3)) {
    const row = rows.filter({ has: page.getByRole('cell', { name: String(year), exact: true }) });
    await expect(row).toContainText('已缴');
  }
  const unpaid = Array.from({ length: 2026 - firstYear + 1 }, (_, i) => 2026 - i).find((y) => !paidYears.has(y));
  if (unpaid !== undefined) {
    // An unpaid year says whether it can be paid now (可缴 / 可补缴) or why not (未缴 + reason).
    await expect(rows.filter({ has: page.getByRole('cell', { name: String(unpaid), exact: true }) })).toContainText(/可缴|可补缴|未缴/);
  }
  await page.screenshot({ path: path.join(shots, '02-payer.png'), fullPage: true });
});

test('a wrong check digit is explained before any lookup, an unknown payer gets the registration hint', async ({ page, host, registry }) => {
  const known = (registry.prepare('SELECT id_number FROM payers ORDER BY id LIMIT 1').get() as { id_number: string }).id_number;
  await signIn(page, host.appUrl);
  const input = page.getByTestId('id-input');
  await expect(input).toBeFocused();

  // Change the check character: the number can no longer be valid.
  const last = known.slice(-1);
  const wrong = known.slice(0, 17) + (last === '0' ? '1' : '0');
  await input.fill(wrong);
  await expect(page.getByTestId('id-input-problem')).toContainText('校验');
  await input.press('Enter');
  await expect(page.getByTestId('payer-name')).toHaveCount(0);

  // A valid number nobody in this county has: same region, a birth date no demo payer has.
  const first17 = known.slice(0, 6) + '19010101' + '999';
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  await input.fill(first17 + '10X98765432'[sum % 11]);
  await input.press('Enter');
  await expect(page.getByTestId('lookup-error')).toContainText('办理参保登记');
  await page.screenshot({ path: path.join(shots, '03-not-registered.png') });
});

test('name search by pinyin initials within a village opens the payer; recent payers are one click away', async ({ page, host, registry }) => {
  const target = registry.prepare('SELECT id, name, name_initials, village FROM payers ORDER BY id LIMIT 1 OFFSET 20').get() as {
    id: number;
    name: string;
    name_initials: string;
    village: string;
  };
  await signIn(page, host.appUrl);
  await page.getByTestId('village-filter').click();
  await page.keyboard.type(target.village);
  await page.keyboard.press('Enter');
  await page.getByTestId('id-input').fill(target.name_initials);
  const hit = page.getByTestId('search-hit').filter({ hasText: target.name });
  await expect(hit.first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, '04-search.png') });
  await hit.first().click();
  await expect(page.getByTestId('payer-name')).toHaveText(target.name);
  await expect(page.getByTestId('recent-payers')).toContainText(target.name);
});
