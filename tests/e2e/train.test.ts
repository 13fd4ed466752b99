import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawStroke, ONE, type CanvasPoint } from './draw-stroke';
import { ARTIFACTS_DIR, launchReady, type LaunchedApp, SLOW_POLL, WORKER_START_POLL } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  app = await launchReady();
  page = app.page;
});
afterAll(async () => {
  await app?.close();
});

const progress = async (): Promise<number> => Number(await page.getByTestId('progress-bar').getAttribute('aria-valuenow'));
const epochLines = (): Promise<number> => page.getByTestId('epoch-line').count();
const phase = (): Promise<string | null> => page.getByTestId('training-phase').getAttribute('data-phase');
/** What the loss chart has drawn, as pixels: it changes when points are added. */
const lossPixels = (): Promise<string> => page.getByTestId('loss-chart').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());

async function settings(epochs: number, subset: number): Promise<void> {
  await page.getByTestId('preset-select').selectOption('sklearn-exercise');
  await page.getByTestId('epochs-input').fill(String(epochs));
  await page.getByTestId('subset-input').fill(String(subset));
}

describe('Train view', () => {
  it('shows the preset, its live model summary, and which buttons apply', async () => {
    await page.getByTestId('tab-train').click();
    await settings(3, 2000);
    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('39,760');
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/hidden_1 \(Dense\)\s*\(None, 50\)\s*39,250/);
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    for (const id of ['stop-button', 'continue-button', 'reset-button']) expect(await page.getByTestId(id).isDisabled()).toBe(true);
    await expect.poll(progress).toBe(0);
  });

  it('trains with progress, an epoch log and a test accuracy; a double click starts one run, with no error', async () => {
    const before = await lossPixels();
    const starts = app.invocations('training:start');
    // #24 item 7: the second click used to reach main and come back as "Training is already running".
    await page.getByTestId('train-button').dblclick();
    await expect.poll(progress, WORKER_START_POLL).toBeGreaterThan(0);
    await expect.poll(epochLines, SLOW_POLL).toBe(3);
    await expect.poll(phase, SLOW_POLL).toBe('idle');
    expect(await page.getByTestId('epoch-line').first().textContent()).toMatch(
      /^Epoch 1\/3 - \d+\.\ds - loss: \d\.\d{4} - accuracy: \d\.\d{4} - [\d,]+ samples\/s$/,
    );
    await expect.poll(() => page.getByTestId('test-accuracy').textContent()).toMatch(/^\d{2}\.\d{2} %$/);
    expect(await progress()).toBe(100);
    expect(await page.getByTestId('loss-chart').textContent()).toMatch(/after epoch 3/);
    expect(await page.getByTestId('accuracy-chart').isVisible()).toBe(true);
    expect(await lossPixels()).not.toBe(before);
    // Once the worker runs, the status bar says what the run trained on (threads included) and why.
    expect(await page.getByTestId('backend-status').textContent()).toMatch(
      /Training\s*(wasm \(SIMD, \d+ threads?\)|tfjs-node|kernel \([^)]*\)): (.*for this model|pinned)/,
    );
    expect(app.invocations('training:start') - starts).toBe(1);
    expect(await page.getByTestId('training-error').count()).toBe(0);
    // #24: the next estimate of these settings comes from this run's own epochs.
    await expect.poll(() => page.getByTestId('train-estimate-time').getAttribute('data-basis')).toBe('session');
  });

  it('stops mid-run keeping the curves, continues, and makes the new model active', async () => {
    await settings(30, 20_000);
    await page.getByTestId('train-button').click();
    await expect.poll(epochLines, SLOW_POLL).toBeGreaterThanOrEqual(2);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    // Filling the inputs scrolled the settings; show the panel from its top.
    await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'train-panel.png') });
    await page.getByTestId('stop-button').click();
    await expect.poll(phase, SLOW_POLL).toBe('idle');
    const kept = await epochLines();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(await progress()).toBeLessThan(100);
    const stoppedAt = await page.getByTestId('test-accuracy').textContent();
    expect(stoppedAt).toMatch(/%/);
    // #24 item 6: the stop names the epoch it cut short, and its log line does not count it as one of 30.
    const lines = await page.getByTestId('epoch-line').allTextContents();
    const full = lines.filter((line) => /^Epoch \d+\/30 /.test(line)).length;
    expect(full).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('stopped-during').textContent()).toBe(`stopped during epoch ${full + 1}, after ${full} full epoch${full === 1 ? '' : 's'}`);
    if (lines.length > full) expect(lines.at(-1)).toMatch(new RegExp(`^Epoch ${full + 1} - .*Continue trains this epoch again\\)$`));

    await page.getByTestId('epochs-input').fill('2');
    expect(await page.getByTestId('train-estimate').textContent()).toContain(`2 more epochs (epochs ${full + 1}–${full + 2})`);
    await page.getByTestId('continue-button').click();
    await expect.poll(epochLines, { timeout: 60_000 }).toBe(lines.length + 2);
    await expect.poll(phase, SLOW_POLL).toBe('idle');
    // Continue +2 trains the cut-short epoch again and one more: "Epoch 2/3", "Epoch 3/3" after a stop in epoch 2.
    const after = (await page.getByTestId('epoch-line').allTextContents()).slice(lines.length);
    expect(after.map((line) => line.split(' - ')[0])).toEqual([`Epoch ${full + 1}/${full + 2}`, `Epoch ${full + 2}/${full + 2}`]);
    const accuracy = (await page.getByTestId('test-accuracy').textContent())!;
    expect(Number.parseFloat(accuracy)).toBeGreaterThan(85);
    // The status bar follows model:changed by itself: the new model, with its accuracy to one decimal,
    // rounded from the raw value (rounding the two-decimal text again can differ: 91.65 → 91.7, not 91.6).
    const raw = Number(await page.getByTestId('test-accuracy').getAttribute('data-accuracy'));
    expect(raw).toBeCloseTo(Number.parseFloat(accuracy) / 100, 3);
    const shown = `${(raw * 100).toFixed(1)}%`;
    await expect
      .poll(() => page.getByTestId('model-status').textContent())
      .toMatch(new RegExp(`MLP 50 · sgd · MNIST.*${shown.replace('.', '\\.')}`));
  });

  it('draws with the new model', async () => {
    await page.getByTestId('tab-draw').click();
    await drawStroke(page, ONE);
    await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(/^\s*\d · \d+%/);
    // Back on Train, the run is still there.
    await page.getByTestId('tab-train').click();
    expect(await epochLines()).toBeGreaterThan(2);
  });

  it('keeps drawing and classifying while a model trains', async () => {
    await page.getByTestId('tab-train').click();
    await settings(50, 60_000);
    await page.getByTestId('train-button').click();
    // 50 epochs of all 60,000 images may take longer than Train takes without asking: say yes.
    await page.locator('[data-testid="confirm-train"], [data-testid="training-phase"]:not([data-phase="idle"])').first().waitFor();
    if (await page.getByTestId('confirm-train').isVisible()) await page.getByTestId('confirm-train').click();
    await expect.poll(phase, SLOW_POLL).toBe('training');
    await expect.poll(progress, SLOW_POLL).toBeGreaterThan(0);
    await page.getByTestId('tab-draw').click();
    const ring = Array.from({ length: 25 }, (_, i): CanvasPoint => {
      const a = (i / 24) * 2 * Math.PI;
      return [0.5 - 0.2 * Math.cos(a), 0.5 - 0.3 * Math.sin(a)];
    });
    await drawStroke(page, ring, { steps: 1 });
    await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(/^\s*\d · \d+%/);
    // Still training in the background the whole time.
    await page.getByTestId('tab-train').click();
    expect(await phase()).toBe('training');
    await page.getByTestId('stop-button').click();
    await expect.poll(phase, SLOW_POLL).toBe('idle');
  });

  it('explains a diverging run with what to do, and stays ready to train', async () => {
    await page.getByTestId('tab-train').click();
    await settings(2, 2000);
    await page.getByLabel('Activation').first().selectOption('linear');
    await page.getByLabel('Batch size').selectOption('32');
    // Both sliders to their maximum: learning rate 1, momentum 0.99 — a linear net blows up.
    for (const label of ['Learning rate', 'Momentum']) {
      await page.getByLabel(label, { exact: true }).focus();
      await page.keyboard.press('End');
    }
    await page.getByTestId('train-button').click();
    const error = page.getByTestId('training-error');
    await expect.poll(() => error.getAttribute('data-kind'), SLOW_POLL).toBe('diverged');
    expect(await error.textContent()).toMatch(/Training diverged.*NaN or infinite.*Lower the learning rate/s);
    await expect.poll(phase).toBe('idle');
    expect(await page.getByTestId('train-button').isEnabled()).toBe(true);
  });

  it("estimates a new window's first run from this machine's stored speed, says \"about\" only then", async () => {
    // A reloaded window has measured nothing itself: main answers from the run history of the runs above.
    const asked = app.invocations('training:measured-speed');
    await page.reload();
    await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
    await page.getByTestId('tab-train').click();
    await settings(200, 60000);
    const time = page.getByTestId('train-estimate-time');
    await expect.poll(() => time.getAttribute('data-basis'), SLOW_POLL).toBe('run');
    expect(await time.textContent()).toMatch(/^about \d+ (seconds|minutes?|hours?)/);
    expect(await page.getByTestId('train-estimate').textContent()).toContain('in your last run of a model like this');
    expect(app.invocations('training:measured-speed')).toBeGreaterThan(asked);
    // A batch size this machine has not trained: a guess, said as one.
    await page.getByLabel('Batch size').selectOption('128');
    await expect.poll(() => time.getAttribute('data-basis'), SLOW_POLL).toBe('guess');
    expect(await time.textContent()).toMatch(/^perhaps /);
  });
});
