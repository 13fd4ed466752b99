import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawStroke } from './draw-stroke';
import { ARTIFACTS_DIR, launchApp, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  app = await launchApp();
  page = app.page;
  await page.setViewportSize({ width: 1400, height: 960 });
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
  await page.getByTestId('tab-projector').click();
});
afterAll(async () => {
  await app?.close();
});

const map = () => page.getByTestId('projector-canvas');
/** The map's data attributes once it shows `layer` with `points` points. */
async function mapOf(layer: string, points = 1000): Promise<{ knn: number; variance: number[] }> {
  await page.locator(`[data-testid="projector-canvas"][data-layer="${layer}"][data-points="${points}"]`).waitFor({ timeout: 120_000 });
  const knn = Number(await map().getAttribute('data-knn-accuracy'));
  const variance = (await map().getAttribute('data-explained-variance'))!.split(',').map(Number);
  return { knn, variance };
}

/** Drags the pointer through points given as fractions of an element's box (the map, or the Draw canvas). */
const drag = (testid: string, points: [number, number][]): Promise<void> => drawStroke(page, points, { canvas: page.getByTestId(testid) });

describe('Projector', () => {
  it("maps the last hidden layer by PCA, its classes far more apart than in the pixels", async () => {
    expect(await page.getByTestId('projector-layer').inputValue()).toBe('2');
    expect(await page.getByTestId('projector-method').inputValue()).toBe('pca');
    expect(await page.getByTestId('projector-sample').inputValue()).toBe('1000');
    const hidden = await mapOf('2');
    expect(await map().getAttribute('data-method')).toBe('pca');
    expect(hidden.variance).toHaveLength(2);
    expect(hidden.variance[0]).toBeGreaterThan(hidden.variance[1]);
    expect(hidden.variance[0] + hidden.variance[1]).toBeLessThan(1);
    // The plot area is painted: most of its pixels are white, not all.
    const painted = await map().evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) coloured++;
      return coloured / (data.length / 4);
    });
    expect(painted).toBeGreaterThan(0.005);

    await page.getByTestId('projector-layer').selectOption('0');
    const pixels = await mapOf('0');
    expect(hidden.knn).toBeGreaterThan(pixels.knn + 0.1);
    await page.getByTestId('projector-layer').selectOption('2');
    await mapOf('2');
  });

  it("finds a drawn 1's nearest training digits, mostly 1s, and puts the drawing on the map", async () => {
    await drag('draw-canvas', [[0.5, 0.18], [0.5, 0.5], [0.5, 0.82]]);
    const items = page.getByTestId('nearest-digit');
    // The search answering the whole stroke, not one made while it was being drawn.
    await page.locator('[data-testid="nearest-digits"][data-busy="false"][data-count="8"]').waitFor({ timeout: 180_000 });
    const ones = () => items.evaluateAll((els) => els.filter((el) => el.getAttribute('data-label') === '1').length);
    await expect.poll(ones, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    const distances = await items.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-distance'))));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect((await page.getByTestId('nearest-timing').textContent())!.replace(/\s+/g, ' ')).toMatch(/of 60,000 training images in hidden layer 2, found by an exact search in [\d.]+ ms/);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'projector-panel.png') });
  });

  it('opens the points inside a lasso in the Gallery', async () => {
    await drag('projector-canvas', [[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75], [0.26, 0.26]]);
    await page.getByTestId('gallery-clear-picked').waitFor();
    const count = Number(await page.getByTestId('gallery-count').getAttribute('data-count'));
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(1000);
    expect(await page.getByTestId('gallery-count').textContent()).toMatch(/picked on the map of hidden layer 2/);
  });

  it('maps each epoch of a run, replayed with a slider', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('preset-select').selectOption('sklearn-exercise');
    await page.getByTestId('epochs-input').fill('4');
    await page.getByTestId('subset-input').fill('10000');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('training-phase').getAttribute('data-phase'), { timeout: 120_000 }).toBe('idle');
    await page.getByTestId('tab-projector').click();
    // A run's first epoch map switched the view to the run's epochs.
    expect(await page.getByTestId('projector-source-run').isChecked()).toBe(true);
    const slider = page.getByTestId('projector-epoch');
    expect(await slider.getAttribute('max')).toBe('3');
    const last = await mapOf('1');
    await slider.fill('0');
    await expect.poll(() => page.getByTestId('projector-epoch').inputValue()).toBe('0');
    const first = await mapOf('1');
    // Well above chance (0.1) from the first epoch, and the maps differ from epoch to epoch.
    expect(first.knn).toBeGreaterThan(0.2);
    expect(last.knn).toBeGreaterThan(0.2);
    expect(first.variance).not.toEqual(last.variance);
    // The output is mapped each epoch too: its classes are the clearest to see pulling apart.
    await page.getByTestId('projector-layer').selectOption('output');
    await mapOf('output');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'projector-epoch-1.png') });
    await slider.fill('3');
    await mapOf('output');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'projector-epoch-last.png') });
    // The drawing's nearest digits are those of the new model.
    await page.locator('[data-testid="nearest-timing"]', { hasText: 'hidden layer 1' }).waitFor({ timeout: 120_000 });
  });
});
