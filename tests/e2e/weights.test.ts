import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/shared/ipc/contract';
import { findPreset } from '../../src/shared/presets';
import { sheetLayout, tileOrigin } from '../../src/renderer/src/panels/weights/tile-sheet';
import { drawStroke, ONE } from './draw-stroke';
import { ARTIFACTS_DIR, launchReady, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  app = await launchReady({ viewport: { width: 1360, height: 900 } });
  page = app.page;
  await page.getByTestId('tab-weights').click();
  await page.locator('[data-testid="weights-canvas"][data-units="512"]').waitFor();
});
afterAll(async () => {
  await app?.close();
});

const sheet = () => page.getByTestId('weights-canvas');

/** Draws a vertical stroke, a 1, on the panel's drawing canvas. */
const drawOne = (): Promise<void> => drawStroke(page, ONE);

/** The colour of each tile's top-left frame pixel, in display order. */
async function frameColours(units: number): Promise<number[]> {
  const corners = Array.from({ length: units }, (_, p) => tileOrigin(sheetLayout(units), p));
  return sheet().evaluate((canvas: HTMLCanvasElement, points) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return points.map(({ x, y }) => {
      const i = (y * canvas.width + x) * 4;
      return (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    });
  }, corners);
}

/** Opaque-enough pixels of the saliency overlay, and a fingerprint of its pixels. */
function overlayPixels(): Promise<{ shown: number; sum: number }> {
  return page.getByTestId('saliency-overlay').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let shown = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 20) shown++;
      sum += (data[i] + 3 * data[i + 1] + 7 * data[i + 2]) * data[i + 3] * ((i >> 2) + 1);
    }
    return { shown, sum };
  });
}

/** Clicks the centre of the tile at display position `position` of the first layer's sheet. */
async function clickTile(position: number): Promise<void> {
  const box = (await sheet().boundingBox())!;
  const width = Number(await sheet().getAttribute('width'));
  const scale = box.width / width;
  const { x, y } = tileOrigin(sheetLayout(512), position);
  await page.mouse.click(box.x + (x + 16) * scale, box.y + (y + 16) * scale);
}

