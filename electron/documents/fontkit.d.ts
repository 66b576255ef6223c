// The part of fontkit (pdfkit's font engine, a direct dependency for glyph coverage) used here.
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    familyName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export interface FontCollection {
    type: 'TTC' | 'DFont';
    fonts: Font[];
    getFont(postscriptName: string): Font | null;
  }
  export function create(buffer: Buffer, postscriptName?: string): Font | FontCollection;
}
