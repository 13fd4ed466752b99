import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/shared/ipc/contract';
import { DEFAULT_SPEC, type ModelSpec } from '../../src/shared/model-spec';
import { drawStroke, ONE } from './draw-stroke';
import { ARTIFACTS_DIR, launchReady, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;
let root: string;
let zip: string;
let broken: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-models-'));
  zip = path.join(root, 'mine.zip');
  broken = path.join(root, 'model.json');
  await writeFile(broken, JSON.stringify({ weightsManifest: [{ paths: ['w.bin'], weights: [] }] }));
  app = await launchReady({ userDataDir: path.join(root, 'user'), dialogs: { save: [zip], open: [[zip], [broken]] } });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

const tiny: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }], optimizer: 'adam', learningRate: 0.003, epochs: 1, trainSubset: 500, validation: 0, augment: null, batchSize: 100 };
const row = (name: string) => page.locator(`[data-testid="model-row"][data-name="${name}"]`);
const names = () => page.getByTestId('model-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));

describe('Models tab', () => {
  it('lists a saved model beside the bundled default', async () => {
    await page.evaluate(() => (window as unknown as { api: Api }).api.saveModel({ name: 'Mine' }));
    await page.getByTestId('tab-models').click();
    await row('Mine').waitFor();
    expect((await names())[0]).not.toBe('Mine');
    expect(await row('Mine').getAttribute('data-accuracy')).toMatch(/^0\.9\d+/);
  });

  it('loads the saved model: the status bar names it, then back to the default', async () => {
    await row('Mine').getByTestId('load-model-button').click();
    await page.getByTestId('model-status').filter({ hasText: 'Mine' }).waitFor();
    await row('Mine').getByTestId('active-tag').waitFor();
    const defaultName = (await names())[0]!;
    await row(defaultName).getByTestId('load-model-button').click();
    await page.getByTestId('model-status').filter({ hasText: defaultName }).waitFor();
  });

  it('exports as a zip through the save dialog and imports it back as another model, renamed', async () => {
    await row('Mine').getByTestId('export-model-button').click();
    await page.getByTestId('model-notice').filter({ hasText: `Exported to ${zip}` }).waitFor();
    await page.getByTestId('import-model-button').click();
    // A name the library has already gets a number, so Compare's pickers can tell the two apart (#24 item 10).
    await page.getByTestId('model-notice').filter({ hasText: 'Imported “Mine (2)”' }).waitFor();
    expect((await names()).filter((n) => n?.startsWith('Mine'))).toEqual(['Mine', 'Mine (2)']);
    const imported = page.locator('[data-testid="model-row"][data-name="Mine (2)"][data-id="mine-2"]');
    await imported.getByTestId('rename-model-button').click();
    await imported.getByTestId('rename-input').fill('Mine again');
    await imported.getByTestId('rename-confirm').click();
    await row('Mine again').waitFor();
    expect(await row('Mine again').getAttribute('data-accuracy')).toBe(await row('Mine').getAttribute('data-accuracy'));
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'models-panel.png') });
  });

  it('refuses a broken model with a clear error and leaves the library unchanged', async () => {
    const before = await names();
    await page.getByTestId('import-model-button').click();
    const error = page.getByTestId('model-import-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(`${broken}: modelTopology is missing`);
    expect(await names()).toEqual(before);
  });

  it('continues a saved model from the Train tab: its epochs carry on, and the result is saved as a new model', async () => {
    // A tiny model, quick to train: 1 epoch on 500 images.
    await page.evaluate(async (spec) => {
      const api = (window as unknown as { api: Api }).api;
      await api.startTraining({ spec, datasetId: 'mnist' });
      for (;;) {
        const status = await api.getTrainingStatus();
        if (status.phase === 'idle') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await api.saveModel({ name: 'Tiny' });
    }, tiny);
    // The Models tab reads the library when it opens: leave it and come back to see the new model.
    await page.getByTestId('tab-draw').click();
    await page.getByTestId('tab-models').click();
    await row('Tiny').waitFor();
    expect(await row('Tiny').getAttribute('data-epochs')).toBe('1');

    await row('Tiny').getByTestId('continue-model-button').click();
    const card = page.getByTestId('continue-from-card');
    await card.waitFor();
    await expect.poll(() => page.getByTestId('continue-from-plan').textContent()).toMatch(/Trains it\s+1\s+more epoch on\s+mnist[\s\S]*784-16-10 · Adam/);
    expect(await page.getByTestId('continue-from-optimizer').textContent()).toContain('Continues with a fresh Adam optimizer: the saved model has no optimizer state');
    await page.getByTestId('continue-from-button').click();
    await expect
      .poll(() => page.evaluate(async () => (window as unknown as { api: Api }).api.getTrainingStatus()), { timeout: 60_000 })
      .toMatchObject({ phase: 'idle', run: { epochsDone: 2 } });
    expect(await card.count()).toBe(0);
    await page.getByTestId('save-name').fill('Tiny more');
    await page.getByTestId('save-button').click();
    await page.getByTestId('save-status').filter({ hasText: 'Tiny more' }).waitFor();

    await page.getByTestId('tab-models').click();
    await row('Tiny more').waitFor();
    expect(await row('Tiny more').getAttribute('data-epochs')).toBe('2');
    // The original is left as it was.
    expect(await row('Tiny').getAttribute('data-epochs')).toBe('1');
  });

  it('compares two models side by side: accuracy, recall per class, robustness, and both answers to a drawing', async () => {
    const tinyId = (await row('Tiny').getAttribute('data-id'))!;
    await page.getByTestId('compare-pick-a').selectOption('default');
    await page.getByTestId('compare-pick-b').selectOption(tinyId);
    await page.getByTestId('compare-images').selectOption('500');
    await page.getByTestId('compare-button').click();
    const view = page.getByTestId('compare-view');
    await view.or(page.getByTestId('compare-error')).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('compare-error').count(), (await page.getByTestId('compare-error').textContent().catch(() => '')) ?? '').toBe(0);
    const accuracy = async (side: 'a' | 'b') => Number(await page.getByTestId(`compare-accuracy-${side}`).getAttribute('data-accuracy'));
    expect(await accuracy('a')).toBeCloseTo(Number(await row(await defaultName()).getAttribute('data-accuracy')), 6);
    expect(await accuracy('b')).toBeCloseTo(Number(await row('Tiny').getAttribute('data-accuracy')), 6);
    expect(await page.getByTestId('compare-recall-row').count()).toBe(10);
    expect(await page.getByTestId('compare-robustness-row').count()).toBe(1 + 39);

    const canvas = view.getByTestId('draw-canvas');
    await canvas.scrollIntoViewIfNeeded();
    await drawStroke(page, ONE, { canvas });
    await expect.poll(() => page.getByTestId('compare-answer-a').getAttribute('data-label'), { timeout: 10_000 }).toBe('1');
    expect(await page.getByTestId('compare-answer-b').getAttribute('data-label')).toMatch(/^\d$/);
    await page.getByTestId('compare-card').screenshot({ path: path.join(ARTIFACTS_DIR, 'models-compare.png') });
  });
});

const defaultName = async () => (await names())[0]!;
