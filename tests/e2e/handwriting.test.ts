import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/datasets';
import { slantedDigits, type Point } from '../helpers/slanted-digits';
import { DRAW_FIELD } from '../../src/shared/preprocess/rasterize-strokes';
import { dispatchStrokes, type CanvasPoint } from './draw-stroke';
import { launchReady, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

/** 8 of each digit in one back-slanted hand; the app holds 3 of every 8 out, so 5 fine-tune and 3 measure. */
const DRAWINGS = slantedDigits(8, 12);

beforeAll(async () => {
  app = await launchReady({ viewport: { width: 1280, height: 1000 } });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
});

/** Draws strokes given in the Draw canvas's own coordinates (DRAW_FIELD square), in one round trip. */
const draw = (strokes: readonly (readonly Point[])[]): Promise<void> =>
  dispatchStrokes(
    page.getByTestId('draw-canvas'),
    strokes.map((stroke) => stroke.map(({ x, y }): CanvasPoint => [x / DRAW_FIELD, y / DRAW_FIELD])),
  );

const count = async (digit: number): Promise<number> => Number(await page.getByTestId(`handwriting-count-${digit}`).getAttribute('data-count'));
/** Waits for a class's counter to show `n`: quicker than polling, 80 times over. */
const countIs = (digit: number, n: number) => page.locator(`[data-testid="handwriting-count-${digit}"][data-count="${n}"]`).waitFor();
const accuracy = async (testid: string): Promise<number> => Number(await page.getByTestId(testid).getAttribute('data-accuracy'));

describe('Your handwriting', () => {
  it('collects 8 drawings of each digit with Save as and Alt+digit, and Undo save takes one back', async () => {
    for (const [i, { label, strokes }] of DRAWINGS.entries()) {
      await draw(strokes);
      // Every eighth drawing is saved by the keyboard, the rest by the buttons (a click waits for them to be enabled).
      if (i % 8 === 7) {
        await page.locator(`[data-testid="save-as-${label}"]:enabled`).waitFor();
        await page.keyboard.press(`Alt+Digit${label}`);
      } else {
        await page.getByTestId(`save-as-${label}`).click();
      }
      await countIs(label, (i % 8) + 1);
    }
    await draw(DRAWINGS[0].strokes);
    await page.getByTestId('save-as-3').click();
    await expect.poll(() => count(3)).toBe(9);
    await page.getByTestId('undo-save').click();
    await expect.poll(() => count(3)).toBe(8);
    for (let d = 0; d < 10; d++) expect(await count(d)).toBe(8);
    // Each save changes the set the Gallery evaluates; the window still connected to main only once.
    expect(app.invocations('model:get-active')).toBe(1);
  }, 300_000);

  it('shows the set in the Data tab', async () => {
    await page.getByTestId('tab-data').click();
    await expect.poll(() => page.getByTestId('handwriting-sample').count()).toBe(80);
    await expect.poll(() => page.getByTestId('handwriting-total').textContent()).toMatch(/^80 drawings/);
  });

  it('measures the active model on it in the Gallery, fine-tunes, and the held-out drawings gain while MNIST loses at most a point', async () => {
    await page.getByTestId('tab-gallery').click();
    await page.locator('[data-testid="evaluation-accuracy"][data-accuracy]').waitFor({ timeout: 60_000 });
    await page.getByTestId('gallery-source').selectOption('handwriting');
    await expect.poll(() => page.getByTestId('evaluation-accuracy').textContent(), { timeout: 60_000 }).toBeTruthy();
    await expect.poll(() => page.getByTestId('class-report').evaluateAll((rows) => rows.reduce((n, r) => n + Number(r.getAttribute('data-support')), 0))).toBe(80);
    const measured = await accuracy('evaluation-accuracy');
    expect(measured).toBeLessThan(0.9);

    await page.getByTestId('finetune-share').fill('0.3');
    await page.getByTestId('finetune-button').click();
    await page.locator('[data-testid="finetune-after-own"][data-accuracy]').waitFor({ timeout: 170_000 });
    const figures = {
      beforeOwn: await accuracy('finetune-before-own'),
      afterOwn: await accuracy('finetune-after-own'),
      beforeMnist: await accuracy('finetune-before-mnist'),
      afterMnist: await accuracy('finetune-after-mnist'),
    };
    console.log(`handwriting fine-tune: ${JSON.stringify(figures)}`);
    expect(figures.afterOwn).toBeGreaterThan(figures.beforeOwn);
    expect(figures.beforeMnist - figures.afterMnist).toBeLessThanOrEqual(0.01);
    await mkdir(path.join(REPO_ROOT, 'docs'), { recursive: true });
    // The panel scrolls inside the window, so the card with the figures is brought into view first.
    await page.getByTestId('finetune-after-own').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'handwriting.png') });
  }, 300_000);

  it('keeps the fine-tuned model as a new, active library model; the original stays', async () => {
    await page.getByTestId('finetune-activate').click();
    await expect.poll(() => page.getByTestId('finetune-outcome').getAttribute('data-outcome')).toBe('active');
    await expect.poll(() => page.getByTestId('model-status').textContent()).toMatch(/your handwriting/);
    const names = await page.evaluate(async () => (await (window as unknown as { api: import('../../src/shared/ipc/contract').Api }).api.listModels()).models.map((m) => m.name));
    expect(names).toContain('Default: robust to drawn digits');
    expect(names.filter((n) => /your handwriting/.test(n))).toHaveLength(1);
  });
});
