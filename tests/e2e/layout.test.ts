import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RESOURCES_DIR } from '../helpers/datasets';
import { launchApp, type LaunchedApp } from './harness';
import { axeViolations, overflowProblems } from './page-checks';

/**
 * Nothing clipped at 800×600 and 1280×800 (#24 items 8 and 14): every panel, in both themes, with the
 * content a learner's second hour puts there (a finished run, an evaluated model with clothing names,
 * a model being renamed), has no element wider than its card and no axe violation.
 */
let app: LaunchedApp;
let page: Page;
let root: string;

/** Every tab, in order; the first check fails when a panel is added without being listed here. */
const PANELS = ['draw', 'train', 'gallery', 'weights', 'models', 'data', 'runs', 'projector'];
const CLOTHES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-layout-'));
  // The default model under clothing names: the long class names of Fashion-MNIST, on data this repo has.
  const clothes = path.join(root, 'user', 'models', 'clothes');
  await mkdir(path.dirname(clothes), { recursive: true });
  await cp(path.join(RESOURCES_DIR, 'models', 'default'), clothes, { recursive: true });
  const metadata = JSON.parse(await readFile(path.join(clothes, 'metadata.json'), 'utf8'));
  await writeFile(path.join(clothes, 'metadata.json'), JSON.stringify({ ...metadata, name: 'Clothes, a model with long class names', classNames: CLOTHES }));
  app = await launchApp({ userDataDir: path.join(root, 'user') });
  page = app.page;
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
  // A finished run, so Train shows curves and a result, Runs a row and Weights a trained model.
  await page.getByTestId('tab-train').click();
  await page.getByTestId('preset-select').selectOption('sklearn-exercise');
  await page.getByTestId('epochs-input').fill('1');
  await page.getByTestId('subset-input').fill('500');
  await page.getByTestId('train-button').click();
  await page.getByTestId('training-result').waitFor({ timeout: 120_000 });
  await page.getByTestId('model-switcher').click();
  await page.getByTestId('switch-saved').filter({ hasText: 'Clothes' }).click();
  await page.getByTestId('model-status').filter({ hasText: 'Clothes' }).waitFor();
}, 240_000);
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

/** What a panel must show before it is looked at, and the state a learner leaves it in. */
const READY: Record<string, () => Promise<void>> = {
  gallery: async () => {
    await page.locator('[data-testid="evaluation-accuracy"][data-accuracy]').waitFor({ timeout: 120_000 });
  },
  models: async () => {
    const row = page.locator('[data-testid="model-row"][data-id="clothes"]');
    if ((await row.getByTestId('rename-input').count()) === 0) await row.getByTestId('rename-model-button').click();
  },
  runs: async () => {
    await page.getByTestId('run-row').first().waitFor();
  },
};

async function inBothThemes(check: (scheme: string) => Promise<void>): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await check(colorScheme);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const shots = process.env.MLP_LAB_DOCS_SCREENSHOTS === '1';

it('checks every tab the app has', async () => {
  const tabs = await page.getByRole('tab').evaluateAll((all) => all.map((t) => t.getAttribute('data-testid')));
  expect(tabs).toEqual(PANELS.map((p) => `tab-${p}`));
});

for (const [width, height] of [
  [1280, 800],
  [800, 600],
] as const) {
  describe(`at ${width}×${height}`, () => {
    it.each(PANELS)('%s: nothing sticks out of its card, nothing scrolls sideways, axe finds nothing', async (panel) => {
      await page.setViewportSize({ width, height });
      await page.getByTestId(`tab-${panel}`).click();
      await READY[panel]?.();
      if (shots) await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'screenshots', `${panel}-${width}x${height}.png`) });
      await inBothThemes(async (scheme) => {
        expect({ scheme, problems: await overflowProblems(page) }).toEqual({ scheme, problems: [] });
        expect({ scheme, violations: await axeViolations(page) }).toEqual({ scheme, violations: [] });
      });
    });
  });
}
