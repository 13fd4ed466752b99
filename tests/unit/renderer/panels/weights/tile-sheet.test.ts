import { describe, expect, it } from 'vitest';
import { buildLut, lutIndex } from '$renderer/lib/colour-map';
import { heatmapLayout, renderHeatmap, rowAt, STRIP } from '$renderer/panels/weights/heatmap';
import {
  FRAME,
  GAP,
  packLut,
  PITCH,
  positionAt,
  renderFrames,
  renderTiles,
  sheetLayout,
  TILE,
  tileOrigin,
} from '$renderer/panels/weights/tile-sheet';
import { colourScales, sortUnits, unitNorms } from '$renderer/panels/weights/unit-stats';
import { randomLayer } from './fixtures';
import { INPUT_PIXELS, INPUT_SIDE } from '$renderer/lib/input-size';

const lut = packLut(buildLut());
const middle = (lut.length - 1) / 2;

describe('tile sheet', () => {
  it('paints each tile as its unit’s kernel column, row-major 28×28, in the display order', () => {
    const layer = randomLayer(INPUT_PIXELS, 12, 'relu', 11);
    const layout = sheetLayout(12);
    const scales = colourScales(layer, 'layer');
    const order = sortUnits('norm', 12, unitNorms(layer), null);
    const pixels = new Uint32Array(layout.width * layout.height);
    renderTiles(pixels, layout, layer, order, scales, lut);
    for (let p = 0; p < 12; p++) {
      const unit = order[p];
      const { x, y } = tileOrigin(layout, p);
      for (let i = 0; i < INPUT_PIXELS; i++) {
        const at = (y + FRAME + Math.floor(i / TILE)) * layout.width + x + FRAME + (i % TILE);
        expect(pixels[at]).toBe(lut[lutIndex(layer.kernel[i * 12 + unit], scales[unit])]);
      }
    }
  });

  it('scales each tile to its own largest |w|, or every tile to the layer’s', () => {
    const layer = randomLayer(INPUT_PIXELS, 4, 'relu', 12);
    // Unit 2 much weaker than the rest: alone it reaches the ends of the map; with the layer scale it stays pale.
    for (let i = 0; i < INPUT_PIXELS; i++) layer.kernel[i * 4 + 2] *= 0.01;
    const colours = (mode: 'unit' | 'layer') => {
      const layout = sheetLayout(4);
      const pixels = new Uint32Array(layout.width * layout.height);
      renderTiles(pixels, layout, layer, Uint32Array.of(0, 1, 2, 3), colourScales(layer, mode), lut);
      const { x, y } = tileOrigin(layout, 2);
      return new Set(Array.from({ length: INPUT_PIXELS }, (_, i) => pixels[(y + FRAME + Math.floor(i / INPUT_SIDE)) * layout.width + x + FRAME + (i % INPUT_SIDE)]));
    };
    const perUnit = colours('unit');
    expect(perUnit.has(lut[0]) || perUnit.has(lut[lut.length - 1])).toBe(true);
    const pale = new Set(lut.subarray(middle - 4, middle + 5));
    expect([...colours('layer')].every((c) => pale.has(c))).toBe(true);
  });

  it('finds the tile under a pixel, and nothing in the gaps or past the last unit', () => {
    const layout = sheetLayout(10);
    expect(layout.cols).toBe(4);
    expect(layout.rows).toBe(3);
    for (let p = 0; p < 10; p++) {
      const { x, y } = tileOrigin(layout, p);
      expect(positionAt(layout, x, y)).toBe(p);
      expect(positionAt(layout, x + PITCH - GAP - 1, y + PITCH - GAP - 1)).toBe(p);
      expect(positionAt(layout, x + PITCH - GAP, y)).toBe(-1);
    }
    expect(positionAt(layout, 0, 0)).toBe(-1);
    expect(positionAt(layout, tileOrigin(layout, 11).x + 5, tileOrigin(layout, 11).y + 5)).toBe(-1);
    expect(sheetLayout(1024)).toMatchObject({ cols: 32, rows: 32 });
    expect(sheetLayout(512)).toMatchObject({ cols: 23, rows: 23 });
  });

  it('lights frames brighter for units that fire more, and leaves silent units dim', () => {
    const layout = sheetLayout(3);
    const pixels = new Uint32Array(layout.width * layout.height);
    renderFrames(pixels, layout, Uint32Array.of(0, 1, 2), Float32Array.of(2, 0.5, -1));
    const brightness = (p: number) => {
      const { x, y } = tileOrigin(layout, p);
      const c = pixels[y * layout.width + x];
      return (c & 255) + ((c >> 8) & 255) + ((c >> 16) & 255);
    };
    expect(brightness(0)).toBeGreaterThan(brightness(1));
    expect(brightness(1)).toBeGreaterThan(brightness(2));
    const dim = new Uint32Array(layout.width * layout.height);
    renderFrames(dim, layout, Uint32Array.of(0, 1, 2), null);
    const { x, y } = tileOrigin(layout, 0);
    expect(dim[y * layout.width + x]).toBe(pixels[tileOrigin(layout, 2).y * layout.width + tileOrigin(layout, 2).x]);
  });

  it('refuses a layer whose inputs are not 28×28, and a buffer of the wrong size', () => {
    const layout = sheetLayout(3);
    expect(() => renderTiles(new Uint32Array(layout.width * layout.height), layout, randomLayer(100, 3, 'relu', 1), [0, 1, 2], new Float32Array(3), lut)).toThrow(/784 inputs/);
    expect(() => renderTiles(new Uint32Array(5), layout, randomLayer(INPUT_PIXELS, 3, 'relu', 1), [0, 1, 2], new Float32Array(3), lut)).toThrow(/does not match/);
  });
});

describe('heatmap', () => {
  it('paints one row per unit holding its kernel column, after the activation strip', () => {
    const layer = randomLayer(30, 5, 'relu', 13);
    const layout = heatmapLayout(5, 30);
    const scales = colourScales(layer, 'unit');
    const order = Uint32Array.of(4, 3, 2, 1, 0);
    const pixels = new Uint32Array(layout.width * layout.height);
    renderHeatmap(pixels, layout, layer, order, scales, lut, Float32Array.of(1, 0, 0, 0, 3));
    for (let p = 0; p < 5; p++) {
      for (let i = 0; i < 30; i++) {
        const at = (p * layout.rowPx + layout.rowPx - 1) * layout.width + layout.left + i * layout.colPx;
        expect(pixels[at]).toBe(lut[lutIndex(layer.kernel[i * 5 + order[p]], scales[order[p]])]);
      }
      expect(rowAt(layout, STRIP + 3, p * layout.rowPx)).toBe(p);
    }
    // Unit 4 fires most: the first row's strip is the brightest.
    expect(pixels[0] & 255).toBeGreaterThan(pixels[layout.rowPx * layout.width] & 255);
    expect(rowAt(layout, 0, 5 * layout.rowPx)).toBe(-1);
  });
});
