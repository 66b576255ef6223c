// The CUPS the print tests use: the one .ci/run started (CUPS_SERVER, PENSION_CUPS_QUEUE,
// PENSION_CUPS_OUT), or, when run as root on a machine with cupsd and cups-pdf installed, a
// private one started here (tests/cups/start-cupsd.sh). Otherwise the tests are skipped with the
// reason — except under CI, where a missing CUPS is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/serve';

export interface Cups {
  server: string;
  queue: string;
  out: string;
  /** Runs a CUPS admin command (cupsdisable, cupsenable, cupsreject, cupsaccept) on the test queue. */
  admin(command: 'cupsdisable' | 'cupsenable' | 'cupsreject' | 'cupsaccept', ...args: string[]): void;
  stop(): void;
}

function reachable(server: string): boolean {
  return spawnSync('lpstat', ['-h', server, '-r'], { encoding: 'utf8' }).stdout.includes('is running');
}

function make(server: string, queue: string, out: string, stop: () => void): Cups {
  return {
    server,
    queue,
    out,
    admin: (command, ...args) => execFileSync(command, ['-h', server, ...args, queue]),
    stop,
  };
}

/** The test CUPS, or the reason there is none. */
export function testCups(): Cups | { skip: string } {
  const env = process.env;
  if (env.CUPS_SERVER && env.PENSION_CUPS_QUEUE && env.PENSION_CUPS_OUT) {
    if (!reachable(env.CUPS_SERVER)) return { skip: `CUPS_SERVER=${env.CUPS_SERVER} 上没有运行的 cupsd` };
    return make(env.CUPS_SERVER, env.PENSION_CUPS_QUEUE, env.PENSION_CUPS_OUT, () => {});
  }
  if (!fs.existsSync('/usr/sbin/cupsd') || !fs.existsSync('/usr/lib/cups/backend/cups-pdf'))
    return { skip: 'cups and printer-driver-cups-pdf are not installed' };
  if (process.getuid?.() !== 0) return { skip: 'a private cupsd with the cups-pdf backend needs root' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pension-cups-'));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const queue = `pension-test-${port}`;
  const script = path.join(repoRoot, 'tests', 'cups');
  const started = spawnSync('bash', [path.join(script, 'start-cupsd.sh'), dir, port, queue], { encoding: 'utf8' });
  if (started.status !== 0) return { skip: `private cupsd did not start: ${started.stderr}` };
  process.env.CUPS_SERVER = `127.0.0.1:${port}`;
  return make(`127.0.0.1:${port}`, queue, path.join(dir, 'out'), () => {
    spawnSync('bash', [path.join(script, 'stop-cupsd.sh'), dir, queue]);
  });
}

/** A greyscale raster of one PDF page (pdftoppm at `dpi`). */
export interface Raster {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row by row. */
  pixels: Uint8Array;
}

export function rasterize(pdf: string, dpi: number): Raster {
  const pgm = execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', pdf], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  // P5 <w> <h> <max>\n<bytes>
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(pgm.subarray(header[0].length, header[0].length + width * height)) };
}

/** The raster turned a quarter clockwise (CUPS turns a landscape page counter-clockwise onto portrait paper). */
export function rotateClockwise(r: Raster): Raster {
  const out = new Uint8Array(r.width * r.height);
  const w = r.height;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) out[x * w + (w - 1 - y)] = r.pixels[y * r.width + x]!;
  }
  return { width: r.height, height: r.width, pixels: out };
}

export function rotateCounterClockwise(r: Raster): Raster {
  return rotateClockwise(rotateClockwise(rotateClockwise(r)));
}

/** The raster moved by whole pixels (white comes in at the edges): a misplaced print, for control comparisons. */
export function shifted(r: Raster, dx: number, dy: number): Raster {
  const out = new Uint8Array(r.width * r.height).fill(255);
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < r.width && sy < r.height) out[y * r.width + x] = r.pixels[sy * r.width + sx]!;
    }
  return { ...r, pixels: out };
}

/**
 * How much of one raster's ink the other has at the same place (within `slack` pixels, for
 * anti-aliasing and the point-to-millimetre rounding of page sizes): both directions, 0…1. Ink is
 * anything darker than light grey: CUPS's PostScript step renders the form's red a little lighter.
 */
export function inkMatch(a: Raster, b: Raster, slack = 1, threshold = 200): { aInB: number; bInA: number; inkA: number; inkB: number } {
  const dark = (r: Raster, x: number, y: number) => x >= 0 && y >= 0 && x < r.width && y < r.height && r.pixels[y * r.width + x]! < threshold;
  const near = (r: Raster, x: number, y: number) => {
    for (let dy = -slack; dy <= slack; dy++) for (let dx = -slack; dx <= slack; dx++) if (dark(r, x + dx, y + dy)) return true;
    return false;
  };
  const frac = (p: Raster, q: Raster) => {
    let ink = 0;
    let hit = 0;
    for (let y = 0; y < p.height; y++)
      for (let x = 0; x < p.width; x++)
        if (dark(p, x, y)) {
          ink++;
          if (near(q, x, y)) hit++;
        }
    return { ink, share: ink ? hit / ink : 1 };
  };
  const ab = frac(a, b);
  const ba = frac(b, a);
  return { aInB: ab.share, bInA: ba.share, inkA: ab.ink, inkB: ba.ink };
}

/** The page size of a PDF in points, from pdfinfo. */
export function pageSize(pdf: string): { w: number; h: number } {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  if (!m) throw new Error(`no page size in pdfinfo output for ${pdf}`);
  return { w: Number(m[1]), h: Number(m[2]) };
}

/** What cups-pdf wrote for a CUPS job id (it names the file …-job_<id>.pdf). */
export function cupsOutput(out: string, jobId: string): string | null {
  const f = fs.readdirSync(out).find((n) => n.endsWith(`job_${jobId}.pdf`));
  return f ? path.join(out, f) : null;
}
