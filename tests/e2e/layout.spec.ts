// Issue 13, layout: the counter is usable on the screens halls have (1024×768 up to 1920×1080).
// During a payment the payer's identity, the amount due, the change, the cash error and then the
// receipt's state are on screen without scrolling (above the key bar), and no table header wraps
// one character per line.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });
test.setTimeout(180_000);

const sizes = [
  { width: 1024, height: 768 },
  { width: 1280, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Wholly inside the window and above the key bar, with the page not scrolled. */
async function onScreen(page: Page, el: Locator, what: string) {
  await expect(el, what).toBeVisible();
  const box = (await el.boundingBox())!;
  const vp = page.viewportSize()!;
  const bar = (await page.getByTestId('key-bar').boundingBox())!;
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled, `${what}: the page was scrolled`).toBe(0);
  expect(box.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what} top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} right edge at ${vp.width}`).toBeLessThanOrEqual(vp.width + 0.5);
  expect(box.y + box.height, `${what} bottom edge at ${vp.height} (key bar at ${bar.y})`).toBeLessThanOrEqual(bar.y + 0.5);
}

/** No header cell of a visible table is taller than two lines (one character per line is the failure). */
async function headersOneLine(page: Page) {
  const tall = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.ant-table-thead th, .years-table th')]
      .filter((th) => th.offsetParent !== null && th.innerText.trim().length > 1)
      .filter((th) => th.getBoundingClientRect().height > 48)
      .map((th) => `${th.innerText.trim()} ${Math.round(th.getBoundingClientRect().height)}px`),
  );
  expect(tall).toEqual([]);
}

test('the counter at 1024×768, 1280×1024, 1366×768 and 1920×1080: a payment without scrolling', async ({ page, host, registry }) => {
  const payers = registry
    .prepare(
      `SELECT p.id_number FROM payers p
        WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.birth_date > '1967-01-01' AND p.registration_date < '2026-06-01'
          AND p.id NOT IN (SELECT id FROM payers ORDER BY id LIMIT 9)
          AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026)
          AND (SELECT count(*) FROM payments x WHERE x.payer_id = p.id) >= 3
        ORDER BY p.id DESC LIMIT ${sizes.length}`,
    )
    .all() as { id_number: string }[];
  expect(payers).toHaveLength(sizes.length);
  await signIn(page, host.appUrl);
  for (const [i, size] of sizes.entries()) {
    const tag = `${size.width}x${size.height}`;
    await page.setViewportSize(size);
    await page.keyboard.press('F2');
    await page.keyboard.type(payers[i]!.id_number);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('payer-id')).toBeVisible();
    // Too little cash: the error is shown where the clerk looks.
    await page.keyboard.type('1');
    await onScreen(page, page.getByTestId('payer-name'), `${tag} name`);
    await onScreen(page, page.getByTestId('payer-id'), `${tag} ID`);
    await onScreen(page, page.getByTestId('payer-status'), `${tag} status`);
    await onScreen(page, page.getByTestId('total-due'), `${tag} amount due`);
    await onScreen(page, page.getByTestId('change'), `${tag} change`);
    await onScreen(page, page.getByTestId('cash-problem'), `${tag} cash error`);
    await onScreen(page, page.getByTestId('confirm-payment'), `${tag} confirm`);
    await headersOneLine(page);
    await page.screenshot({ path: path.join(shots, `70-layout-${tag}-payment.png`) });

    await page.keyboard.press('Control+A');
    await page.keyboard.type('1000');
    await page.keyboard.press('Enter');
    await onScreen(page, page.getByTestId('result-change'), `${tag} change given`);
    await page.keyboard.press('F8');
    await onScreen(page, page.getByTestId('receipt-print'), `${tag} receipt to print`);
    await onScreen(page, page.getByTestId('receipt-stage'), `${tag} receipt state`);
    await page.keyboard.press('F8');
    await onScreen(page, page.getByTestId('receipt-confirm'), `${tag} receipt to confirm`);
    await page.screenshot({ path: path.join(shots, `70-layout-${tag}-receipt.png`) });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('receipt-done')).toBeVisible();
    await onScreen(page, page.getByTestId('receipt-done'), `${tag} receipt done`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('payer-id')).toHaveCount(0);
  }
  // The header keeps the hall's name whole at the narrowest screen.
  await page.setViewportSize(sizes[0]!);
  const hall = page.getByTestId('hall-name');
  expect(await hall.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
  // The day close and the stock tabs: tables without one-character-per-line headers.
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('dayclose-panel')).toBeVisible();
  await headersOneLine(page);
  await page.screenshot({ path: path.join(shots, '70-layout-1024x768-dayclose.png') });
  await page.keyboard.press('Alt+2');
  await headersOneLine(page);
  await page.screenshot({ path: path.join(shots, '70-layout-1024x768-stock.png') });
});
