// Issue 13, first start and restart: while the training county is built the page says what is
// happening and how far from the first second (never a blank page); after a host restart on the
// same port the clerk pastes the new address into the old tab (only the #token fragment differs)
// and carries on, without closing the tab.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startServe, tempDir, waitReady } from '../helpers/serve';
import { expect, signIn, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });
test.setTimeout(240_000);
test.use({ viewport: { width: 1366, height: 768 } });

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

test('first start shows progress at once; the old tab recovers when the new address is pasted', async ({ page }) => {
  const port = await freePort();
  const dataDir = tempDir('first-start');
  // A county big enough that building it takes several seconds on this machine.
  let host = await startServe({ dataDir, demoPayers: 60_000, args: ['--port', String(port)] });
  try {
    await page.goto(host.appUrl);
    const starting = page.getByTestId('app-starting');
    const user = page.getByLabel('用户名');
    // Within a second of the page: what the counter is doing, in words (connecting, writing the
    // first part of the county, with its bar), or already the sign-in.
    await expect(page.getByTestId('app-connecting').or(starting).or(user)).toBeVisible({ timeout: 1_000 });
    if (await starting.isVisible()) {
      // The head of the county can be written in about a second: the words then change to the
      // sign-in before this look.
      await expect(starting.filter({ hasText: '正在生成培训数据' }).or(user)).toBeVisible();
      if (await starting.isVisible()) await page.screenshot({ path: path.join(shots, '60-first-start-progress.png') });
    }
    // Sign-in comes after the first few thousand payers, long before the county is complete; the
    // training banner shows the rest being written, and its figure moves.
    await expect(user).toBeVisible({ timeout: 60_000 });
    const fill = page.getByTestId('training-fill');
    await expect(fill).toBeVisible();
    await page.screenshot({ path: path.join(shots, '61-first-start-background-fill.png') });
    const percent = async () => Number(/(\d+)%/.exec((await fill.textContent({ timeout: 1_000 }).catch(() => null)) ?? '')?.[1] ?? 100);
    const first = await percent();
    expect(first).toBeLessThan(100);
    await expect.poll(percent, { timeout: 60_000 }).toBeGreaterThan(first);
    await waitReady(host.url);
    await signIn(page, host.appUrl);

    // Host restart on the same port: a new token, the same address otherwise.
    expect(await host.stop()).toBe(0);
    host = await startServe({ dataDir, args: ['--port', String(port)] });
    await waitReady(host.url);
    expect(host.url).toBe(`http://127.0.0.1:${port}`);
    // The old tab's token is refused now…
    await page.getByTestId('open-dayclose').click();
    await expect(page.getByText('访问凭证无效').first()).toBeVisible();
    // …and pasting the new address (a fragment-only change: no page load by itself) recovers it.
    const before = page.url();
    expect(before.split('#')[0]).toBe(host.appUrl.split('#')[0]);
    await signIn(page, host.appUrl);
    await page.keyboard.press('Alt+3');
    await expect(page.getByTestId('dayclose-panel')).toBeVisible();
    await expect(page.getByText('访问凭证无效')).toHaveCount(0);
    expect(page.url()).not.toContain('token=');
  } finally {
    await host.stop();
  }
});
