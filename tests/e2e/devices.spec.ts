import fs from 'node:fs';
import path from 'node:path';
import { expect, signInAsAdmin, test } from './fixtures';

const shots = path.join(__dirname, '..', 'artifacts', 'screens');
fs.mkdirSync(shots, { recursive: true });

test('IT staff switch the printer to 58 mm and print the test page; clerks cannot change devices', async ({ page, host }) => {
  await signInAsAdmin(page, host.appUrl);
  const user = page.getByLabel('用户名');

  const devices = page.getByTestId('devices-page');
  await expect(devices).toBeVisible();
  await expect(devices).toContainText('已连接');
  await devices.getByText('58 毫米').click();
  await devices.getByRole('button', { name: '保存并重新连接' }).click();
  await expect(page.getByTestId('devices-message')).toContainText('已保存');
  await devices.getByRole('button', { name: '打印测试页' }).click();
  await expect(page.getByTestId('devices-message')).toContainText('测试页已发送');
  await expect(page.getByTestId('devices-printer-state')).toContainText('打印完成');
  await page.screenshot({ path: path.join(shots, '20-devices.png'), fullPage: true });

  const config = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'config.json'), 'utf8')) as { devices: { paperWidth: number } };
  expect(config.devices.paperWidth).toBe(58);

  // The clerk's training panel shows the test page as the printer received it: 32 columns.
  await page.getByRole('button', { name: '退出登录' }).click();
  await user.fill('clerk');
  await page.getByLabel('密码').fill('1234');
  await page.getByLabel('密码').press('Enter');
  const slip = page.getByTestId('slip-preview');
  await expect(slip).toContainText('打印测试页');
  await expect(slip).toContainText('每行32列');
  await expect(slip).toContainText('12345678901234567890123456789012');
  const token = host.token;
  const res = await fetch(`${host.url}/api/devices.configure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reader: '', printer: '', paperWidth: 80 }),
  });
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');

  // Test read at the supervisor's device view: a card on the reader shows up decoded, ID masked.
  await page.getByRole('button', { name: '退出登录' }).click();
  await user.fill('super');
  await page.getByLabel('密码').fill('5678');
  await page.getByLabel('密码').press('Enter');
  // The device view is a tab (Alt+n); in training the simulated reader sits beside it, and a card
  // placed there stays on the device view instead of opening the payer at the counter.
  await page.getByTestId('open-devices').click();
  await expect(page.getByTestId('devices-last-read')).toContainText('把任一身份证放到读卡器上');
  await page.locator('.ant-list-item').filter({ hasText: '本年满60周岁' }).getByRole('button', { name: '放卡' }).click();
  await expect(page.getByTestId('devices-last-read')).toContainText(/529901\*{8}\d{3}[\dX]/);
  await expect(page.getByTestId('open-devices')).toBeVisible();
  await expect(page.getByTestId('payer-name')).toHaveCount(0);

  // Back to 80 mm for the other tests, as IT staff.
  await signInAsAdmin(page, host.appUrl);
  await page.getByTestId('devices-page').getByText('80 毫米').click();
  await page.getByTestId('devices-page').getByRole('button', { name: '保存并重新连接' }).click();
  await expect(page.getByTestId('devices-message')).toContainText('已保存');
});

// Issue 16, finding 1: IT staff set a serial device's speed and flow control on the device screen;
// the main process validates the call and keeps it in config.json; clerks cannot.
test('IT staff set the slip printer to 19200 baud with RTS/CTS; the setting is kept', async ({ page, host }) => {
  await signInAsAdmin(page, host.appUrl);

  const serial = page.getByTestId('devices-serial');
  await expect(serial).toBeVisible();
  await expect(page.getByTestId('serial-printer-baud')).toContainText('9600');
  await expect(page.getByTestId('serial-reader-baud')).toContainText('115200');
  await page.getByTestId('serial-printer-baud').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('19200').click();
  await expect(page.getByTestId('devices-message')).toContainText('串口设置已保存');
  await page.getByTestId('serial-printer-flow').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('硬件流控（RTS/CTS）').click();
  await expect(page.getByTestId('serial-printer-flow')).toContainText('硬件流控（RTS/CTS）');
  await page.screenshot({ path: path.join(shots, '21-devices-serial.png'), fullPage: true });

  const config = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'config.json'), 'utf8')) as {
    devices: { printerSerial?: { baudRate: number; flowControl: string }; readerSerial?: unknown };
  };
  expect(config.devices.printerSerial).toEqual({ baudRate: 19200, flowControl: 'rtscts' });
  expect(config.devices.readerSerial).toBeUndefined();

  // Validated in main: a speed outside the list is refused, whoever calls.
  const res = await fetch(`${host.url}/api/devices.serial`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify({ device: 'printer', baudRate: 4800, flowControl: 'none' }),
  });
  const refused = (await res.json()) as { ok: boolean; error?: { code: string; issues?: { path: string }[] } };
  expect(refused.error?.code).toBe('VALIDATION');
  expect(refused.error?.issues?.map((i) => i.path)).toEqual(['baudRate']);

  // Back to the defaults for the other tests.
  await page.getByTestId('serial-printer-baud').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('9600').click();
  await expect(page.getByTestId('serial-printer-baud')).toContainText('9600');
  await page.getByTestId('serial-printer-flow').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('无').click();
  await expect(page.getByTestId('serial-printer-flow')).toContainText('无');
});
