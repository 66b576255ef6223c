import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

async function placeCard(page: Page, label: string) {
  await page.locator('.ant-list-item').filter({ hasText: label }).getByRole('button', { name: '放卡' }).click();
}

test('pay, issue the 税收缴款书, reprint on the same number, void with supervisor approval and print on the next', async ({ page, host, registry }) => {
  // The worker's host is shared: count only what this test prints (layout.spec prints receipts too).
  const printedDir = path.join(host.dataDir, 'printed');
  const before = new Set(fs.existsSync(printedDir) ? fs.readdirSync(printedDir) : []);
  await signIn(page, host.appUrl);
  await placeCard(page, '姓名含生僻字');
  await expect(page.getByTestId('payer-name')).toContainText('𠮷');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  await page.keyboard.press('F8');

  const first = (await page.getByTestId('receipt-number').innerText()).replace('No. ', '');
  await page.getByTestId('receipt-print').click();
  await expect(page.getByTestId('receipt-confirm')).toContainText('已打印第 1 次');
  await page.getByTestId('receipt-reprint').click();
  await expect(page.getByTestId('receipt-confirm')).toContainText('已打印第 2 次');
  await page.getByTestId('receipt-void').click();
  await page.getByLabel('作废原因').fill('打印机卡纸，票面污损');
  await page.getByLabel('值班主任用户名').fill('super');
  await page.getByLabel('值班主任密码').fill('5678');
  await page.getByRole('button', { name: '作废并重开' }).click();
  const second = page.getByTestId('receipt-number');
  await expect(second).not.toHaveText(`No. ${first}`);
  const secondNumber = (await second.innerText()).replace('No. ', '');
  await page.getByTestId('receipt-print').click();
  await page.getByTestId('receipt-ok').click();
  await expect(page.getByTestId('receipt-done')).toContainText('打印 1 次');
  await page.screenshot({ path: path.join(shots, '30-receipt.png'), fullPage: true });

  // The numbers are consecutive, the first is voided with its reason, nothing is skipped.
  const rows = registry.prepare('SELECT number, serial, state, void_reason FROM receipts WHERE number IN (?, ?) ORDER BY serial').all(first, secondNumber) as {
    number: string;
    serial: number;
    state: string;
    void_reason: string | null;
  }[];
  expect(rows.map((r) => r.state)).toEqual(['voided', 'issued']);
  expect(rows[1]!.serial - rows[0]!.serial).toBe(1);
  expect(rows[0]!.void_reason).toContain('卡纸');

  // The training printer kept each printed PDF: the last one has the rare character, the amount in capitals and the print count.
  const printed = fs
    .readdirSync(printedDir)
    .filter((f) => !before.has(f))
    .sort((a, b) => fs.statSync(path.join(host.dataDir, 'printed', a)).mtimeMs - fs.statSync(path.join(host.dataDir, 'printed', b)).mtimeMs);
  expect(printed.length).toBe(3);
  const text = execFileSync('pdftotext', ['-layout', path.join(host.dataDir, 'printed', printed.at(-1)!), '-'], { encoding: 'utf8' });
  expect(text).toContain('𠮷');
  expect(text).toContain(secondNumber);
  expect(text).toMatch(/[壹贰叁肆伍陆柒捌玖][仟佰拾]?.*元/);
  expect(text).toContain('第1次打印');
  expect(text).toContain('样张');
});

test('换开: a bank POS slip is exchanged once; the second attempt shows it was exchanged', async ({ page, host, registry }) => {
  const slip = registry
    .prepare(
      `SELECT p.channel_ref, y.name FROM payments p JOIN payers y ON y.id = p.payer_id
               WHERE p.channel = 'bank_pos' AND p.year = 2026 ORDER BY p.id LIMIT 1`,
    )
    .get() as { channel_ref: string; name: string };
  await signIn(page, host.appUrl);
  await page.keyboard.press('F3');
  await page.getByLabel('凭证号').fill(slip.channel_ref);
  await page.getByLabel('凭证号').press('Enter');
  await expect(page.getByTestId('exchange-panel')).toContainText(slip.name);
  await expect(page.getByTestId('exchange-panel')).toContainText('可换开');
  await page.getByTestId('exchange-issue').click();
  await expect(page.getByTestId('receipt-flow')).toContainText('换开');
  await page.getByTestId('receipt-print').click();
  await page.getByTestId('receipt-ok').click();
  await expect(page.getByTestId('receipt-done')).toBeVisible();
  await page.screenshot({ path: path.join(shots, '31-exchange.png'), fullPage: true });

  await page.keyboard.press('F3');
  await page.getByLabel('凭证号').fill(slip.channel_ref);
  await page.getByLabel('凭证号').press('Enter');
  await expect(page.getByTestId('exchange-panel')).toContainText('已换开');
  await expect(page.getByTestId('exchange-issue')).toBeDisabled();
  const n = registry.prepare('SELECT count(*) AS n FROM exchanges e JOIN payments p ON p.id = e.payment_id WHERE p.channel_ref = ?').get(slip.channel_ref) as {
    n: number;
  };
  expect(n.n).toBe(1);

  // The payer lost that receipt: only 补开, with a reason and the supervisor's approval, marked as such.
  await page.getByTestId('reissue-open').click();
  await page.getByLabel('补开原因').fill('缴费人遗失原缴款书');
  await page.getByLabel('值班主任用户名').fill('super');
  await page.getByLabel('值班主任密码').fill('5678');
  await page.getByLabel('值班主任密码').press('Enter');
  await expect(page.getByTestId('receipt-flow')).toContainText('补开');
  await expect(page.getByTestId('receipt-flow')).toContainText('原缴款书');
  const copies = registry.prepare("SELECT count(*) AS n FROM receipts WHERE kind = 'reissue' AND reason LIKE '%遗失%'").get() as { n: number };
  expect(copies.n).toBe(1);
});

test('the supervisor enters paper stock for a clerk; the balance shows it at once', async ({ page, host }) => {
  await signIn(page, host.appUrl, 1, { username: 'super', password: '5678' });
  await page.getByTestId('open-stock').click();
  const panel = page.getByTestId('stock-panel');
  // The balance table (the first in the panel; the hand-back table below lists the clerk's blocks
  // too), read once it has loaded.
  const clerkRow = panel.locator('.ant-table').first().locator('tr').filter({ hasText: '（clerk）' });
  await expect(clerkRow.locator('td').nth(1)).toHaveText(/^\d+$/);
  const before = Number(await clerkRow.locator('td').nth(1).innerText());
  expect(before).toBeGreaterThan(0);
  await panel.getByPlaceholder('领用人登录名').fill('clerk');
  await panel.getByPlaceholder('字轨').fill('(2026)示税现');
  await panel.getByPlaceholder('起号').fill('90001');
  await panel.getByPlaceholder('止号').fill('90050');
  await panel.getByRole('button', { name: '录入纸质票证' }).click();
  await expect(page.getByTestId('stock-message')).toContainText('已录入');
  await expect(clerkRow.locator('td').nth(1)).toHaveText(String(before + 50));
  // The same paper numbers cannot be entered twice.
  await panel.getByRole('button', { name: '录入纸质票证' }).click();
  await expect(page.getByTestId('stock-message')).toContainText('重叠');
  await page.screenshot({ path: path.join(shots, '32-stock.png'), fullPage: true });
});
