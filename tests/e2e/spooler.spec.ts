// Issue 22 on screen: the IT screen lists the system's printers and prints the calibration frame
// through the page print path; the clerk sees the spooler's answer for a receipt before
// confirming it; the supervisor hands back the unused rest of a stock block (缴销).
import fs from 'node:fs';
import path from 'node:path';
import { expect, signIn, signInAsAdmin, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });
// Signing in hashes a password: on a loaded machine the first screen after it can take a while.
test.setTimeout(120_000);
const slow = { timeout: 30_000 };

test('IT screen: the system printers are listed and the calibration frame prints at 100 %', async ({ page, host }) => {
  await signInAsAdmin(page, host.appUrl);

  const panel = page.getByTestId('printers-panel');
  await expect(panel.getByTestId('system-printers')).toContainText('培训打印机', slow);
  await expect(panel).toContainText('缴款书打印机');
  await expect(panel).toContainText('按 100% 打印');
  await panel.getByTestId('print-calibration').click();
  await expect(panel.getByTestId('spool-state')).toContainText('打印完成');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, '22-printers.png'), fullPage: true });
  // The training printer kept the frame as a PDF.
  expect(fs.existsSync(path.join(host.dataDir, 'printed', '校准框.pdf'))).toBe(true);
});

// The reworked counter screen shows the spooler's answer in its confirm step (PrintJobState in ReceiptFlow).
test('the receipt shows the spooler’s answer (打印完成) before the clerk confirms it', async ({ page, host, registry }) => {
  // A payer of its own (the demo cards' payers may have paid in another spec on this shared host).
  const payer = registry
    .prepare(
      `SELECT p.id_number FROM payers p
        WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.birth_date > '1967-01-01' AND p.registration_date < '2026-06-01'
          AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026)
        ORDER BY p.id DESC LIMIT 1 OFFSET 20`,
    )
    .get() as { id_number: string };
  await signIn(page, host.appUrl);
  await page.keyboard.press('F2');
  await page.keyboard.type(payer.id_number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payer-name')).toBeVisible(slow);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  await page.keyboard.press('F8');
  await page.getByTestId('receipt-print').click();
  await expect(page.getByTestId('receipt-confirm').getByTestId('spool-state')).toContainText('打印完成');
  await page.screenshot({ path: path.join(shots, '22-receipt-spool.png'), fullPage: true });
  await page.getByTestId('receipt-ok').click();
  await expect(page.getByTestId('receipt-done')).toBeVisible();
});

test('the supervisor hands back the unused rest of a stock block (缴销) with a reason', async ({ page, host }) => {
  await signIn(page, host.appUrl, 5, { username: 'super', password: '5678' });
  await page.getByTestId('open-stock').click(slow);
  const panel = page.getByTestId('handback-panel');
  await expect(panel).toBeVisible();
  const row = panel.locator('tr', { has: page.getByTestId('handback-open') }).first();
  const range = (await row.locator('td').nth(1).innerText()).split(' – ');
  await row.getByTestId('handback-open').click();
  const ok = page.getByRole('button', { name: '确认交回' });
  await expect(ok).toBeDisabled();
  await page.getByTestId('handback-reason').fill('年度结束，纸质票证交回');
  await ok.click();
  await expect(page.getByTestId('handback-message')).toContainText('已交回');
  await expect(page.getByTestId('handback-message')).toContainText(range[1]!);
  await expect(panel).toContainText('已交回');
  await page.screenshot({ path: path.join(shots, '22-handback.png'), fullPage: true });
});
