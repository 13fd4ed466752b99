import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/shared/ipc/contract';
import { ARTIFACTS_DIR, launchReady, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  app = await launchReady({ viewport: { width: 1280, height: 900 } });
  page = app.page;
  await page.getByTestId('tab-gallery').click();
  await page.locator('[data-testid="evaluation-accuracy"][data-accuracy]').waitFor({ timeout: 120_000 });
});
afterAll(async () => {
  await app?.close();
});

const attr = async (testid: string, name: string): Promise<number> =>
  Number(await page.getByTestId(testid).first().getAttribute(name));

describe('Gallery', () => {
  it("shows the active model's recorded test accuracy, and a report row per class", async () => {
    const recorded = await page.evaluate(
      async () => (await (window as unknown as { api: Api }).api.getActiveModel()).metadata.metrics.testAccuracy,
    );
    expect(await attr('evaluation-accuracy', 'data-accuracy')).toBe(recorded);
    const rows = page.getByTestId('class-report');
    await expect.poll(() => rows.count()).toBe(10);
    const supports = await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-support'))));
    expect(supports.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('saves the matrix as a PNG and the report as CSV', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('confusion-png').click()]);
    expect(png.suggestedFilename()).toBe('confusion-matrix.png');
    const bytes = await readFile((await png.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('class,precision,recall,f1-score,support');
    expect(lines).toHaveLength(14);
  });

  it('filters the gallery to a confusion cell: every item is true 4, predicted 9, as many as the cell counts', async () => {
    const count = await attr('confusion-cell-4-9', 'data-count');
    expect(count).toBeGreaterThan(0);
    await page.getByTestId('confusion-cell-4-9').click();
    await expect.poll(() => attr('gallery-count', 'data-count')).toBe(count);
    const items = page.getByTestId('gallery-item');
    await expect.poll(() => items.count()).toBe(Math.min(count, 60));
    const pairs = await items.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-true')}→${el.getAttribute('data-pred')}`));
    expect(new Set(pairs)).toEqual(new Set(['4→9']));
  });

  it('opens a thumbnail in a detail view with bars, and Open in Draw gives the same prediction there', async () => {
    const item = page.getByTestId('gallery-item').first();
    const predicted = Number(await item.getAttribute('data-pred'));
    await item.click();
    const detail = page.getByTestId('gallery-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getByRole('meter').count()).toBe(10);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'gallery-panel.png') });
    await expect.poll(() => page.getByTestId('open-in-draw').isEnabled()).toBe(true);
    await page.getByTestId('open-in-draw').click();
    await expect.poll(() => page.getByTestId('tab-draw').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(new RegExp(`^\\s*${predicted}\\b`));
    // Drawn over, it is the user's drawing again: Clear removes image and strokes alike.
    await page.getByTestId('clear-button').click();
    await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(/draw a digit/i);
  });

  it('runs the robustness check: a row per variant, shifts costing accuracy', async () => {
    await page.getByTestId('tab-gallery').click();
    // The default model is offered beside itself never: it is the active one here.
    await expect.poll(() => page.getByTestId('robustness-compare').locator('option').count()).toBe(1);
    await page.getByTestId('robustness-run').click();
    const row = page.locator('[data-testid="robustness-row-shift-right-4"][data-accuracy]');
    await row.waitFor({ state: 'attached', timeout: 120_000 });
    await page.getByTestId('robustness-chart').waitFor();
    const rows = await page.locator('[data-testid^="robustness-row-"]').count();
    expect(rows).toBe(39);
    await expect.poll(() => page.getByTestId('robustness-images').textContent()).toMatch(/2,000 test images/);
    await page.getByTestId('robustness-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'gallery-robustness.png') });
    const original = await attr('evaluation-accuracy', 'data-accuracy');
    expect(Number(await row.getAttribute('data-accuracy'))).toBeLessThan(original);
  });
});
