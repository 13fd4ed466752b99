import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR } from '../helpers/datasets';
import { launchApp, type LaunchedApp } from './harness';

/**
 * A learner's second hour (#24), in one launch at 800×600: a run seen from every tab, every view
 * following the active model through switches in every order, results that land where you look, and
 * each tab's own scroll position.
 */
let app: LaunchedApp;
let page: Page;
let root: string;

const CLOTHES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-second-hour-'));
  // A saved model of other classes: the default's weights under clothing names.
  const clothes = path.join(root, 'user', 'models', 'clothes');
  await mkdir(path.dirname(clothes), { recursive: true });
  await cp(path.join(RESOURCES_DIR, 'models', 'default'), clothes, { recursive: true });
  const metadata = JSON.parse(await readFile(path.join(clothes, 'metadata.json'), 'utf8'));
  await writeFile(path.join(clothes, 'metadata.json'), JSON.stringify({ ...metadata, name: 'Clothes', classNames: CLOTHES }));
  app = await launchApp({ userDataDir: path.join(root, 'user') });
  page = app.page;
  await page.setViewportSize({ width: 800, height: 600 });
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
});
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

const tid = (id: string) => page.getByTestId(id);
const phase = (): Promise<string | null> => tid('training-phase').getAttribute('data-phase');
/** Whether an element's top edge is inside the window (what "lands where you look" means here). */
const inView = (id: string) => async (): Promise<boolean> => {
  const box = await tid(id).first().boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y < viewport.height;
};
let runId = '';

describe('a run, from every tab', () => {
  it('shows a run in progress in the status bar on another tab, which opens Train with the curves in view', async () => {
    const locked = page.waitForSelector('[data-testid="settings-locked"]', { timeout: 60_000 });
    await tid('tab-train').click();
    await tid('preset-select').selectOption('sklearn-exercise');
    await tid('epochs-input').fill('4');
    await tid('subset-input').fill('12000');
    await tid('train-button').click();
    await tid('tab-draw').click();
    await expect.poll(() => tid('run-indicator').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => tid('run-indicator').textContent(), { timeout: 30_000 }).toMatch(/Training.*\d+ % · epoch \d\/4/s);
    await tid('run-indicator').click();
    await locked;
    expect(await tid('tab-train').getAttribute('aria-selected')).toBe('true');
    // #24 item 14: at 800×600 the curves sat 1,900 px below the Train button.
    await expect.poll(inView('loss-chart')).toBe(true);
    // The run is left to end: a Stop's test score can outlast the Stop watchdog on a loaded machine.
    await expect.poll(phase, { timeout: 120_000 }).toBe('idle');
    await expect.poll(() => tid('run-indicator').count()).toBe(0);
    if (await tid('training-error').count()) throw new Error(`training error: ${await tid('training-error').textContent()}`);
    // The stopped run's model is the active one (model:changed may follow the idle status).
    await expect.poll(() => tid('model-status').textContent(), { timeout: 30_000 }).toMatch(/^MLP 50 · sgd/);
    runId = (await page.evaluate(() => (window as unknown as { api: { getActiveModel(): Promise<{ id: string }> } }).api.getActiveModel())).id;
    expect(runId).not.toBe('default');
  });
});

describe('one active model, in every view', () => {
  /** Switches through the status bar's menu; what each view must then show. */
  const MODELS = {
    default: { pick: () => tid('switch-default'), name: /^Default: robust to drawn digits/, digits: true },
    run: { pick: () => tid('switch-recent').first(), name: /^MLP 50 · sgd/, digits: true },
    clothes: { pick: () => tid('switch-saved').filter({ hasText: 'Clothes' }), name: /^Clothes/, digits: false },
  } as const;
  type Key = keyof typeof MODELS;
  const idOf = (key: Key): string => (key === 'default' ? 'default' : key === 'run' ? runId : 'clothes');

  async function switchTo(key: Key): Promise<void> {
    await tid('model-switcher').click();
    await MODELS[key].pick().click();
    await expect.poll(() => tid('model-status').textContent()).toMatch(MODELS[key].name);
  }

  async function expectEverywhere(key: Key): Promise<void> {
    const { name, digits } = MODELS[key];
    await tid('tab-weights').click();
    // #24 item 1: never a training snapshot, and never the model that was active before.
    await expect.poll(() => tid('weights-canvas').getAttribute('data-snapshot')).toBe(`model-${idOf(key)}`);
    expect(await tid('weights-label').textContent()).toMatch(name);
    await tid('tab-gallery').click();
    await expect.poll(() => tid('evaluation-model').textContent(), { timeout: 60_000 }).toMatch(name);
    await tid('tab-draw').click();
    expect(await tid('save-as-not-digits').count()).toBe(digits ? 0 : 1);
  }

  it('Weights, Gallery, Draw and the status bar follow every switch, in every order', async () => {
    // Every ordered pair of the three once: default→run→clothes→default→clothes→run→default.
    const order: Key[] = ['default', 'run', 'clothes', 'default', 'clothes', 'run', 'default'];
    for (const key of order) {
      await switchTo(key);
      await expectEverywhere(key);
    }
  });

  it('lists this session’s run with its dataset, accuracy and time, in the same place after each switch', async () => {
    await tid('model-switcher').click();
    const entry = tid('switch-recent').first();
    expect(await entry.textContent()).toMatch(/MLP 50 · sgd · MNIST · \d+\.\d % · \d\d:\d\d:\d\d/);
    await page.keyboard.press('Escape');
  });
});

describe('results where you look', () => {
  it('a confusion cell shows it is chosen and brings its images into view; a thumbnail’s detail comes into view', async () => {
    await tid('tab-gallery').click();
    await page.locator('[data-testid="evaluation-accuracy"][data-accuracy]').waitFor({ timeout: 60_000 });
    await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
    const cell = tid('confusion-cell-4-9');
    await cell.click();
    expect(await cell.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(inView('gallery-item')).toBe(true);
    const item = tid('gallery-item').first();
    expect(await item.textContent()).toMatch(/Image \d+:\s*predicted 9\s*true 4/);
    await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
    await tid('gallery-item').last().click();
    await expect.poll(inView('gallery-detail')).toBe(true);
  });

  it('gives each tab its own scroll position', async () => {
    const main = page.locator('main');
    const gallery = await main.evaluate((m) => m.scrollTop);
    expect(gallery).toBeGreaterThan(100);
    await tid('tab-data').click();
    expect(await main.evaluate((m) => m.scrollTop)).toBe(0);
    await tid('tab-gallery').click();
    await expect.poll(() => main.evaluate((m) => m.scrollTop)).toBeGreaterThan(gallery - 50);
  });

  it('says at the field when the training images are not a number, rather than train on all of them', async () => {
    await tid('tab-train').click();
    const subset = tid('subset-input');
    await subset.fill('');
    await subset.focus();
    await page.keyboard.type('1e');
    await expect.poll(() => subset.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('field-error').first().textContent()).toMatch(/Training images.*enter a whole number/);
    expect(await tid('train-button').isDisabled()).toBe(true);
  });
});
