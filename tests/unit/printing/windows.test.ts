// The Windows path, run here on Linux: the SumatraPDF command line that pdf-to-printer builds
// from our options (a stand-in script records its arguments instead of printing), the PowerShell
// that follows the job, and how Get-PrintJob's answer becomes 打印完成 / 打印失败. Nothing here
// reaches a Windows spooler (README "Printing" says what was and was not run).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printJobQuery, WindowsSpooler, windowsJobStatus, windowsPrintOptions } from '../../../electron/printing/windows';
import { A4, SpoolError, type PrintRequest } from '../../../electron/printing/types';
import { tempDir } from '../../helpers/serve';

const realPlatform = process.platform;
afterEach(() => Object.defineProperty(process, 'platform', { value: realPlatform }));

const receiptA4: PrintRequest = {
  pdf: Buffer.from('%PDF-1.4\n'),
  title: '缴款书 (2026)示税现00000101 第1次',
  page: { widthMm: 297, heightMm: 210 },
  paper: A4,
};
const overlay: PrintRequest = { ...receiptA4, page: { widthMm: 241, heightMm: 140 }, paper: { widthMm: 241, heightMm: 140 } };
const daySummary: PrintRequest = { ...receiptA4, title: '日汇总单 RJ000001', page: A4, paper: A4 };

/** A stand-in for SumatraPDF.exe that writes its arguments, one per line, next to itself. */
function fakeSumatra(dir: string): { exe: string; args: () => string[] } {
  const exe = path.join(dir, 'SumatraPDF.exe');
  const log = path.join(dir, 'args.txt');
  fs.writeFileSync(exe, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${log}'\n`, { mode: 0o755 });
  return { exe, args: () => fs.readFileSync(log, 'utf8').trimEnd().split('\n') };
}

describe('the SumatraPDF command pdf-to-printer runs for our jobs', () => {
  it('prints the landscape A4 receipt silently to the named printer at 100 %, landscape, on A4', async () => {
    const dir = tempDir('win-print');
    const sumatra = fakeSumatra(dir);
    // pdf-to-printer refuses to run anywhere but Windows; it asks os.platform(), which reads process.platform.
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const spooler = new WindowsSpooler({ tempDir: dir, sumatraPdfPath: sumatra.exe, paperName: () => 'A4', powershell: async () => '' });
    const id = await spooler.submit('柜台 A4 激光', receiptA4);
    const args = sumatra.args();
    expect(args.slice(0, 5)).toEqual(['-print-to', '柜台 A4 激光', '-silent', '-print-settings', 'landscape,noscale,monochrome,paper=A4,1x']);
    // The PDF handed over is ours, under a document name that carries the job id (Get-PrintJob finds it by that).
    expect(path.basename(args[5]!)).toBe(`${id}.pdf`);
    expect(fs.readFileSync(args[5]!)).toEqual(receiptA4.pdf);
    expect(id).toMatch(/^缴款书_2026_示税现00000101_第1次-/);
  });

  it('prints the overlay on the form size landscape and the day summary portrait, never fit-to-page', () => {
    expect(windowsPrintOptions('针式打印机', overlay, '税收缴款书')).toMatchObject({ orientation: 'landscape', scale: 'noscale', paperSize: '税收缴款书' });
    expect(windowsPrintOptions('A4', daySummary, 'A4')).toMatchObject({ orientation: 'portrait', scale: 'noscale', paperSize: 'A4' });
    expect(windowsPrintOptions('A4', daySummary).paperSize).toBeUndefined();
  });

  it('refuses a page the configured paper cannot hold, before anything is sent', () => {
    expect(() => windowsPrintOptions('针式打印机', { ...receiptA4, paper: { widthMm: 241, heightMm: 140 } })).toThrow(SpoolError);
  });
});

describe("following the job in the Windows queue (Get-PrintJob's JobStatus)", () => {
  it('asks for the jobs of this printer and document, quoting names for PowerShell', () => {
    const script = printJobQuery("Bob's 打印机", '缴款书_1-abc');
    expect(script).toContain("Get-PrintJob -PrinterName 'Bob''s 打印机'");
    expect(script).toContain("$_.DocumentName -like '*缴款书_1-abc*'");
    expect(script).toContain('ConvertTo-Json');
  });

  it('a job that left the queue is completed; one printing is queued; error states fail with the reason in Chinese', () => {
    expect(windowsJobStatus('')).toMatchObject({ outcome: 'completed' });
    expect(windowsJobStatus('[]')).toMatchObject({ outcome: 'completed' });
    expect(windowsJobStatus('"Spooling, Printing"')).toMatchObject({ outcome: 'queued' });
    expect(windowsJobStatus('"Normal"')).toMatchObject({ outcome: 'queued' });
    expect(windowsJobStatus('"Error, Printing"')).toMatchObject({ outcome: 'failed', reason: '打印机报告错误' });
    expect(windowsJobStatus('["PaperOut"]')).toMatchObject({ outcome: 'failed', reason: '打印机缺纸' });
    expect(windowsJobStatus('"Offline"')).toMatchObject({ outcome: 'failed', reason: '打印机脱机' });
    expect(windowsJobStatus('"Paused"').reason).toContain('暂停');
  });

  it('status() runs the query through PowerShell and removes the handed-over PDF once the job is done', async () => {
    const dir = tempDir('win-status');
    const sumatra = fakeSumatra(dir);
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const scripts: string[] = [];
    let answer = '"Printing"';
    const spooler = new WindowsSpooler({ tempDir: dir, sumatraPdfPath: sumatra.exe, powershell: async (s) => (scripts.push(s), answer) });
    const id = await spooler.submit('A4', daySummary);
    const file = path.join(dir, `${id}.pdf`);
    expect(await spooler.status('A4', id)).toMatchObject({ outcome: 'queued' });
    expect(fs.existsSync(file)).toBe(true);
    answer = '';
    expect(await spooler.status('A4', id)).toMatchObject({ outcome: 'completed' });
    expect(fs.existsSync(file)).toBe(false);
    expect(scripts[0]).toContain(id);
  });
});
