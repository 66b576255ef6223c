import { test as base, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { assertNoFullIdInLogs, copyDataDir, startServe, waitReady, type RunningHost } from '../helpers/serve';
import { E2E_DEMO_PAYERS, TEMPLATE_ENV } from './global-setup';

export interface DemoPayerRow {
  id_number: string;
  name: string;
  payments: number;
}

interface FileHost {
  file: string;
  host: RunningHost;
}

/** A host on a copy of the run's template county (global-setup.ts), or a county of its own without one. */
async function startFileHost(): Promise<RunningHost> {
  const template = process.env[TEMPLATE_ENV];
  const host = await startServe({ dataDir: template ? copyDataDir(template) : undefined, demoPayers: E2E_DEMO_PAYERS });
  await waitReady(host.url);
  return host;
}

/** Stops a spec file's host; it must exit cleanly and must not have logged a full ID number. */
async function stopFileHost({ file, host }: FileHost): Promise<void> {
  const code = await host.stop();
  if (code !== 0) throw new Error(`serve (${path.basename(file)}) exited with ${code} on SIGTERM:\n${host.output()}`);
  assertNoFullIdInLogs(host.dataDir, `host of ${path.basename(file)}`);
  fs.rmSync(host.dataDir, { recursive: true, force: true });
}

interface FileHosts {
  current: FileHost | null;
  /** The next file's host, started in the background while this file's tests run. */
  spare: Promise<RunningHost> | null;
}

/**
 * One browser host per spec FILE: the real CLI and services on a copy of the run's synthetic
 * training county. Tests of one file share it (and see each other's payments, as a counter's day
 * does); the next file starts from the untouched county. Playwright has no file-scoped fixtures,
 * so the worker keeps the current file's host and swaps it when a test of another file starts;
 * the next host starts while the current file runs, so a file does not wait for its host.
 */
export const test = base.extend<{ host: RunningHost; registry: Database.Database }, { fileHost: FileHosts }>({
  fileHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature needs the pattern
    async ({}, use) => {
      const state: FileHosts = { current: null, spare: null };
      await use(state);
      if (state.current) await stopFileHost(state.current);
      if (state.spare) await stopFileHost({ file: 'spare', host: await state.spare });
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  host: async ({ fileHost }, use, testInfo) => {
    if (fileHost.current?.file !== testInfo.file) {
      const previous = fileHost.current;
      fileHost.current = null;
      if (previous) await stopFileHost(previous);
      const next = fileHost.spare ?? startFileHost();
      fileHost.spare = null;
      fileHost.current = { file: testInfo.file, host: await next };
      fileHost.spare = startFileHost();
      // A spare that fails to start fails the test that takes it, not this one.
      fileHost.spare.catch(() => {});
    }
    await use(fileHost.current.host);
  },
  // Read-only view of the host's database, to pick test payers the way a tester would pick
  // demo cards; the UI under test never sees it.
  registry: async ({ host }, use) => {
    const db = new Database(path.join(host.dataDir, 'counter.sqlite'), { readonly: true, fileMustExist: true });
    await use(db);
    db.close();
  },
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
