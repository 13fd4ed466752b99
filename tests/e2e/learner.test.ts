import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/datasets';
import { drawStroke, type CanvasPoint } from './draw-stroke';
import { launchReady, type LaunchedApp, SLOW_POLL } from './harness';

/** A learner's first hour (#15), in one launch: each case leaves the app where the next one starts. */
let app: LaunchedApp;
let page: Page;
let axeSource: string;

beforeAll(async () => {
  app = await launchReady();
  page = app.page;
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Counts the runs that ended, through the page's own window.api: a tiny run on a warm worker can
  // start and end between two polls of the phase, so "not idle" alone can be missed.
  await page.evaluate(() => {
    type Subscribe = (listener: () => void) => () => void;
    const w = window as unknown as { runsEnded: number; api: { onTrainingFinished: Subscribe; onTrainingError: Subscribe } };
    w.runsEnded = 0;
    w.api.onTrainingFinished(() => (w.runsEnded += 1));
    w.api.onTrainingError(() => (w.runsEnded += 1));
  });
});
afterAll(async () => {
  await app?.close();
});

const phase = (): Promise<string | null> => page.getByTestId('training-phase').getAttribute('data-phase');
const tid = (id: string) => page.getByTestId(id);
const runsEnded = (): Promise<number> => page.evaluate(() => (window as unknown as { runsEnded: number }).runsEnded);

/** Starts a run with the Train button and waits until it has ended and the panel is idle again. */
async function trainAndWait(): Promise<void> {
  const ended = await runsEnded();
  await tid('train-button').click();
  await expect.poll(runsEnded, { timeout: 120_000 }).toBeGreaterThan(ended);
  await expect.poll(phase, SLOW_POLL).toBe('idle');
}

/**
 * axe-core's WCAG A/AA violations on the page as it is. The production CSP would refuse an injected
 * <script>, so the library is evaluated through the DevTools protocol, which CSP does not govern.
 */
