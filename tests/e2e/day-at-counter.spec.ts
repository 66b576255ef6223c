// A clerk's whole day at the counter, at 1366×768, by keyboard after each card placement: payers
// of every kind the training county has, receipts, 换开, a void with approval, a reprint, a browser
// refresh in the middle of a payment, a host restart, a printer fault, then the day close. At the
// end the receipt numbers run without a gap and the figures on screen, on the thermal summary and
// in the A4 PDF equal the ledger's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { startServe, tempDir, waitReady, type RunningHost } from '../helpers/serve';
import { expect as baseExpect, signIn, test } from './fixtures';

// The whole day runs on a shared build machine: a step may wait longer than the default 10 s.
const expect = baseExpect.configure({ timeout: 30_000 });

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

test.use({ viewport: { width: 1366, height: 768 } });
test.setTimeout(900_000);

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

interface Payer {
  id: number;
  id_number: string;
  name: string;
  name_initials: string;
}

let shotNo = 0;
/** A screenshot of the visible screen (1366×768), numbered in the order of the day. */
async function shot(page: Page, name: string) {
  shotNo++;
  await page.screenshot({ path: path.join(shots, `day-${String(shotNo).padStart(2, '0')}-${name}.png`) });
}

/** The trainer places a demo card on the simulated reader (the one mouse action per payer). */
async function placeCard(page: Page, label: string) {
  await page.locator('.ant-list-item').filter({ hasText: label }).getByRole('button', { name: '放卡' }).click();
}

/** The clerk types the ID number and Enter (F2 first: the cursor may be elsewhere). */
async function typeId(page: Page, p: Payer) {
  await page.keyboard.press('F2');
  await page.keyboard.type(p.id_number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payer-id')).toHaveText(mask(p.id_number));
}

/** F8 issue (when not yet issued), F8 print, Enter "printed correctly", for every receipt waiting. */
async function receiptsByKeys(page: Page, issue = true): Promise<string[]> {
  if (issue) await page.keyboard.press('F8');
  await expect(page.getByTestId('receipt-print')).toBeVisible();
  const numbers: string[] = [];
  while (await page.getByTestId('receipt-print').isVisible()) {
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-confirm')).toBeVisible();
    const text = await page.getByTestId('receipt-confirm').innerText();
    numbers.push(/缴款书 (\S+) 已打印/.exec(text)![1]!);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('receipt-confirm')).toHaveCount(0);
  }
  await expect(page.getByTestId('receipt-done').first()).toBeVisible();
  return numbers;
}

async function paidOk(page: Page) {
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
}

