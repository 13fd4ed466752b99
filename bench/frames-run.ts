/**
 * The batch-32 run that the frames bench (frames-bench.ts) and its profiler (frames-profile.ts) watch:
 * one scenario, so the profile explains the figures the bench prints.
 */
import type { Page } from 'playwright-core';

/** Polls from Node: waitForFunction would evaluate a string in the page, which its CSP refuses. */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * On the Train tab at 1280×800: the sklearn-exercise preset at batch 32 on 12,000 images for up to 200
 * epochs (the training kernel trains them in a few seconds; a watched window must not outlast the run),
 * started and past its first progress report.
 */
export async function startBatch32Run(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('tab-train').click();
  await page.getByTestId('preset-select').selectOption('sklearn-exercise');
  await page.getByTestId('epochs-input').fill('200');
  await page.getByTestId('subset-input').fill('12000');
  await page.getByLabel('Batch size').selectOption('32');
  await page.getByTestId('train-button').click();
  await until(async () => Number(await page.getByTestId('progress-bar').getAttribute('aria-valuenow')) > 0, 120_000);
}

/** Stops the run if it still trains (returning whether it did), and waits until the app is idle. */
export async function stopRun(page: Page): Promise<boolean> {
  const phase = async () => page.getByTestId('training-phase').getAttribute('data-phase');
  const training = (await phase()) === 'training';
  if (training) await page.getByTestId('stop-button').click();
  await until(async () => (await phase()) === 'idle', 300_000);
  return training;
}
