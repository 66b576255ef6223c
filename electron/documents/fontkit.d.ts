// The part of fontkit (pdfkit's font engine, a direct dependency for glyph coverage and for the
// thermal printer's raster lines) used here.
declare module 'fontkit' {
  export interface PathCommand {
    command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
    args: number[];
  }
  export interface Glyph {
    advanceWidth: number;
    path: { commands: PathCommand[] };
  }
  export interface Font {
    postscriptName: string;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export interface FontCollection {
    type: 'TTC' | 'DFont';
    fonts: Font[];
    getFont(postscriptName: string): Font | null;
  }
  export function create(buffer: Buffer, postscriptName?: string): Font | FontCollection;
}