async function axeViolations(): Promise<string[]> {
  const loaded = await page.evaluate(`(() => { if (!window.axe) { ${axeSource}\n } return typeof window.axe; })()`);
  expect(loaded).toBe('object');
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

async function inBothThemes(check: () => Promise<void>): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await check();
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function settings(options: { epochs: number; subset: number; optimizer?: string }): Promise<void> {
  await tid('preset-select').selectOption('sklearn-exercise');
  await tid('epochs-input').fill(String(options.epochs));
  await tid('subset-input').fill(String(options.subset));
  if (options.optimizer) await page.getByLabel('Optimizer').selectOption(options.optimizer);
}

/** Sets the learning-rate slider to its lowest or highest value from the keyboard. */
async function learningRate(end: 'Home' | 'End'): Promise<void> {
  await page.getByLabel('Learning rate', { exact: true }).focus();
  await page.keyboard.press(end);
}


describe('Draw, for a learner', () => {
  it('says "not sure" for a dot, with a hint, and without the bold headline', async () => {
    await drawStroke(page, [[0.5, 0.5]]);
    await expect.poll(() => tid('prediction-doubt').textContent()).toMatch(/Not sure.*bigger/);
    expect(await tid('prediction-doubt').getAttribute('data-reason')).toBe('too-small');
    expect(await tid('top-prediction').evaluate((p) => getComputedStyle(p).fontWeight)).toBe('500');
  });

  it('reads a small 3 as a 3, not as a blob of an 8', async () => {
    await tid('clear-button').click();
    // A 3 a quarter of the usual size: with the screen pen it reached the network 8 px thick.
    const three: CanvasPoint[] = [[0.32, 0.25], [0.45, 0.18], [0.62, 0.22], [0.64, 0.35], [0.5, 0.48], [0.66, 0.6], [0.64, 0.75], [0.48, 0.82], [0.32, 0.76]];
    await drawStroke(page, three.map(([x, y]): CanvasPoint => [0.5 + (x - 0.5) * 0.25, 0.5 + (y - 0.5) * 0.25]));
    await expect.poll(() => tid('top-prediction').textContent()).toMatch(/^\s*3 · \d+%/);
  });

  it('has no axe violations in either theme', async () => {
    await inBothThemes(async () => expect(await axeViolations()).toEqual([]));
    await page.getByTestId('clear-button').click();
  });
});

describe('Train, for a learner', () => {
  it('says at the field what is wrong, with aria-invalid and the dataset’s own limit', async () => {
    await tid('tab-train').click();
    await settings({ epochs: 1, subset: 60_001 });
    const subset = tid('subset-input');
    await expect.poll(() => subset.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await subset.getAttribute('aria-describedby'))!.split(' ')[0];
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/^Training images \(this dataset has 60,000.*at most 60,000\.$/);
    await tid('epochs-input').fill('');
    await expect.poll(() => tid('epochs-input').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('field-error').allTextContents()).not.toContainEqual(expect.stringMatching(/null|got/));
    expect(await tid('train-button').isDisabled()).toBe(true);
    expect(await tid('continue-button').textContent()).toMatch(/^\s*Continue\s*$/);
    await settings({ epochs: 1, subset: 500 });
    await expect.poll(() => subset.getAttribute('aria-invalid')).toBeNull();
    // 500 images, 10 % held out: a caution, not a refusal.
    await tid('validation-select').selectOption('0.1');
    await expect.poll(() => tid('data-caution').first().textContent()).toMatch(/memorise/);
  });

  it('asks before a huge run, in words, and starts nothing when told no', async () => {
    await tid('subset-input').fill('');
    await tid('epochs-input').fill('1000');
    await tid('train-button').click();
    await expect.poll(() => tid('run-estimate').textContent()).toMatch(/^(about|perhaps) \d+ (hours|days|minutes)$/);
    expect(await tid('confirm-long-run').textContent()).toMatch(/would take (about|perhaps) /);
    await tid('cancel-train').click();
    expect(await tid('confirm-long-run').count()).toBe(0);
    expect(await phase()).toBe('idle');
    expect(await tid('progress-text').textContent()).toMatch(/No run yet/);
  });

  it('trains a tiny run, says clearly that it replaced a far better model, and keeps focus on the controls', async () => {
    await settings({ epochs: 1, subset: 500 });
    await trainAndWait();
    // Training disabled the Train button and the settings; focus went to Stop, and back to Train.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toMatch(/^(train|stop)-button$/);
    await expect.poll(() => tid('far-worse').textContent()).toMatch(/far below .*Default.*replaced/s);
    await expect.poll(() => tid('model-status').textContent()).toMatch(/^MLP 50 · sgd/);
  });

  it('still saves the active model after Reset, from the status bar', async () => {
    await tid('reset-button').click();
    // Reset asks first.
    expect(await tid('training-result').count()).toBe(1);
    await tid('confirm-reset').click();
    await expect.poll(() => tid('training-result').count()).toBe(0);
    await expect.poll(() => tid('progress-text').textContent()).toMatch(/active model is still “MLP 50 · sgd”/);
    await tid('model-switcher').click();
    await tid('switcher-save-name').fill('  ');
    await tid('switcher-save').click();
    // A blank name is refused, saying so, rather than saved as "-2".
    await expect.poll(() => tid('switcher-status').textContent()).toMatch(/Give the model a name/);
    expect(await tid('switch-saved').count()).toBe(0);
    await tid('switcher-save-name').fill('My first model');
    await tid('switcher-save').click();
    await expect.poll(() => tid('switcher-status').textContent()).toMatch(/Saved “My first model” in the model library/);
    await expect.poll(() => tid('switch-saved').allTextContents()).toContainEqual(expect.stringMatching(/My first model/));
    expect(await tid('switch-recent').allTextContents()).toContainEqual(expect.stringMatching(/MLP 50 · sgd/));
  });

  it('brings back the default from the model switcher', async () => {
    await tid('switch-default').click();
    await expect.poll(() => tid('model-status').textContent()).toMatch(/^Default: robust to drawn digits · MNIST · test accuracy 99/);
    expect(await tid('model-menu').isVisible()).toBe(false);
  });

  it('smooths the batch loss onto the epoch loss where the loss is flat', async () => {
    await settings({ epochs: 2, subset: 1000 });
    await tid('validation-select').selectOption('0');
    await learningRate('Home');
    await trainAndWait();
    const smoothed = Number(await tid('smoothed-loss').getAttribute('data-value'));
    const lines = await tid('epoch-line').allTextContents();
    const last = Number(/loss: (\d+\.\d+)/.exec(lines[lines.length - 1])![1]);
    expect(Math.abs(smoothed - last) / last).toBeLessThan(0.1);
    expect(await tid('smoothing-slider').inputValue()).toBe('0.6');
  });

  it('explains an exploding loss while it happens, before any NaN', async () => {
    await settings({ epochs: 2, subset: 4000, optimizer: 'adam' });
    await page.getByLabel('Batch size').selectOption('16');
    await learningRate('End');
    // Record when each message first shows, whatever comes after.
    await page.evaluate(() => {
      const seen: Record<string, number | string> = {};
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const look = (): void => {
        for (const id of ['loss-caution', 'training-error']) {
          const element = document.querySelector(`[data-testid="${id}"]`);
          if (!(id in seen) && element) [seen[id], seen[`${id}-kind`]] = [performance.now(), element.getAttribute('data-kind') ?? ''];
        }
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true });
    });
    await trainAndWait();
    const seen = await page.evaluate(() => (window as unknown as { __seen: Record<string, number | string> }).__seen);
    // The first caution says the loss explodes (a network killed by it may end stuck at chance).
    expect(seen['loss-caution-kind']).toBe('exploding');
    if (seen['training-error'] !== undefined) {
      expect(seen['loss-caution']).toBeLessThan(seen['training-error'] as number);
      expect(await tid('training-error').textContent()).not.toMatch(/Reset/);
    }
  });

  it('has no axe violations in either theme, and keeps the run bar in view', async () => {
    await inBothThemes(async () => expect(await axeViolations()).toEqual([]));
    await page.locator('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
    const bar = await tid('run-bar').boundingBox();
    const main = await page.locator('main').boundingBox();
    expect(bar!.y).toBeGreaterThanOrEqual(main!.y - 1);
    expect(bar!.y).toBeLessThan(main!.y + 40);
  });

  it('takes the screenshots for the issue note', async () => {
    await settings({ epochs: 3, subset: 2000 });
    await trainAndWait();
    for (const [width, height] of [
      [1280, 800],
      [800, 600],
    ]) {
      await page.setViewportSize({ width, height });
      await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs', `learner-${width}.png`) });
    }
  });
});
