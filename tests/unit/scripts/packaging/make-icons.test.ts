import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ICON_SIZE, ICON_SVG, makeIcons } from '$scripts/packaging/make-icons';

describe('npm run icons', () => {
  const icons = makeIcons(readFileSync(ICON_SVG, 'utf8'));

  it('renders the SVG to a square PNG with a transparent corner and an opaque centre', () => {
    const png = PNG.sync.read(icons.png);
    expect([png.width, png.height]).toEqual([ICON_SIZE, ICON_SIZE]);
    expect(png.data[3]).toBe(0);
    expect(png.data[(ICON_SIZE / 2) * ICON_SIZE * 4 + (ICON_SIZE / 2) * 4 + 3]).toBe(255);
  });

  it('packs it as ICNS and ICO', () => {
    expect(icons.icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icons.icns.readUInt32BE(4)).toBe(icons.icns.length);
    // ICONDIR: reserved 0, type 1 (icon), then the number of images.
    expect([icons.ico.readUInt16LE(0), icons.ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(icons.ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4);
  });

  it('matches the icons checked in under build/ (npm run icons regenerates them)', () => {
    for (const ext of ['png', 'icns', 'ico'] as const) {
      expect(readFileSync(new URL(`../../../../build/icon.${ext}`, import.meta.url)).equals(icons[ext]), ext).toBe(true);
    }
  });
});
