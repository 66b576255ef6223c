import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

/** Places the demo card that demonstrates `label` on the simulated reader, as a trainer would. */
async function placeCard(page: Page, label: string) {
  const item = page.locator('.ant-list-item').filter({ hasText: label });
  await item.getByRole('button', { name: '放卡' }).click();
}

const slipText = (page: Page) => page.getByTestId('slip-preview').innerText();

test('card on the reader → payer → current year at a chosen tier, cash with change → slip with masked ID, year, tier, amount', async ({
  page,
  host,
  registry,
}) => {
  await signIn(page, host.appUrl);
  await placeCard(page, '本年未缴（常规）');
  const name = await page.getByTestId('payer-name').innerText();
  const payer = registry.prepare('SELECT id, id_number FROM payers WHERE name = ? ORDER BY id LIMIT 1').get(name) as { id: number; id_number: string };
  const masked = `${payer.id_number.slice(0, 6)}********${payer.id_number.slice(-4)}`;
  await expect(page.getByTestId('payer-id')).toHaveText(masked);
  await page.screenshot({ path: path.join(shots, '10-card-placed.png'), fullPage: true });

  // Choose the 500 tier for 2026 instead of the default.
  await page.getByTestId('tier-2026').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^500元/ })
    .click();
  await expect(page.getByTestId('total-due')).toContainText('¥500.00');
  await page.getByTestId('tendered').fill('600');
  await expect(page.getByTestId('change')).toContainText('¥100.00');
  await page.getByTestId('tendered').press('Enter');

  await expect(page.getByTestId('result-title')).toContainText('收款成功 ¥500.00');
  await expect(page.getByTestId('result-change')).toContainText('找零 ¥100.00');
  await expect(page.getByTestId('print-state')).toContainText('已打印');

  // The slip as the printer received it, decoded from the bytes.
  const slip = await slipText(page);
  expect(slip).toContain('缴费凭证');
  expect(slip).toContain('培训样张');
  expect(slip).toContain(`缴费人：${name}`);
  expect(slip).toContain(masked);
  expect(slip).not.toContain(payer.id_number);
  expect(slip).toMatch(/2026年\s+500元档\s+￥500\.00/);
  expect(slip).toMatch(/实收\s+￥600\.00/);
  expect(slip).toMatch(/找零\s+￥100\.00/);
  await page.screenshot({ path: path.join(shots, '11-paid-slip.png'), fullPage: true });

  const rows = registry
    .prepare("SELECT year, tier_fen, amount_fen, subsidy_fen FROM payments WHERE payer_id = ? AND channel = 'counter' AND year = 2026")
    .all(payer.id);
  expect(rows).toEqual([{ year: 2026, tier_fen: 50000, amount_fen: 50000, subsidy_fen: 5000 }]);
  const outbox = registry
    .prepare(
      "SELECT count(*) AS n FROM outbox WHERE kind = 'payment.recorded' AND json_extract(payload, '$.lines[0].year') = 2026 AND json_extract(payload, '$.lines[0].idNumber') = ?",
    )
    .get(payer.id_number) as { n: number };
  expect(outbox.n).toBe(1);
});

test('common case in one keystroke: card placed, Enter (current year, default tier, exact cash) → slip', async ({ page, host }) => {
  await signIn(page, host.appUrl);
  // Keystrokes from card placement to printed slip, as the page receives them.
  await page.evaluate(() => {
    const w = window as unknown as { keystrokes: number };
    w.keystrokes = 0;
    window.addEventListener('keydown', () => w.keystrokes++, { capture: true });
  });
  await placeCard(page, '本年满60周岁');
  await expect(page.getByTestId('payment-panel')).toBeVisible();
  await expect(page.getByTestId('payer-warnings')).toContainText('60');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  await expect(page.getByTestId('print-state')).toContainText('已打印');
  const keystrokes = await page.evaluate(() => (window as unknown as { keystrokes: number }).keystrokes);
  expect(keystrokes).toBe(1);
  test.info().annotations.push({ type: 'keystrokes', description: `card → current year, default tier, exact cash → slip: ${keystrokes} keystroke (Enter)` });
  const name = await page.getByTestId('payer-name').innerText();
  expect(await slipText(page)).toContain(`缴费人：${name}`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('id-input')).toBeFocused();
});

