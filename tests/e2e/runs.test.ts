import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/datasets';
import { launchReady, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  // The one Delete this spec presses is declined: the run stays.
  app = await launchReady({ dialogs: { confirm: [false] } });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
});

const phase = (): Promise<string | null> => page.getByTestId('training-phase').getAttribute('data-phase');
const rows = () => page.getByTestId('run-row');
const runIds = (): Promise<string[]> => rows().evaluateAll((all) => all.map((r) => r.getAttribute('data-run-id')!));

/** One short Train of the Flatiron tanh preset (test set as validation) on 600 images; its test accuracy as shown. */
async function train(epochs: number): Promise<string> {
  await page.getByTestId('tab-train').click();
  await page.getByTestId('epochs-input').fill(String(epochs));
  await page.getByTestId('train-button').click();
  await expect.poll(() => page.getByTestId('test-accuracy').count(), { timeout: 60_000 }).toBe(1);
  await expect.poll(phase, { timeout: 60_000 }).toBe('idle');
  return (await page.getByTestId('test-accuracy').textContent())!;
}

describe('Runs tab', () => {
  let newer: string;
  let older: string;

  it('records two short runs that differ in one setting, both in the table with their accuracy', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('preset-select').selectOption('flatiron-tanh');
    await page.getByTestId('subset-input').fill('600');
    const shown = [await train(1), await train(2)];
    await page.getByTestId('tab-runs').click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2);
    // Newest first: the 2-epoch run, then the 1-epoch one.
    [newer, older] = await runIds();
    // Each row's accuracy is the test accuracy the Train panel showed for that run.
    for (const [id, text] of [[older, shown[0]], [newer, shown[1]]] as const) {
      const accuracy = await page.locator(`[data-testid="run-row"][data-run-id="${id}"]`).getAttribute('data-accuracy');
      expect(`${(Number(accuracy) * 100).toFixed(2)} %`).toBe(text);
    }
    expect(await rows().first().textContent()).toMatch(/64 tanh.*sgd.*0\.01.*64.*2/s);
  });

  it('overlays the curves of both ticked runs, train and validation, in two colours', async () => {
    await page.getByTestId(`run-select-${newer}`).check();
    await page.getByTestId(`run-select-${older}`).check();
    await page.getByTestId('runs-chart').waitFor();
    const loss = page.getByTestId('runs-loss-chart');
    // Two runs × (train, validation); one point per epoch: 2·2 + 2·1.
    await expect.poll(() => loss.getAttribute('data-series')).toBe('4');
    expect(await loss.getAttribute('data-points')).toBe('6');
    expect(await page.getByTestId('runs-accuracy-chart').getAttribute('data-series')).toBe('4');
    const colours = await page.getByTestId('runs-legend').locator('input[type="color"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(colours).toHaveLength(2);
    expect(new Set(colours).size).toBe(2);
  });

  it('with differences only, shows exactly the one setting that differs', async () => {
    const settings = () => page.getByTestId('runs-diff').getByTestId('diff-row');
    expect(await settings().count()).toBeGreaterThan(10);
    await page.getByTestId('runs-diff-only').check();
    await expect.poll(() => settings().count()).toBe(1);
    expect(await settings().first().getAttribute('data-setting')).toBe('epochs');
    expect(await settings().first().textContent()).toMatch(/Epochs\s*2\s*1/);
  });

  it('copies the run as Keras and scikit-learn code, and Delete asks first', async () => {
    await page.getByTestId('copy-keras').click();
    await expect.poll(() => app.clipboardText()).toContain('layers.Dense(64, activation="tanh", name="hidden_1")');
    expect(await page.getByTestId('run-code').inputValue()).toBe(app.clipboardText());
    expect(app.clipboardText()).toContain('epochs=1,');
    await page.getByTestId('copy-sklearn').click();
    await expect.poll(() => app.clipboardText()).toContain('hidden_layer_sizes=(64,)');
    await mkdir(path.join(REPO_ROOT, 'docs'), { recursive: true });
    await page.getByTestId('copy-keras').click();
    // A taller window for the picture, so the table, the curves, the settings and the code all show.
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'runs-panel.png') });
    await page.setViewportSize({ width: 1100, height: 780 });
    await page.getByTestId('delete-run-button').click();
    await expect.poll(() => page.getByTestId('runs-error').count()).toBe(0);
    expect(await rows().count()).toBe(2);
  });

  it('Re-run restores the run’s settings in the Train panel', async () => {
    // The settings now say 2 epochs; the last run ticked (the older one) trained 1.
    await page.getByTestId('rerun-button').click();
    await page.getByTestId('train-button').waitFor();
    expect(await page.getByTestId('tab-train').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('epochs-input').inputValue()).toBe('1');
    expect(await page.getByTestId('subset-input').inputValue()).toBe('600');
    expect(await page.getByTestId('total-params').textContent()).toBe('50,890');
    // #24 item 11: the description says where the settings came from, not the last preset's text.
    expect(await page.getByTestId('preset-description').textContent()).toMatch(/^\s*Settings of the run of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, from the Runs tab\.\s*$/);
  });
});