describe('Weights panel', () => {
  it('shows one 28x28 tile per first-layer unit of the default model, and a heatmap for deeper layers', async () => {
    await expect.poll(() => sheet().getAttribute('data-units')).toBe('512');
    expect(await sheet().getAttribute('data-layer')).toBe('0');
    expect(await sheet().getAttribute('data-view')).toBe('tiles');
    const size = await sheet().evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(size).toEqual([sheetLayout(512).width, sheetLayout(512).height]);
    // The tiles hold weights of both signs: blue-ish and orange-ish pixels both appear.
    const tones = await sheet().evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let blue = 0;
      let orange = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 2] > data[i] + 40) blue++;
        if (data[i] > data[i + 2] + 40) orange++;
      }
      return { blue, orange };
    });
    expect(tones.blue).toBeGreaterThan(1000);
    expect(tones.orange).toBeGreaterThan(1000);

    await page.getByTestId('layer-select').selectOption('1');
    await expect.poll(() => sheet().getAttribute('data-units')).toBe('256');
    expect(await sheet().getAttribute('data-view')).toBe('heatmap');
    await page.getByTestId('layer-select').selectOption('0');
    await expect.poll(() => sheet().getAttribute('data-units')).toBe('512');
  });

  it('opens a unit by click and by keyboard: its tile, weight histogram, and bars labelled with the classes', async () => {
    await clickTile(7);
    const detail = page.getByTestId('unit-detail');
    await expect.poll(() => detail.locator('h2').textContent()).toMatch(/Unit 7 of hidden layer 1/);
    expect(await page.getByTestId('unit-histogram').getAttribute('data-count')).toBe('784');
    expect(await page.getByTestId('unit-histogram').locator('rect').count()).toBeGreaterThan(5);
    // The big tile reads out the weight under the pointer: row 14, column 7 at the tile's centre-left.
    const tile = (await page.getByTestId('unit-tile').boundingBox())!;
    await page.mouse.move(tile.x + (7.5 / 28) * tile.width, tile.y + (14.5 / 28) * tile.height);
    await expect.poll(() => page.getByTestId('pixel-value').textContent()).toMatch(/^row 14, column 7: -?\d/);

    // Keyboard: two right and one down on a 23-column grid lands on position 2 + 23.
    await sheet().focus();
    await page.keyboard.press('Home');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
    await expect.poll(() => detail.locator('h2').textContent()).toMatch(/Unit 25 of hidden layer 1/);

    // The last hidden layer votes for the classes directly: its rows open bars named 0–9.
    await page.getByTestId('layer-select').selectOption('1');
    await expect.poll(() => sheet().getAttribute('data-view')).toBe('heatmap');
    // Row 5 (unit 5 in index order), in the middle of its rows of pixels.
    const box = (await sheet().boundingBox())!;
    const rowHeight = box.height / 256;
    await page.mouse.click(box.x + box.width / 2, box.y + rowHeight * 5.5);
    await expect.poll(() => detail.locator('h2').textContent()).toMatch(/Unit 5 of hidden layer 2/);
    expect(await page.getByTestId('unit-histogram').getAttribute('data-count')).toBe('512');
    const bars = page.getByTestId('outgoing-bars').locator('li');
    expect(await bars.count()).toBe(10);
    expect((await bars.locator('.name').allTextContents()).map((t) => t.trim())).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    );
    await page.getByTestId('layer-select').selectOption('0');
    await expect.poll(() => sheet().getAttribute('data-view')).toBe('tiles');
  });

  it('lights the tile frames and the saliency overlay for a drawn 1, and explains it in the Draw view too', async () => {
    expect(await page.getByTestId('saliency-overlay').getAttribute('data-empty')).toBe('true');
    await expect.poll(() => page.getByTestId('class-gradients').getAttribute('data-source')).toBe('mean');
    const before = await frameColours(512);
    const overlayBefore = await overlayPixels();
    expect(overlayBefore.shown).toBe(0);

    await drawOne();
    await expect.poll(() => page.getByTestId('weights-top-class').textContent()).toBe('1');
    await expect.poll(async () => (await overlayPixels()).shown).toBeGreaterThan(20);
    const after = await frameColours(512);
    const changed = after.filter((colour, i) => colour !== before[i]).length;
    expect(changed).toBeGreaterThan(50);
    expect(await page.getByTestId('class-gradients').getAttribute('data-source')).toBe('drawing');

    await clickTile(40);
    await page.getByTestId('unit-histogram').waitFor();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    // Tall enough for the legend, the unit detail and the class gradients, which scroll in a normal window.
    await page.setViewportSize({ width: 1360, height: 1560 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'weights-panel.png') });
    await page.setViewportSize({ width: 1360, height: 900 });

    // A second stroke changes what the overlay shows.
    const overlayOne = await overlayPixels();
    await drawStroke(page, [
      [0.3, 0.3],
      [0.7, 0.3],
    ]);
    await expect.poll(async () => (await overlayPixels()).sum).not.toBe(overlayOne.sum);

    await page.getByTestId('tab-draw').click();
    await page.getByTestId('show-saliency').check();
    await expect.poll(async () => (await overlayPixels()).shown).toBeGreaterThan(20);
    await page.getByTestId('clear-button').click();
    await expect.poll(() => page.getByTestId('saliency-overlay').getAttribute('data-empty')).toBe('true');
    await page.getByTestId('tab-weights').click();
    await sheet().waitFor();
  });

  it('redraws the sheet for the whole-layer scale and the activation order, and zooms it', async () => {
    const pixels = () => sheet().evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.subarray(0, 400_000)).join());
    const clear = page.getByTestId('clear-button');
    if (await clear.isEnabled()) await clear.click();
    await drawOne();
    await expect.poll(() => page.getByTestId('weights-top-class').textContent()).toBe('1');
    const perUnit = await pixels();
    await page.getByTestId('scale-layer').check();
    await expect.poll(pixels).not.toBe(perUnit);
    const byIndex = await pixels();
    await page.getByTestId('sort-select').selectOption('activation');
    await expect.poll(pixels).not.toBe(byIndex);
    await page.getByTestId('sort-select').selectOption('index');
    await page.getByTestId('scale-unit').check();
    await expect.poll(pixels).toBe(perUnit);

    const width = (await sheet().boundingBox())!.width;
    await page.getByTestId('zoom').fill('2');
    await expect.poll(async () => (await sheet().boundingBox())!.width).toBeCloseTo(width * 2, 0);
    await page.getByTestId('zoom').fill('1');
  });

  it('exports the tile sheet as a PNG of the canvas', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(download.suggestedFilename()).toBe('weights-layer-1.png');
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height, big-endian, right after the signature and chunk header.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([sheetLayout(512).width, sheetLayout(512).height]);
  });

  // Last: the run's model becomes the active one, which the tests above must not see.
  it('shows the weights forming while a model trains, labelled with their moment, then the trained model', async () => {
    // Each frame, note the snapshot on screen and a fingerprint of the canvas painted for it.
    await sheet().evaluate((canvas: HTMLCanvasElement) => {
      const seen: { id: string; label: string; units: string; sum: number }[] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const watch = (): void => {
        const id = canvas.dataset.snapshot ?? '';
        if (id !== seen.at(-1)?.id) {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let sum = 0;
          for (let i = 0; i < data.length; i += 4) sum = (sum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 2_147_483_647;
          const label = document.querySelector('[data-testid="weights-label"]')?.textContent?.trim() ?? '';
          seen.push({ id, label, units: canvas.dataset.units ?? '', sum });
        }
        requestAnimationFrame(watch);
      };
      watch();
    });
    const spec = { ...findPreset('sklearn-exercise')!.spec, epochs: 3 };
    // On wasm's tfjs step, as this spec was written for: the training kernel trains these 3 epochs in
    // about a second, and snapshots come at most once a second, so it would show one at most.
    await page.evaluate(() => (window as unknown as { api: Api }).api.pinTrainingBackend('wasm'));
    const { runId } = await page.evaluate((s) => (window as unknown as { api: Api }).api.startTraining({ spec: s, datasetId: 'mnist' }), spec);
    await expect.poll(() => sheet().getAttribute('data-snapshot'), { timeout: 120_000 }).toBe(`model-${runId}`);
    const seen = await page.evaluate(() => (window as unknown as { __seen: { id: string; label: string; units: string; sum: number }[] }).__seen);
    const snapshots = seen.filter((s) => s.id.startsWith('snapshot-'));
    // The default model, two or more snapshots of the 784-50-10 model, then that model once trained.
    expect(seen[0].units).toBe('512');
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const s of snapshots) {
      expect(s.units).toBe('50');
      expect(s.label).toMatch(/^epoch [1-3], batch \d+$/);
    }
    expect(snapshots[0].label).toBe('epoch 1, batch 1');
    expect(new Set(snapshots.map((s) => s.sum)).size).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ id: `model-${runId}`, units: '50' });
    await page.evaluate(() => (window as unknown as { api: Api }).api.pinTrainingBackend(null));
  });
});
