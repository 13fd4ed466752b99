/**
 * `npm run icons`: the app icon, drawn once as scripts/packaging/icon.svg, rendered to build/icon.png
 * (1024 px, Linux and electron-builder's source), build/icon.icns (macOS) and build/icon.ico (Windows).
 * resvg renders the SVG; png2icons writes the two container formats. Both install from npm alone.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const ICON_SIZE = 1024;
export const ICON_SVG = path.join(import.meta.dirname, 'icon.svg');

export interface Icons {
  png: Buffer;
  icns: Buffer;
  ico: Buffer;
}

/** Renders `svg` at ICON_SIZE and packs it for each platform. */
export function makeIcons(svg: string): Icons {
  const png = Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: ICON_SIZE } }).render().asPng());
  const icns = png2icons.createICNS(png, png2icons.BICUBIC, 0);
  // PNG entries, and the small sizes as bitmaps, which Windows Explorer needs for an .exe's icon.
  const ico = png2icons.createICO(png, png2icons.BICUBIC, 0, false, true);
  if (icns === null || ico === null) throw new Error('png2icons could not convert the rendered icon');
  return { png, icns, ico };
}

function main(): void {
  const outDir = path.resolve(import.meta.dirname, '../../build');
  const icons = makeIcons(readFileSync(ICON_SVG, 'utf8'));
  mkdirSync(outDir, { recursive: true });
  for (const [ext, bytes] of Object.entries(icons)) {
    writeFileSync(path.join(outDir, `icon.${ext}`), bytes);
    console.log(`build/icon.${ext}: ${bytes.length} bytes`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
