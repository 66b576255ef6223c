import fs from 'node:fs';
import path from 'node:path';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

test('the clerk closes the day: figures match the ledger, cash is counted, and later work goes to the next day', async ({ page, host, registry }) => {
  await signIn(page, host.appUrl, 7);
  // Something to close: one payment at counter 7 today, for a payer no other test uses.
  const first = registry
    .prepare(
      `SELECT id_number FROM payers p WHERE status = 'active' AND in_employee_scheme = 0 AND registration_date < '2026-06-01'
          AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY id DESC LIMIT 1 OFFSET 7`,
    )
    .get() as { id_number: string };
  await page.getByTestId('id-input').fill(first.id_number);
  await page.getByTestId('id-input').press('Enter');
  await expect(page.getByTestId('payment-panel')).toBeVisible();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  await page.keyboard.press('Escape');

  const clerk = registry.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number };
  const day = registry.prepare('SELECT business_date AS d FROM counter_transactions WHERE operator_id = ? ORDER BY id DESC LIMIT 1').get(clerk.id) as {
    d: string;
  };
  // Independent sums over the ledger for what the close must show.
  const sums = registry
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(total_fen), 0) AS total, coalesce(sum(CASE WHEN method = 'cash' THEN total_fen END), 0) AS cash
         FROM counter_transactions WHERE operator_id = ? AND business_date = ?`,
    )
    .get(clerk.id, day.d) as { n: number; total: number; cash: number };

  await page.getByTestId('open-dayclose').click();
  const panel = page.getByTestId('dayclose-panel');
  await expect(panel).toContainText(day.d);
  await expect(page.getByTestId('dayclose-total')).toContainText(yuan(sums.total));
  await expect(page.getByTestId('dayclose-cash-expected')).toContainText(yuan(sums.cash));
  await page.getByLabel('实点现金').fill(String((sums.cash - 1000) / 100));
  await expect(panel).toContainText('短款 ¥10.00（壹拾元整）');
  await page.screenshot({ path: path.join(shots, '40-dayclose.png'), fullPage: true });
  // The close asks once more, with the figures, before it locks the day.
  await page.getByTestId('dayclose-confirm').click();
  await expect(page.getByTestId('dayclose-figures')).toContainText(yuan(sums.total));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('dayclose-figures')).toBeHidden();
  await expect(page.getByTestId('dayclose-done')).toHaveCount(0);
  await page.getByTestId('dayclose-confirm').click();
  await page.getByTestId('dayclose-final').click();
  await expect(page.getByTestId('dayclose-done')).toContainText('已日结，编号 RJ');
  await page.getByTestId('dayclose-slip').click();
  await expect(page.getByTestId('slip-preview')).toContainText(yuan(sums.total).slice(1));

  const close = registry
    .prepare('SELECT business_date, cash_expected_fen, cash_counted_fen, cash_difference_fen FROM day_closes WHERE operator_id = ? ORDER BY no DESC LIMIT 1')
    .get(clerk.id);
  expect(close).toEqual({ business_date: day.d, cash_expected_fen: sums.cash, cash_counted_fen: sums.cash - 1000, cash_difference_fen: -1000 });

  // A payment after the close is recorded on the next business day.
  const target = registry
    .prepare(
      `SELECT id, id_number FROM payers p WHERE status = 'active' AND in_employee_scheme = 0 AND registration_date < '2026-06-01'
          AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY id DESC LIMIT 1`,
    )
    .get() as { id: number; id_number: string };
  await page.keyboard.press('F2'); // back to the counter
  await page.getByTestId('id-input').fill(target.id_number);
  await page.getByTestId('id-input').press('Enter');
  await expect(page.getByTestId('payment-panel')).toBeVisible();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  const later = registry.prepare('SELECT business_date AS d FROM counter_transactions WHERE payer_id = ?').get(target.id) as { d: string };
  expect(later.d > day.d).toBe(true);
});
