// The payer's screen (客显, issue 20): a second page at its own address follows one payment from
// the card on the reader to the payer's rating, then the supervisor sees the rating counted.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

/** The payer view at 1920×1080 and 1366×768, as a hall's second monitors are. */
async function shoot(view: Page, name: string) {
  for (const [w, h] of [
    [1920, 1080],
    [1366, 768],
  ] as const) {
    await view.setViewportSize({ width: w, height: h });
    await view.screenshot({ path: path.join(shots, `payer-display-${name}-${w}x${h}.png`) });
  }
}

test("the payer's screen follows a payment from card to rating, never shows the full ID, and the rating is counted", async ({
  page,
  host,
  registry,
  context,
}) => {
  await signIn(page, host.appUrl, 4);
  const view = await context.newPage();
  // Every event frame the payer's page receives, to check that no full ID number is among them.
  const frames: string[] = [];
  view.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await view.goto(host.appUrl.replace('/#token=', '/?view=payer#token='));
  const screen = view.getByTestId('payer-display');
  const fullIds: string[] = [];
  const noFullId = async () => {
    const html = await view.content();
    for (const id of fullIds) {
      expect(html).not.toContain(id);
      expect(frames.filter((f) => f.includes(id))).toEqual([]);
    }
    expect(frames.some((f) => f.includes('"payer.display"'))).toBe(true);
    // Nor any 18-character ID number at all.
    expect(/(?<!\d)\d{17}[\dX](?!\d)/.exec(await view.locator('body').innerText())).toBeNull();
  };

  // Idle: the hall, the welcome, this year's collection period and its deadline; the training banner.
  await expect(screen).toHaveAttribute('data-stage', 'idle');
  await expect(view.getByTestId('pd-idle')).toContainText('欢迎光临');
  await expect(view.getByTestId('pd-period')).toContainText(/2026年度.*征缴期/);
  await expect(view.getByTestId('pd-period')).toContainText('前缴费');
  await expect(view.getByTestId('training-banner')).toBeVisible();
  // Nothing of the counter: no sign-in, no menus, no keys.
  await expect(view.getByLabel('用户名')).toHaveCount(0);
  await expect(view.locator('.ant-tabs, .key-bar, input')).toHaveCount(0);
  await shoot(view, '1-idle');

  // The payer identified (typed ID: the demo cards' payers are left to the other specs on this
  // shared host): the payer's screen shows them masked.
  const payer = registry
    .prepare(
      `SELECT p.id_number FROM payers p
        WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.birth_date > '1967-01-01' AND p.registration_date < '2026-06-01'
          AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026)
        ORDER BY p.id DESC LIMIT 1 OFFSET 30`,
    )
    .get() as { id_number: string };
  await page.keyboard.press('F2');
  await page.keyboard.type(payer.id_number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payer-name')).toBeVisible();
  const name = await page.getByTestId('payer-name').innerText();
  fullIds.push(payer.id_number);
  const chars = Array.from(name);
  const masked = chars.length <= 2 ? `${chars[0]}*` : chars[0] + '*'.repeat(chars.length - 2) + chars.at(-1);
  await expect(screen).toHaveAttribute('data-stage', 'payer');
  await expect(view.getByTestId('pd-name')).toHaveText(masked);
  await expect(view.getByTestId('pd-id')).toHaveText(`${payer.id_number.slice(0, 6)}********${payer.id_number.slice(-4)}`);
  await expect(view.locator('body')).not.toContainText(name);

  // The current year at the 500 tier: what the payer pays, the subsidy, the amount in capitals.
  await page.getByTestId('tier-2026').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^500元/ })
    .click();
  await expect(page.getByTestId('total-due')).toContainText('¥500.00');
  const lines = view.getByTestId('pd-lines');
  await expect(lines).toContainText('2026年度');
  await expect(lines).toContainText('¥500.00');
  await expect(lines).toContainText('¥50.00');
  await expect(view.getByTestId('pd-due')).toHaveText('¥500.00');
  await expect(view.getByTestId('pd-capitals')).toHaveText('伍佰元整');
  await noFullId();

  // Cash handed over: tendered and change, as the clerk types.
  await page.getByTestId('tendered').fill('600');
  await expect(view.getByTestId('pd-tendered')).toHaveText('¥600.00');
  await expect(view.getByTestId('pd-change')).toHaveText('¥100.00');
  await shoot(view, '2-amount-due');

  // Paid: 缴费成功 with the slip's 流水号, then the receipt number once issued.
  await page.getByTestId('tendered').press('Enter');
  await expect(page.getByTestId('result-title')).toContainText('收款成功 ¥500.00');
  await expect(screen).toHaveAttribute('data-stage', 'paid');
  await expect(view.getByTestId('pd-success')).toContainText('缴费成功');
  await expect(view.getByTestId('pd-slip')).toHaveText(/^\d{8}-\d{6}$/);
  await expect(view.getByTestId('pd-change')).toHaveText('¥100.00');
  await page.keyboard.press('F8');
  const receipt = (await page.getByTestId('receipt-number').innerText()).replace('No. ', '').trim();
  await expect(view.getByTestId('pd-receipt')).toHaveText(receipt);
  await noFullId();
  await shoot(view, '3-paid');

  // 下一位: the payer is asked to rate before the screen goes idle.
  await page.getByTestId('receipt-print').click();
  await page.getByTestId('receipt-ok').click();
  await page.getByTestId('next-payer').click();
  await expect(screen).toHaveAttribute('data-stage', 'evaluate');
  await expect(view.getByTestId('pd-evaluate')).toContainText('请您对本次服务进行评价');
  for (const l of ['非常满意', '满意', '基本满意', '不满意', '非常不满意']) await expect(view.getByRole('button', { name: l, exact: true })).toBeVisible();
  await expect(view.getByTestId('pd-countdown')).toContainText('秒后自动结束');
  await shoot(view, '4-evaluate');
  // One of the two lowest: the short list of reasons.
  await view.getByTestId('pd-level-dissatisfied').click();
  await view.getByTestId('pd-reason-waited_long').click();
  await shoot(view, '5-reasons');
  await view.getByTestId('pd-submit').click();
  await expect(screen).toHaveAttribute('data-stage', 'thanks');
  await shoot(view, '6-thanks');
  await expect(screen).toHaveAttribute('data-stage', 'idle', { timeout: 10_000 });
  await noFullId();

  const row = registry
    .prepare(
      `SELECT e.level, e.reasons, e.counter_no, o.username FROM service_evaluations e JOIN operators o ON o.id = e.operator_id
        JOIN receipts r ON r.transaction_id = e.transaction_id WHERE r.number = ?`,
    )
    .get(receipt);
  expect(row).toEqual({ level: 'dissatisfied', reasons: '["waited_long"]', counter_no: 4, username: 'clerk' });
  expect(registry.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'evaluation.recorded'").get()).toEqual({ n: 1 });

  // The supervisor's screen: the clerk's ratings of the rating's business day (after the clerk's
  // day close, which another spec on this shared host may have done, that is the next day).
  const { d: businessDate } = registry
    .prepare('SELECT e.business_date AS d FROM service_evaluations e JOIN receipts r ON r.transaction_id = e.transaction_id WHERE r.number = ?')
    .get(receipt) as { d: string };
  await signIn(page, host.appUrl, 4, { username: 'super', password: '5678' });
  await page.getByTestId('open-evaluations').click();
  const panel = page.getByTestId('evaluation-panel');
  const from = panel.getByPlaceholder('开始日期');
  await from.click();
  await from.fill(businessDate);
  await from.press('Enter');
  const to = panel.getByPlaceholder('结束日期');
  await to.fill(businessDate);
  await to.press('Enter');
  await expect(from).toHaveValue(businessDate);
  // Their other payments left questions unanswered (未评价): the panel is compared with the clerk's
  // recorded ratings of that day, this one among them.
  const recorded = (where: string, ...args: string[]) =>
    String(
      (
        registry
          .prepare(
            `SELECT count(*) AS n FROM service_evaluations e JOIN operators o ON o.id = e.operator_id
              WHERE o.username = 'clerk' AND e.business_date = ? AND ${where}`,
          )
          .get(businessDate, ...args) as { n: number }
      ).n,
    );
  expect(Number(recorded('e.level = ?', 'dissatisfied'))).toBeGreaterThanOrEqual(1);
  await expect(panel.getByTestId('eval-clerk-dissatisfied')).toHaveText(recorded('e.level = ?', 'dissatisfied'));
  await expect(panel.getByTestId('eval-clerk-very_satisfied')).toHaveText(recorded('e.level = ?', 'very_satisfied'));
  await expect(panel.getByTestId('eval-clerk-skipped')).toHaveText(recorded("e.outcome = 'skipped'"));
  await page.screenshot({ path: path.join(shots, 'payer-display-7-supervisor-counts.png'), fullPage: true });
});
