import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * A serial line's settings (8N1 always). Absent = the device's usual speed without flow
 * control: reader 115200, printer 9600.
 */
export const SerialSettingsConfig = z
  .object({
    baudRate: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]),
    flowControl: z.enum(['none', 'rtscts', 'xonxoff']).default('none'),
  })
  .strict();
export type SerialSettingsConfig = z.infer<typeof SerialSettingsConfig>;
export const DEFAULT_READER_SERIAL: SerialSettingsConfig = { baudRate: 115200, flowControl: 'none' };
export const DEFAULT_PRINTER_SERIAL: SerialSettingsConfig = { baudRate: 9600, flowControl: 'none' };

/**
 * The counter's configuration (config.json in the data directory). Its absence means first
 * start: the app writes a training-mode configuration and seeds a demo county, so a fresh
 * install is usable at once and nothing it prints can pass as a real document.
 */
export const CounterConfig = z
  .object({
    mode: z.enum(['training', 'production']),
    hallName: z.string().min(1),
    taxOffice: z.string().min(1),
    countyName: z.string().min(1),
    regionCode: z.string().regex(/^\d{6}$/),
    policyRegion: z.string().min(1),
    timeZone: z.string().min(1),
    /**
     * Generated once by `pension-counter setup` (a UUID): names this counter in everything it
     * claims upstream. Absent on a training counter.
     */
    installationId: z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      .optional(),
    /** The hall's window number of this counter (1–99), set at setup. */
    counterNo: z.number().int().min(1).max(99).optional(),
    /** Thresholds of `pension-counter doctor` (defaults in electron/services/doctor). */
    doctor: z
      .object({
        /** Free space below this many MB on the data disk needs action. */
        minFreeMb: z.number().int().min(0).optional(),
        /** A newest backup older than this many hours needs action. */
        maxBackupAgeHours: z.number().int().min(1).optional(),
        /** Clock difference to the upstream above this many seconds needs action. */
        maxClockSkewSeconds: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    demo: z.object({ seed: z.number().int(), payers: z.number().int().min(0).max(2_000_000) }).optional(),
    /** Minutes without input before the counter screen locks (default 5). */
    idleLockMinutes: z.number().int().min(1).max(120).optional(),
    /** Online backups: folder (e.g. a second disk), how many to keep, how often. */
    backup: z
      .object({
        dir: z.string().min(1).optional(),
        keep: z.number().int().min(1).max(1000).default(14),
        intervalMinutes: z.number().int().min(0).max(10_080).default(60),
      })
      .strict()
      .optional(),
    /** The upstream collection system; absent = no sync (a stand-alone training counter). */
    upstream: z
      .object({ url: z.string().url(), key: z.string().min(8) })
      .strict()
      .optional(),
    /** The payer's screen (客显): the desktop's second window and the time allowed to rate. */
    payerDisplay: z
      .object({ enabled: z.boolean(), displayIndex: z.number().int().min(0).max(8), evaluationSeconds: z.number().int().min(5).max(300) })
      .strict()
      .optional(),
    devices: z
      .object({
        /** Serial path of the ID-card reader, 'auto' to search, 'simulated', or '' for none. */
        reader: z.string(),
        /** 'simulated', a serial path, /dev/usb/lpN, host:9100, or '' for none. */
        printer: z.string(),
        paperWidth: z.union([z.literal(58), z.literal(80)]),
        /** Speed and flow control of a serial reader (default 115200, none). */
        readerSerial: SerialSettingsConfig.optional(),
        /** Speed and flow control of a serial slip printer (default 9600, none). */
        printerSerial: SerialSettingsConfig.optional(),
        /** The slip printer's command set: ESC/POS (Epson, Gprinter, Xprinter…) or Star Line Mode. */
        printerType: z.enum(['epson', 'star']).default('epson'),
        /** What the slip printer's Chinese font covers; characters beyond it are printed as images. */
        printerFont: z.enum(['gbk', 'gb18030']).default('gbk'),
        /** The printer of the formal receipt: 'simulated', a CUPS queue name, or '' for none. */
        receiptPrinter: z.string().default(''),
        /** A4 plain paper with the form lines, or overlay on the pre-printed form. */
        receiptLayout: z.enum(['a4', 'overlay']).default('a4'),
        /** The paper loaded in the receipt printer, mm (default: portrait-fed A4, or the form's own size for overlay). */
        receiptPaper: z
          .object({ widthMm: z.number().min(50).max(500), heightMm: z.number().min(50).max(500) })
          .strict()
          .optional(),
        /** Windows only: the paper's form name in the printer's settings (e.g. A4, or the form defined for the stock). */
        receiptPaperName: z.string().max(64).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type CounterConfig = z.infer<typeof CounterConfig>;

export function trainingConfig(demoPayers = 120_000): CounterConfig {
  return {
    mode: 'training',
    hallName: '示范县税务局第一办税服务厅',
    taxOffice: '国家税务总局示范县税务局',
    countyName: '示范县',
    // 529901 is not an assigned county code (Guizhou has no city 99), so a synthetic ID number
    // can never be a real person's.
    regionCode: '529901',
    policyRegion: 'demo',
    timeZone: 'Asia/Shanghai',
    demo: { seed: 20260101, payers: demoPayers },
    devices: {
      reader: 'simulated',
      printer: 'simulated',
      paperWidth: 80,
      printerType: 'epson',
      printerFont: 'gbk',
      receiptPrinter: 'simulated',
      receiptLayout: 'a4',
    },
  };
}

/**
 * Where Electron keeps userData for this app, so that the CLI run by IT staff and the desktop
 * app find the same database without being told.
 */
export function defaultDataDir(): string {
  const name = 'pension-counter';
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  }
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}

export interface DataDirLayout {
  dir: string;
  configFile: string;
  databaseFile: string;
  logDir: string;
}

export function dataDirLayout(dir: string): DataDirLayout {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    configFile: path.join(abs, 'config.json'),
    databaseFile: path.join(abs, 'counter.sqlite'),
    logDir: path.join(abs, 'logs'),
  };
}

export function readConfig(layout: DataDirLayout): CounterConfig | null {
  if (!fs.existsSync(layout.configFile)) return null;
  const raw = fs.readFileSync(layout.configFile, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`配置文件不是有效的 JSON：${layout.configFile}：${(error as Error).message}`);
  }
  const parsed = CounterConfig.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('; ');
    throw new Error(`配置文件有误：${layout.configFile}：${where}`);
  }
  return parsed.data;
}

export function writeConfig(layout: DataDirLayout, config: CounterConfig): void {
  fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  const tmp = `${layout.configFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, layout.configFile);
}
