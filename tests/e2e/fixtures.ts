import { test as base, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { startServe, waitReady, type RunningHost } from '../helpers/serve';

export interface DemoPayerRow {
  id_number: string;
  name: string;
  payments: number;
}

/** One browser host per worker: the real CLI, real services, a small synthetic training county. */
export const test = base.extend<object, { host: RunningHost; registry: Database.Database }>({
  host: [
    // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature needs the pattern
    async ({}, use) => {
      const host = await startServe({ demoPayers: 600 });
      await waitReady(host.url);
      await use(host);
      const code = await host.stop();
      if (code !== 0) throw new Error(`serve exited with ${code} on SIGTERM:\n${host.output()}`);
      // Privacy: everything the e2e run did was logged; no full ID number may be in those logs.
      const logDir = path.join(host.dataDir, 'logs');
      for (const f of fs.readdirSync(logDir)) {
        const leaked = /(?<!\d)\d{17}[\dX](?!\d)/.exec(fs.readFileSync(path.join(logDir, f), 'utf8'));
        if (leaked) throw new Error(`a full ID number reached ${f}: ${leaked[0].slice(0, 6)}…`);
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  // Read-only view of the host's database, to pick test payers the way a tester would pick
  // demo cards; the UI under test never sees it.
  registry: [
    async ({ host }, use) => {
      const db = new Database(path.join(host.dataDir, 'counter.sqlite'), { readonly: true, fileMustExist: true });
      await use(db);
      db.close();
    },
    { scope: 'worker' },
  ],
});

export const expect = test.expect;

/**
 * Opens the app and signs in as the demo clerk at a counter. The session belongs to the counter
 * (the host), so a page opened after another test may already be signed in: then it signs out
 * first, so every test starts from the sign-in screen as a clerk's day does.
 */
export async function signIn(page: Page, appUrl: string, counterNo = 2, account = { username: 'clerk', password: '1234' }): Promise<void> {
  await signInScreen(page, appUrl);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByLabel('窗口号').fill(String(counterNo));
  await page.getByLabel('密码').press('Enter');
  await expect(page.getByTestId('operator')).toContainText(`${counterNo} 号窗口`);
}

/** Opens the app and signs in as the demo IT administrator, who lands on the devices screen. */
export async function signInAsAdmin(page: Page, appUrl: string): Promise<void> {
  await signInScreen(page, appUrl);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('0000');
  await page.getByLabel('密码').press('Enter');
}

/** The sign-in screen, signing out whoever the host's session still holds. */
async function signInScreen(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  const user = page.getByLabel('用户名');
  const operator = page.getByTestId('operator');
  await expect(user.or(operator)).toBeVisible();
  if (await operator.isVisible()) await page.getByRole('button', { name: '退出登录' }).click();
}
