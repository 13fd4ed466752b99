import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;
let userDataDir: string;

beforeAll(async () => {
  // Its own user-data folder, so the last test can start the app again on it.
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-experiments-'));
  app = await launchApp({ userDataDir });
  page = app.page;
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
});
afterAll(async () => {
  await app?.close();
  await rm(userDataDir, { recursive: true, force: true });
});

const phase = (): Promise<string | null> => page.getByTestId('training-phase').getAttribute('data-phase');
const row = (id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

describe('Experiments', () => {
  it('a sweep of two hidden-unit values records two runs tagged with it, charted at their rows\' accuracies', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('subset-input').fill('2000');
    await page.getByTestId('epochs-input').fill('1');
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('sweep-setting').selectOption('units');
    await page.getByTestId('sweep-values').fill('8, 16');
    await page.getByTestId('sweep-start').click();
    const progress = page.getByTestId('sweep-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 120_000 }).toBe('finished');
    expect(await progress.getAttribute('data-done')).toBe('2');
    const sweepId = (await page.getByTestId('sweep-view').getAttribute('data-sweep-id'))!;
    const tagged = page.locator(`[data-testid="run-row"][data-sweep-id="${sweepId}"]`);
    await expect.poll(() => tagged.count()).toBe(2);
    const points = page.getByTestId('sweep-point');
    await expect.poll(() => points.count()).toBe(2);
    expect(await page.getByTestId('sweep-chart').getAttribute('data-points')).toBe('2');
    // The last run's score reaches the table when the run history has written it, a moment after the sweep ends.
    const scored = () => points.evaluateAll((all) => all.filter((p) => p.getAttribute('data-accuracy')).length);
    await expect.poll(scored, { timeout: 30_000 }).toBe(2);
    const shown = await points.evaluateAll((all) => all.map((p) => [p.getAttribute('data-value'), p.getAttribute('data-accuracy'), p.getAttribute('data-run-id')]));
    expect(shown.map(([value]) => value)).toEqual(['8', '16']);
    for (const [, accuracy, runId] of shown) {
      // One epoch of plain SGD on 2,000 images: far from trained, but well above guessing (10 %).
      expect(Number(accuracy)).toBeGreaterThan(0.2);
      expect(await row(runId!).getAttribute('data-accuracy')).toBe(accuracy);
      expect(await row(runId!).getAttribute('data-outcome')).toBe('completed');
    }
    // The best run is marked, and its settings go to Train.
    const best = await page.getByTestId('sweep-best').getAttribute('data-run-id');
    expect(shown.map(([, , id]) => id)).toContain(best);

    // Parallel coordinates over the sweep's runs: brushing the upper part of the units axis (log, 8 at
    // the bottom, 16 at the top) keeps the 16-unit run alone; clearing brings both back.
    await page.getByTestId('parallel-source').selectOption('sweep');
    const parallel = page.getByTestId('parallel-coordinates');
    await expect.poll(() => parallel.getAttribute('data-runs')).toBe('2');
    expect(await page.getByTestId('parallel-line').count()).toBe(2);
    const area = page.locator('[data-testid="parallel-axis"][data-key="units"] [data-testid="parallel-brush-area"]');
    await area.scrollIntoViewIfNeeded();
    const box = (await area.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.4, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => parallel.getAttribute('data-selected')).toBe('1');
    const kept = page.locator('[data-testid="parallel-line"][data-selected="true"]');
    expect(await kept.getAttribute('data-run-id')).toBe(shown.find(([value]) => value === '16')![2]);
    expect(await page.locator('[data-testid="parallel-axis"][data-key="units"]').getAttribute('data-brush')).toMatch(/^\d+(\.\d+)?\.\.16$/);
    await page.getByTestId('parallel-clear').click();
    await expect.poll(() => parallel.getAttribute('data-selected')).toBe('2');
  });

  it('early stopping with patience 1 stops before the epoch limit, and the model kept scores the best epoch\'s validation figure', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('epochs-input').fill('6');
    // The test set is the validation set, so the kept model's test score is a validation figure.
    await page.getByTestId('validation-select').selectOption('test');
    await page.getByTestId('early-stopping').check();
    await page.getByTestId('patience-input').fill('1');
    // No epoch after the first can lower the validation loss by a whole 1: the second epoch ends the run.
    await page.getByTestId('min-delta-input').fill('1');
    await page.getByTestId('train-button').click();
    const note = page.getByTestId('early-stop-note');
    await note.waitFor({ timeout: 120_000 });
    await expect.poll(phase, { timeout: 60_000 }).toBe('idle');
    expect(await note.getAttribute('data-stopped-epoch')).toBe('2');
    expect(await note.getAttribute('data-best-epoch')).toBe('1');
    expect(await page.getByTestId('epoch-line').count()).toBeLessThan(6);
    const kept = Number(await page.getByTestId('test-accuracy').getAttribute('data-accuracy'));
    expect(kept).toBeCloseTo(Number(await note.getAttribute('data-val-accuracy')), 6);

    await page.getByTestId('tab-runs').click();
    const stopped = page.locator('[data-testid="run-row"][data-stopped-early="true"]');
    await expect.poll(() => stopped.count()).toBe(1);
    expect(await stopped.getAttribute('data-best-epoch')).toBe('1');
    expect(Number(await stopped.getAttribute('data-accuracy'))).toBeCloseTo(kept, 9);
  });

  it('a note on a run survives a restart and is found by the filter', async () => {
    const id = (await page.locator('[data-testid="run-row"][data-stopped-early="true"]').getAttribute('data-run-id'))!;
    await page.getByTestId(`run-select-${id}`).check();
    await page.getByTestId('run-notes').fill('patience 1 stopped it at epoch 2');
    await page.getByTestId('run-notes-save').click();
    await expect.poll(() => row(id).textContent()).toMatch(/patience 1 stopped it/);

    await app.close();
    app = await launchApp({ userDataDir });
    page = app.page;
    await page.getByTestId('tab-runs').click();
    await expect.poll(() => row(id).textContent(), { timeout: 15_000 }).toMatch(/patience 1 stopped it at epoch 2/);
    await page.getByTestId('runs-filter').fill('stopped it');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    await page.getByTestId(`run-select-${id}`).check();
    expect(await page.getByTestId('run-notes').inputValue()).toBe('patience 1 stopped it at epoch 2');
  });
});
