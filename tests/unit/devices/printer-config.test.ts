// The slip printer's type and font in config.json: validated, defaulted for configs written before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirLayout, readConfig, trainingConfig } from '../../../electron/platform/config';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function withDevices(devices: Record<string, unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-printer-config-'));
  dirs.push(dir);
  const layout = dataDirLayout(dir);
  fs.writeFileSync(layout.configFile, JSON.stringify({ ...trainingConfig(), devices }));
  return layout;
}

describe('devices.printerType / printerFont', () => {
  it('a config written before the fields prints as EPSON with a GBK font', () => {
    const cfg = readConfig(withDevices({ reader: '', printer: '/dev/usb/lp0', paperWidth: 58 }));
    expect(cfg?.devices).toMatchObject({ printerType: 'epson', printerFont: 'gbk' });
  });

  it('keeps STAR and GB18030 when set', () => {
    const cfg = readConfig(withDevices({ reader: '', printer: '/dev/usb/lp0', paperWidth: 80, printerType: 'star', printerFont: 'gb18030' }));
    expect(cfg?.devices).toMatchObject({ printerType: 'star', printerFont: 'gb18030' });
  });

  it.each([
    ['printerType', 'citizen'],
    ['printerFont', 'big5'],
  ])('refuses %s = %s, naming the field', (field, value) => {
    const layout = withDevices({ reader: '', printer: '', paperWidth: 80, [field]: value });
    expect(() => readConfig(layout)).toThrow(new RegExp(`devices\\.${field}`));
  });
});