test('back-payment of two earlier years: no subsidy on back years, one transaction', async ({ page, host, registry }) => {
  await signIn(page, host.appUrl);
  await placeCard(page, '往年有欠缴（补缴）');
  const name = await page.getByTestId('payer-name').innerText();
  const payer = registry.prepare('SELECT id FROM payers WHERE name = ? ORDER BY id LIMIT 1').get(name) as { id: number };
  const paidYears = new Set((registry.prepare('SELECT year FROM payments WHERE payer_id = ?').all(payer.id) as { year: number }[]).map((r) => r.year));
  const unpaid = [2025, 2024, 2023, 2022, 2021, 2020].filter((y) => !paidYears.has(y)).slice(0, 2);
  expect(unpaid).toHaveLength(2);

  // Only the back years: untick the current year, tick two unpaid earlier years.
  await page.getByTestId('select-2026').click();
  for (const y of unpaid) await page.getByTestId(`select-${y}`).click();
  const tiers = unpaid.map(() => 0);
  for (const [i, y] of unpaid.entries()) {
    const text = await page.getByTestId(`tier-${y}`).innerText();
    tiers[i] = Number(/(\d+)元/.exec(text)![1]);
  }
  const total = tiers.reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('total-due')).toContainText(`¥${total.toLocaleString('en-US')}.00`);
  await page.screenshot({ path: path.join(shots, '12-back-payment.png'), fullPage: true });
  await page.keyboard.press('F9');
  await expect(page.getByTestId('result-title')).toContainText(`收款成功 ¥${total.toLocaleString('en-US')}.00`);

  const rows = registry
    .prepare("SELECT year, amount_fen, subsidy_fen, back_payment, transaction_id FROM payments WHERE payer_id = ? AND channel = 'counter' ORDER BY year")
    .all(payer.id) as { year: number; amount_fen: number; subsidy_fen: number; back_payment: number; transaction_id: number }[];
  expect(rows.map((r) => r.year)).toEqual([...unpaid].sort());
  expect(rows.every((r) => r.subsidy_fen === 0 && r.back_payment === 1)).toBe(true);
  expect(new Set(rows.map((r) => r.transaction_id)).size).toBe(1);
  expect(rows.reduce((s, r) => s + r.amount_fen, 0)).toBe(total * 100);
  const slip = await slipText(page);
  for (const y of unpaid) expect(slip).toMatch(new RegExp(`${y}年.*补缴`));
});

test('refusals: 7-day wait, already paid this year, drawing the pension — nothing can be collected', async ({ page, host }) => {
  await signIn(page, host.appUrl);
  const cases: [string, RegExp][] = [
    ['新参保未满7天', /7\s*天|7日/],
    ['本年已在银行缴费', /已缴/],
    ['已领取待遇', /领取/],
  ];
  for (const [label, reason] of cases) {
    await placeCard(page, label);
    const name = page.getByTestId('payer-name');
    await expect(name).toBeVisible();
    const row2026 = page
      .getByTestId('payer-years')
      .locator('tbody tr')
      .filter({ has: page.getByRole('cell', { name: '2026', exact: true }) });
    await expect(row2026).toContainText(reason);
    await expect(page.getByTestId('select-2026')).toHaveCount(0);
    await expect(page.getByTestId('confirm-payment')).toBeDisabled();
    await page.screenshot({ path: path.join(shots, `13-refused-${label}.png`), fullPage: true });
    await page.getByRole('button', { name: '取走证件' }).click();
  }
});

test('a double Enter and an extra F9 pay once', async ({ page, host, registry }) => {
  await signIn(page, host.appUrl);
  await placeCard(page, '低保对象（政府代缴）');
  const name = await page.getByTestId('payer-name').innerText();
  const payer = registry.prepare('SELECT id FROM payers WHERE name = ? ORDER BY id LIMIT 1').get(name) as { id: number };
  await expect(page.getByTestId('payment-panel')).toContainText('政府代缴');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.press('F9');
  await expect(page.getByTestId('result-title')).toContainText('收款成功');
  await page.keyboard.press('F9');
  await page.waitForTimeout(300);
  const n = registry.prepare("SELECT count(*) AS n FROM payments WHERE payer_id = ? AND channel = 'counter' AND year = 2026").get(payer.id) as { n: number };
  expect(n.n).toBe(1);
  const tx = registry.prepare('SELECT count(*) AS n FROM counter_transactions WHERE payer_id = ?').get(payer.id) as { n: number };
  expect(tx.n).toBe(1);
  // 代缴 is recorded, never collected from the payer.
  const row = registry
    .prepare("SELECT amount_fen, tier_fen, government_paid_fen FROM payments WHERE payer_id = ? AND year = 2026 AND channel = 'counter'")
    .get(payer.id) as { amount_fen: number; tier_fen: number; government_paid_fen: number };
  expect(row.government_paid_fen).toBeGreaterThan(0);
  expect(row.amount_fen).toBeLessThanOrEqual(row.tier_fen);
});