test('a day at the counter, by keyboard, at 1366×768', async ({ page }) => {
  const dataDir = tempDir('day');
  let host: RunningHost = await startServe({ dataDir, demoPayers: 400 });
  await waitReady(host.url);
  let db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true, fileMustExist: true });
  const used = new Set<number>();
  const pick = (where: string, n = 1): Payer[] => {
    const rows = db
      .prepare(
        `SELECT p.id, p.id_number, p.name, p.name_initials FROM payers p
          WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.registration_date < '2026-06-01'
            AND p.id NOT IN (SELECT id FROM payers ORDER BY id LIMIT 9) -- the demo cards' payers come by card
            AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) AND ${where}
          ORDER BY p.id`,
      )
      .all() as Payer[];
    const out = rows.filter((r) => !used.has(r.id)).slice(0, n);
    for (const r of out) used.add(r.id);
    expect(out).toHaveLength(n);
    return out;
  };
  const plain = "NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id) AND p.birth_date > '1967-01-01'";
  let served = 0;
  try {
    await signIn(page, host.appUrl);
    await shot(page, 'signed-in');

    // 1. Current year, the common case: card, Enter (exact cash), receipt by keys.
    await placeCard(page, '本年未缴（常规）');
    await expect(page.getByTestId('payer-name')).toBeVisible();
    await shot(page, 'card-normal');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await shot(page, 'receipt-confirmed');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('id-input')).toBeFocused();
    served++;

    // 2–4. Typed ID numbers, cash with change (full-width digits are taken as typed on a Chinese IME).
    for (const [i, p] of pick(plain, 3).entries()) {
      await typeId(page, p);
      await page.keyboard.type(i === 0 ? '５０００' : '5000');
      await expect(page.getByTestId('change')).not.toContainText('—');
      if (i === 0) await shot(page, 'cash-change');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('result-change')).toContainText('找零');
      await receiptsByKeys(page);
      await page.keyboard.press('Escape');
      served++;
    }

    // 5. "100,50" is refused, not read as 10050 yuan.
    const [comma] = pick(plain);
    await typeId(page, comma!);
    await page.keyboard.type('100,50');
    await expect(page.getByTestId('cash-problem')).toBeVisible();
    await expect(page.getByTestId('confirm-payment')).toBeDisabled();
    await shot(page, 'cash-comma-refused');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5000');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 6. Bank card: F6, the POS reference number, Enter.
    const [card] = pick(plain);
    await typeId(page, card!);
    await page.keyboard.press('F6');
    await expect(page.getByTestId('pos-ref')).toBeFocused();
    await page.keyboard.type('842317650912');
    await shot(page, 'bank-card');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;
    expect(db.prepare('SELECT pos_ref FROM counter_transactions WHERE payer_id = ?').get(card!.id)).toEqual({ pos_ref: '842317650912' });

    // 7. QR: F7 then Enter once the payer's phone says paid.
    const [qr] = pick(plain);
    await typeId(page, qr!);
    await page.keyboard.press('F7');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 8. Back payment with mixed tiers: the year cursor (Ctrl+↓), a higher tier (Ctrl+→), tick (Ctrl+Enter).
    await placeCard(page, '往年有欠缴（补缴）');
    await expect(page.getByTestId('payer-name')).toBeVisible();
    const backName = await page.getByTestId('payer-name').innerText();
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Control+ArrowRight');
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.row-selected')).toHaveCount(3);
    await shot(page, 'back-payment-mixed-tiers');
    await page.keyboard.press('F9');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;
    const backTiers = db
      .prepare("SELECT DISTINCT p.tier_fen FROM payments p JOIN payers y ON y.id = p.payer_id WHERE y.name = ? AND p.channel = 'counter'")
      .all(backName);
    expect(backTiers.length).toBeGreaterThanOrEqual(2);

    // 9. 7-day wait: nothing payable, said so; Esc.
    await placeCard(page, '新参保未满7天');
    await expect(page.getByTestId('nothing-payable')).toBeVisible();
    await expect(page.getByTestId('choose-years')).toHaveCount(0);
    await shot(page, 'seven-day-wait');
    await page.keyboard.press('Escape');
    served++;

    // 10. 到龄 (turns 60 this year).
    await placeCard(page, '本年满60周岁');
    await expect(page.getByTestId('payer-warnings')).toContainText('60');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 11. 低保 (government pays part).
    await placeCard(page, '低保对象（政府代缴）');
    await expect(page.getByTestId('payment-panel')).toContainText('政府代缴');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 12. 重度残疾 at the minimum tier: nothing to collect — said plainly, nothing recorded.
    const [severe] = pick("EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id AND g.code = 'severe_disability' AND g.valid_to IS NULL)");
    await typeId(page, severe!);
    for (let i = 0; i < 12; i++) await page.keyboard.press('Control+ArrowLeft');
    await expect(page.getByTestId('total-due')).toContainText('¥0.00');
    // Said before any key: nothing is taken, no receipt; no cash field, no change.
    await expect(page.getByTestId('nothing-due')).toContainText('本次不收款');
    await expect(page.getByTestId('tendered')).toHaveCount(0);
    await page.keyboard.press('F9');
    await expect(page.getByTestId('payment-notice')).toContainText('无需缴费');
    await shot(page, 'nothing-to-collect');
    expect(db.prepare('SELECT count(*) AS n FROM counter_transactions WHERE payer_id = ?').get(severe!.id)).toEqual({ n: 0 });
    await page.keyboard.press('Escape');
    served++;

    // 13–14. Refused: drawing the pension; in the employees' scheme.
    for (const label of ['已领取待遇', '已参加职工养老保险']) {
      await placeCard(page, label);
      await expect(page.getByTestId('payer-name')).toBeVisible();
      await expect(page.getByTestId('confirm-payment').or(page.getByTestId('nothing-payable')).first()).toBeVisible();
      await page.keyboard.press('Escape');
      served++;
    }

    // 15. Rare character in the name.
    await placeCard(page, '姓名含生僻字');
    await expect(page.getByTestId('payer-name')).toContainText('𠮷');
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 16. Name search by pinyin initials: Enter opens the highlighted payer.
    const [byName] = pick(`${plain} AND (SELECT count(*) FROM payers q WHERE q.name_initials = p.name_initials) = 1`);
    await page.keyboard.press('F2');
    await page.keyboard.type(byName!.name_initials);
    await expect(page.getByTestId('search-hit').first()).toContainText(byName!.name);
    await shot(page, 'search-list');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('payer-name')).toHaveText(byName!.name);
    await page.keyboard.press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 17. A reprint on the same number (Shift+F8), then confirmed.
    const [reprint] = pick(plain);
    await typeId(page, reprint!);
    await page.keyboard.press('Enter');
    await paidOk(page);
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-print')).toBeVisible();
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-confirm')).toContainText('已打印第 1 次');
    await page.keyboard.press('Shift+F8');
    await expect(page.getByTestId('receipt-confirm')).toContainText('已打印第 2 次');
    await shot(page, 'reprint');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('receipt-done')).toContainText('打印 2 次');
    await page.keyboard.press('Escape');
    served++;

    // 18. A void with the supervisor's approval (F4), printed on the next number; Esc in the dialog closes only the dialog.
    const [voidP] = pick(plain);
    await typeId(page, voidP!);
    await page.keyboard.press('Enter');
    await paidOk(page);
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-print')).toBeVisible();
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-confirm')).toBeVisible();
    const voidedNo = /缴款书 (\S+) 已打印/.exec(await page.getByTestId('receipt-confirm').innerText())![1]!;
    await page.keyboard.press('F4');
    await expect(page.getByLabel('作废原因')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByLabel('作废原因')).toHaveCount(0);
    await expect(page.getByTestId('receipt-confirm')).toBeVisible(); // the flow underneath is untouched
    await page.keyboard.press('F4');
    await page.keyboard.type('打印机卡纸，票面污损');
    await page.keyboard.press('Tab');
    await page.keyboard.type('super');
    await page.keyboard.press('Tab');
    await page.keyboard.type('5678');
    await shot(page, 'void-approval');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('receipt-print')).toBeVisible();
    await expect(page.getByTestId('receipt-flow')).toContainText(`原号 ${voidedNo} 已作废`);
    await receiptsByKeys(page, false);
    await page.keyboard.press('Escape');
    served++;

    // 19. A receipt issued and left (Esc) stays reachable: the header counts it, the payer's page offers it.
    const [left] = pick(plain);
    await typeId(page, left!);
    await page.keyboard.press('Enter');
    await paidOk(page);
    await page.keyboard.press('F8');
    await expect(page.getByTestId('receipt-print')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('waiting-receipts')).toContainText('1');
    served++;

    // 20. Browser refresh in the middle of a payment: same payer, same choice, paid once.
    const [refresh] = pick(plain);
    await typeId(page, refresh!);
    await page.keyboard.press('Control+ArrowRight');
    await page.keyboard.type('2000');
    const due = await page.getByTestId('total-due').innerText();
    await page.reload();
    await expect(page.getByTestId('payer-id')).toHaveText(mask(refresh!.id_number));
    await expect(page.getByTestId('total-due')).toHaveText(due);
    await expect(page.getByTestId('tendered')).toHaveValue('2000');
    await shot(page, 'after-refresh');
    await page.getByTestId('tendered').press('Enter');
    await paidOk(page);
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    expect(db.prepare('SELECT count(*) AS n FROM counter_transactions WHERE payer_id = ?').get(refresh!.id)).toEqual({ n: 1 });
    served++;

    // Back to the receipt left in 19: typed again, F8 prints it, Enter confirms.
    await typeId(page, left!);
    await expect(page.getByTestId('receipt-print')).toBeVisible();
    await shot(page, 'waiting-receipt-reopened');
    await receiptsByKeys(page, false);
    await expect(page.getByTestId('waiting-receipts')).toContainText('均已打印确认');
    await page.keyboard.press('Escape');

    // 21. 换开 from a training slip shown in the training panel (F3, number, Enter, F9).
    const slip = page.getByTestId('training-slip').filter({ hasText: '可换开' }).first();
    const slipRef = await slip.locator('b').innerText();
    await page.keyboard.press('F3');
    await expect(page.getByLabel('凭证号')).toBeFocused();
    await page.keyboard.type(slipRef);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('exchange-panel')).toContainText('可换开');
    await shot(page, 'exchange-training-slip');
    await page.keyboard.press('F9');
    await receiptsByKeys(page, false);
    await page.keyboard.press('Escape');
    served++;

    // 22. Host restart in the middle of the day: sign in again, carry on.
    db.close();
    expect(await host.stop()).toBe(0);
    host = await startServe({ dataDir, demoPayers: 400 });
    await waitReady(host.url);
    db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true, fileMustExist: true });
    await signIn(page, host.appUrl);
    await shot(page, 'after-restart');

    // 23. The second 换开: the payer who paid this year by bank POS brings the slip.
    await placeCard(page, '本年已在银行缴费');
    await expect(page.getByTestId('payer-activity')).toContainText('可换开');
    const posName = await page.getByTestId('payer-name').innerText();
    const pos = db
      .prepare("SELECT p.channel_ref FROM payments p JOIN payers y ON y.id = p.payer_id WHERE y.name = ? AND p.year = 2026 AND p.channel = 'bank_pos'")
      .get(posName) as { channel_ref: string };
    await page.keyboard.press('F3');
    await page.keyboard.type(pos.channel_ref);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('exchange-panel')).toContainText(posName);
    await page.keyboard.press('F9');
    await receiptsByKeys(page, false);
    await page.keyboard.press('Escape');
    served++;

    // 24. Printer fault: paper out during the slip, then paper in and Shift+F9 prints it again.
    const [fault] = pick(plain);
    await page.getByTestId('fault-paper-out').check();
    await typeId(page, fault!);
    await page.keyboard.press('Enter');
    await paidOk(page);
    await expect(page.getByTestId('print-state')).toContainText('失败');
    await expect(page.getByTestId('print-state')).toContainText('款项已入账');
    await shot(page, 'printer-fault');
    await page.getByTestId('fault-paper-out').uncheck();
    await page.keyboard.press('F2'); // the trainer's click took the focus: the clerk's keys come back with F2
    await page.keyboard.press('Shift+F9');
    await expect(page.getByTestId('print-state')).toContainText('已打印');
    await receiptsByKeys(page);
    await page.keyboard.press('Escape');
    served++;

    // 25–26. Two more current-year payers after the restart.
    for (const p of pick(plain, 2)) {
      await typeId(page, p);
      await page.keyboard.press('Enter');
      await paidOk(page);
      await receiptsByKeys(page);
      await page.keyboard.press('Escape');
      served++;
    }
    expect(served).toBeGreaterThanOrEqual(25);

    // Day close: Alt+3, count the cash, Enter, check the figures, Enter.
    const clerk = db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number };
    const sums = db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(total_fen), 0) AS total, coalesce(sum(CASE WHEN method = 'cash' THEN total_fen END), 0) AS cash
           FROM counter_transactions WHERE operator_id = ?`,
      )
      .get(clerk.id) as { n: number; total: number; cash: number };
    await page.keyboard.press('Alt+3');
    await expect(page.getByLabel('实点现金')).toBeFocused();
    await expect(page.getByTestId('dayclose-total')).toContainText(yuan(sums.total));
    await expect(page.getByTestId('dayclose-cash-expected')).toContainText(yuan(sums.cash));
    await page.keyboard.type(String(sums.cash / 100));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('dayclose-figures')).toContainText(yuan(sums.total));
    await expect(page.getByTestId('dayclose-figures')).toContainText('现金相符');
    await shot(page, 'dayclose-confirm');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('dayclose-done')).toContainText('已日结');
    await page.keyboard.press('F8');
    await shot(page, 'dayclose-done');

    // Receipt numbers: every number from the first to the last is used or voided, none skipped.
    const receipts = db.prepare('SELECT serial, state FROM receipts WHERE operator_id = ? ORDER BY serial').all(clerk.id) as {
      serial: number;
      state: string;
    }[];
    expect(receipts.length).toBeGreaterThanOrEqual(20);
    expect(receipts.map((r) => r.serial)).toEqual(receipts.map((_, i) => receipts[0]!.serial + i));
    expect(receipts.filter((r) => r.state === 'voided')).toHaveLength(1);
    const close = db.prepare('SELECT no FROM day_closes WHERE operator_id = ? ORDER BY no DESC LIMIT 1').get(clerk.id) as { no: number };

    // The thermal summary (decoded from the printer bytes) and the A4 PDF say the same total.
    const api = async (method: string, input: object) => {
      const res = await fetch(`${host.url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value: unknown };
      expect(body.ok).toBe(true);
      return body.value;
    };
    const total = new RegExp(`${yuan(sums.total).slice(1).replace(/,/g, ',?').replace('.', '\\.')}`);
    await expect.poll(async () => JSON.stringify(await api('training.lastSlip', {}))).toMatch(total);
    const pdf = (await api('dayclose.pdf', { no: close.no })) as { base64: string };
    const pdfFile = path.join(dataDir, 'day-summary.pdf');
    fs.writeFileSync(pdfFile, Buffer.from(pdf.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toMatch(total);
  } finally {
    db.close();
    await host.stop();
  }
});
