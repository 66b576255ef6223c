// Fonts for printed documents. The primary face is Noto Sans SC Regular, shipped in
// resources/fonts/ (OFL, see NotoSansSC-OFL.txt): it covers GB 18030's common characters and CJK
// Extension A (㛃), but not Extension B and beyond (𠮷 U+20BB7). For those a payer's name falls
// back, character by character, to the first font that has the glyph, searched in this order:
//
//   1. any .ttf/.otf/.ttc/.otc an IT person puts in resources/fonts/fallback/ (e.g. a 中华字库 or
//      方正超大字符集 font licensed by the tax bureau);
//   2. the system's CJK fonts that cover Extension B: Noto Sans/Serif CJK on Linux (Debian, UOS,
//      Kylin: fonts-noto-cjk), SimSun-ExtB / SimSun-ExtG and SimSun on Windows.
//
// Nothing generates a subset fallback at build time (no font tools on the build machines), and
// shipping a whole CJK collection (20–30 MB per face) for a handful of names is not worth it.
// If no font has a character, rendering is REFUSED with a message naming the character and its
// code point: a receipt is never printed with a missing glyph (tofu) in a name.
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { AppError } from '../../shared/api/errors';
import { resourcesDir } from './paths';

export interface FontCandidate {
  file: string;
  /** The face inside a collection (.ttc); all faces are tried when absent. */
  postscriptName?: string;
}

export interface FontFace {
  /** The name the face is registered under in a PDF document. */
  id: string;
  file: string;
  postscriptName: string;
  /** True for a face inside a collection (.ttc): pdfkit then needs its postscript name. */
  collection: boolean;
  data: Buffer;
  font: fontkit.Font;
}

export interface TextRun {
  face: FontFace;
  text: string;
}

/** A character no installed font can draw: printing is refused rather than printing a blank box. */
export class MissingGlyphError extends AppError {
  constructor(readonly characters: string[]) {
    const list = characters.map((c) => `“${c}”(U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join('、');
    super(
      'GLYPH_MISSING',
      `字库中没有 ${list} 的字形，为免打出缺字，不能打印。请信息技术人员安装含扩展汉字的字体（如 Noto Sans CJK、宋体-方正超大字符集），或放入 resources/fonts/fallback/ 目录。`,
    );
    this.name = 'MissingGlyphError';
  }
}

export const PRIMARY_FONT_FILE = 'NotoSansSC-Regular.ttf';

export function fontsDir(): string {
  return path.join(resourcesDir(), 'fonts');
}

/** Where fallback faces are looked for, in order (files that do not exist are skipped). */
export function fallbackCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, dir = fontsDir()): FontCandidate[] {
  const out: FontCandidate[] = [];
  const local = path.join(dir, 'fallback');
  if (fs.existsSync(local)) {
    for (const f of fs.readdirSync(local).sort()) {
      if (/\.(ttf|otf|ttc|otc)$/i.test(f)) out.push({ file: path.join(local, f) });
    }
  }
  if (platform === 'win32') {
    const fonts = path.join(env.WINDIR ?? 'C:\\Windows', 'Fonts');
    out.push(
      { file: path.join(fonts, 'simsunb.ttf') },
      { file: path.join(fonts, 'SimSun-ExtB.ttf') },
      { file: path.join(fonts, 'SimSun-ExtG.ttf') },
      { file: path.join(fonts, 'simsun.ttc'), postscriptName: 'SimSun' },
    );
  } else {
    for (const d of ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk', '/usr/share/fonts/opentype/noto-cjk']) {
      out.push(
        { file: path.join(d, 'NotoSansCJK-Regular.ttc'), postscriptName: 'NotoSansCJKsc-Regular' },
        { file: path.join(d, 'NotoSerifCJK-Regular.ttc'), postscriptName: 'NotoSerifCJKsc-Regular' },
      );
    }
  }
  return out;
}

const faceCache = new Map<string, FontFace[]>();

/** Opens a font file (all faces of a collection, or the one named). Cached per process. */
function openFaces(c: FontCandidate, idPrefix: string): FontFace[] {
  const key = `${c.file}#${c.postscriptName ?? '*'}`;
  const cached = faceCache.get(key);
  if (cached) return cached;
  let faces: FontFace[] = [];
  try {
    const data = fs.readFileSync(c.file);
    const opened = fontkit.create(data);
    const collection = 'fonts' in opened;
    const fonts = collection ? opened.fonts : [opened];
    faces = fonts
      .filter((f) => !c.postscriptName || f.postscriptName === c.postscriptName)
      .map((f) => ({ id: `${idPrefix}-${f.postscriptName}`, file: c.file, postscriptName: f.postscriptName, collection, data, font: f }));
  } catch {
    faces = [];
  }
  faceCache.set(key, faces);
  return faces;
}

/**
 * The primary face and the fallbacks, resolved lazily: a fallback file is only opened when the
 * text has a character the faces before it lack.
 */
export class FontSet {
  private readonly loaded: FontFace[] = [];
  private pending: FontCandidate[];

  constructor(
    readonly primary: FontFace,
    fallbacks: FontCandidate[],
  ) {
    this.pending = [...fallbacks];
  }

  /** Every face that drew something, for registering with the PDF document. */
  faces(): FontFace[] {
    return [this.primary, ...this.loaded];
  }

  private faceFor(cp: number): FontFace | null {
    if (this.primary.font.hasGlyphForCodePoint(cp)) return this.primary;
    for (const f of this.loaded) if (f.font.hasGlyphForCodePoint(cp)) return f;
    while (this.pending.length > 0) {
      const c = this.pending.shift()!;
      if (!fs.existsSync(c.file)) continue;
      const faces = openFaces(c, `fallback${this.loaded.length + 1}`);
      this.loaded.push(...faces);
      const hit = faces.find((f) => f.font.hasGlyphForCodePoint(cp));
      if (hit) return hit;
    }
    return null;
  }

  /** Splits text into runs of one face each. Throws MissingGlyphError when a character has no face. */
  runs(text: string): TextRun[] {
    const runs: TextRun[] = [];
    const missing: string[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const face = cp <= 0x20 ? this.primary : this.faceFor(cp);
      if (!face) {
        if (!missing.includes(ch)) missing.push(ch);
        continue;
      }
      const last = runs[runs.length - 1];
      if (last && last.face === face) last.text += ch;
      else runs.push({ face, text: ch });
    }
    if (missing.length > 0) throw new MissingGlyphError(missing);
    return runs;
  }

  /** Throws MissingGlyphError unless every character of every text can be drawn. */
  check(texts: string[]): void {
    const missing: string[] = [];
    for (const t of texts) {
      try {
        this.runs(t);
      } catch (error) {
        if (!(error instanceof MissingGlyphError)) throw error;
        for (const c of error.characters) if (!missing.includes(c)) missing.push(c);
      }
    }
    if (missing.length > 0) throw new MissingGlyphError(missing);
  }
}

/** The document fonts: the shipped primary face and the fallbacks of this machine. */
export function documentFonts(options: { primaryFile?: string; fallbacks?: FontCandidate[] } = {}): FontSet {
  const file = options.primaryFile ?? path.join(fontsDir(), PRIMARY_FONT_FILE);
  if (!fs.existsSync(file)) throw new AppError('INTERNAL', `缺少程序字体文件：${file}`);
  const [primary] = openFaces({ file }, 'primary');
  if (!primary) throw new AppError('INTERNAL', `程序字体文件无法读取：${file}`);
  return new FontSet(primary, options.fallbacks ?? fallbackCandidates());
}
