import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../src/shared/datasets/catalog';
import { smallDataset, startMirror, type MirrorServer } from '../helpers/dataset-mirror';
import { REPO_ROOT, RESOURCES_DIR } from '../helpers/datasets';
import { drawStroke } from './draw-stroke';
import { ARTIFACTS_DIR, dropFiles, launchReady, type LaunchedApp, SLOW_POLL } from './harness';

/**
 * The Data tab end to end: Fashion-MNIST downloaded from a loopback mirror (behind a dead one), browsed,
 * then trained on and drawn against. The real files come from ../shared/datasets when that folder is
 * there; without them the mirror serves generated files, which the catalog's checksums must refuse.
 */
const SHARED = path.resolve(REPO_ROOT, '../shared/datasets/fashion-mnist');
const REAL = Object.values(DATASETS['fashion-mnist'].files).every((f) => existsSync(path.join(SHARED, f.name)));
const CLOTHES = DATASETS['fashion-mnist'].classNames;

let mirror: MirrorServer;
let csvDir: string;
let userDataDir: string;
let app: LaunchedApp;
let page: Page;
const savedMirrors = process.env.MLP_LAB_DATASET_MIRRORS;

beforeAll(async () => {
  const files = new Map<string, Uint8Array>();
  if (REAL) {
    for (const f of Object.values(DATASETS['fashion-mnist'].files)) files.set(f.name, await readFile(path.join(SHARED, f.name)));
  } else {
    for (const [name, bytes] of smallDataset('fashion-mnist').files) files.set(name, bytes);
  }
  mirror = await startMirror(files);
  // Read by the download service at each start, as in the app.
  process.env.MLP_LAB_DATASET_MIRRORS = `${mirror.deadUrl},${mirror.url('good')}`;
  // Kaggle-style CSVs for the import: one broken on its third line, one of 30 images of 28×28.
  csvDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-csv-'));
  const header = `label,${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}`;
  const line = (i: number) => `${i % 3},${Array.from({ length: 784 }, (_, p) => (p + i) % 256).join(',')}`;
  await writeFile(path.join(csvDir, 'broken.csv'), [header, line(0), '1,2,3'].join('\n'));
  await writeFile(path.join(csvDir, 'shapes.csv'), [header, ...Array.from({ length: 30 }, (_, i) => line(i))].join('\n'));
  // An import whose manifest was cut short (a crash, a full disk): the Data tab must show it and offer to delete it.
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-data-'));
  await mkdir(path.join(userDataDir, 'datasets', 'imported', 'cut-short-m1'), { recursive: true });
  await writeFile(path.join(userDataDir, 'datasets', 'imported', 'cut-short-m1', 'dataset.json'), '{"id": ');
  app = await launchReady({ userDataDir, dialogs: { open: [[path.join(csvDir, 'broken.csv')], [path.join(csvDir, 'shapes.csv')]], confirm: [true, true] }, viewport: { width: 1280, height: 900 } });
  page = app.page;
});
afterAll(async () => {
  if (savedMirrors === undefined) delete process.env.MLP_LAB_DATASET_MIRRORS;
  else process.env.MLP_LAB_DATASET_MIRRORS = savedMirrors;
  await app?.close();
  await mirror?.close();
  if (csvDir) await rm(csvDir, { recursive: true, force: true });
  if (userDataDir) for (const dir of [userDataDir, `${userDataDir}-trash`]) await rm(dir, { recursive: true, force: true });
});

const status = () => page.getByTestId('download-status-fashion-mnist');

describe('Data tab', () => {
  it('browses the bundled MNIST: a page of 100, class counts, keyboard moves and the pixel table', async () => {
    await page.getByTestId('tab-data').click();
    expect(await page.getByTestId('dataset-row-fashion-mnist').getAttribute('data-available')).toBe('false');
    const items = page.getByTestId('sample-item');
    await expect.poll(() => items.count(), SLOW_POLL).toBe(100);
    expect(await items.first().getAttribute('data-label')).toBe('5');
    const trainCounts = await page.getByTestId('class-chart').locator('[data-class]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-train'))));
    expect(trainCounts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    await items.nth(3).click();
    await expect.poll(() => page.getByTestId('selected-image').getAttribute('data-index')).toBe('3');
    expect(await page.getByTestId('pixel-table').locator('tbody tr').count()).toBe(28);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('selected-image').getAttribute('data-index')).toBe('14');
    await page.getByTestId('class-select').selectOption('7');
    await expect.poll(() => items.first().getAttribute('data-label')).toBe('7');
    expect(new Set(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-label'))))).toEqual(new Set(['7']));
  });

  it('imports a CSV: a broken one names its line, a good one is previewed, saved with class names, listed, trained on and deleted; a folder that does not read is listed and deleted', async () => {
    await page.getByTestId('import-button').click();
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/broken\.csv: line 3: has 3 values, but 785 are expected/);
    await page.getByTestId('import-button').click();
    await expect.poll(() => page.getByTestId('import-preview').getAttribute('data-count')).toBe('30');
    expect((await page.getByTestId('import-preview').textContent())?.replace(/\s+/g, ' ')).toContain('shapes.csv: 30 images of 28×28, 3 classes.');
    await page.getByTestId('import-name').fill('Shapes');
    for (const [c, name] of ['circle', 'square', 'star'].entries()) await page.getByTestId(`import-class-${c}`).fill(name);
    await page.getByTestId('import-save').click();
    const row = page.locator('[data-testid^="imported-shapes-"]');
    await expect.poll(() => row.textContent()).toMatch(/^Shapes: 30 images, 3 classes/);
    expect(await page.getByTestId('import-preview').count()).toBe(0);

    // The import is a dataset like any other: Train lists it, trains on it, and Draw names its classes.
    await page.getByTestId('tab-train').click();
    const select = page.getByTestId('dataset-select');
    await expect.poll(() => select.locator('option', { hasText: 'Shapes (imported)' }).count()).toBe(1);
    await select.selectOption({ label: 'Shapes (imported)' });
    await page.getByTestId('epochs-input').fill('1');
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('epoch-line').count(), { timeout: 60_000 }).toBe(1);
    await page.getByTestId('tab-draw').click();
    await expect.poll(() => page.locator('[id^="class-label-"]').allTextContents(), SLOW_POLL).toEqual(['circle', 'square', 'star']);

    await page.getByTestId('tab-data').click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByTestId('tab-train').click();
    await expect.poll(() => select.locator('option', { hasText: 'Shapes' }).count()).toBe(0);
    await page.getByTestId('tab-data').click();

    // The folder whose manifest does not read is listed with why, and deleted once confirmed.
    const problem = page.getByTestId('imported-problem');
    expect(await problem.getAttribute('data-folder')).toBe('cut-short-m1');
    expect(await problem.textContent()).toMatch(/dataset\.json: is not valid JSON/);
    await problem.getByTestId('imported-problem-delete').click();
    await expect.poll(() => problem.count()).toBe(0);
    expect(existsSync(path.join(userDataDir, 'datasets', 'imported', 'cut-short-m1'))).toBe(false);
  });

  it('imports what is dropped on the window: a CSV into the Data preview, a model folder into the library', async () => {
    await page.getByTestId('tab-draw').click();
    await dropFiles(page, [path.join(csvDir, 'shapes.csv')]);
    await expect.poll(() => page.getByTestId('import-preview').getAttribute('data-count')).toBe('30');
    expect(await page.locator('#panel-data').count()).toBe(1);
    await page.getByRole('button', { name: 'Discard' }).click();

    await dropFiles(page, [path.join(RESOURCES_DIR, 'models', 'default')]);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(2);
    expect(await page.getByTestId('model-import-error').count()).toBe(0);

    await dropFiles(page, [path.join(csvDir, 'broken.csv'), path.join(csvDir, 'shapes.csv')]);
    await expect.poll(() => page.getByTestId('app-error').allTextContents()).toContainEqual(expect.stringMatching(/Nothing to import: broken\.csv, shapes\.csv: not a dataset/));
    await page.getByTestId('tab-data').click();
  });

  it.runIf(REAL)('downloads Fashion-MNIST past a dead mirror, saying which failed and why', async () => {
    await page.getByTestId('download-button-fashion-mnist').click();
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await status().textContent()).toMatch(/Downloaded and verified/);
    const row = page.getByTestId('dataset-row-fashion-mnist');
    expect(await row.textContent()).toContain(`from ${mirror.deadUrl}: connection refused`);
    await expect.poll(() => row.getAttribute('data-available')).toBe('true');

    await row.getByRole('button', { name: 'Fashion-MNIST' }).click();
    const items = page.getByTestId('sample-item');
    await expect.poll(() => items.first().getAttribute('data-label')).toBe('Ankle boot');
    const labels = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-label')));
    expect(labels.every((l) => CLOTHES.includes(l!))).toBe(true);
    const counts = await page.getByTestId('class-chart').locator('[data-class]').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-train')), Number(r.getAttribute('data-test'))]));
    expect(counts).toEqual(Array(10).fill([6000, 1000]));
    await page.getByTestId('random-image').click();
    await page.getByTestId('pixel-table').waitFor();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'data-panel.png'), fullPage: true });
  });

  it.runIf(REAL)('trains keras-intro for an epoch on it, and the confidence bars name clothes', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('preset-select').selectOption('keras-intro');
    await page.getByTestId('epochs-input').fill('1');
    await page.getByTestId('subset-input').fill('3000');
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('epoch-line').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('model-status').textContent(), SLOW_POLL).toMatch(/Fashion-MNIST/);
    await page.getByTestId('tab-draw').click();
    const names = await page.locator('[id^="class-label-"]').allTextContents();
    expect(names).toEqual([...CLOTHES]);
    await drawStroke(
      page,
      [
        [0.3, 0.3],
        [0.7, 0.7],
      ],
      { steps: 8 },
    );
    await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(new RegExp(CLOTHES.map((c) => c.replace('/', '\\/')).join('|')));
  });

  it.runIf(!REAL)('refuses generated files that do not match the catalog, naming the mirror and the reason', async () => {
    await page.getByTestId('download-button-fashion-mnist').click();
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 60_000 }).toBe('failed');
    const text = await page.getByTestId('dataset-row-fashion-mnist').textContent();
    expect(text).toContain(`from ${mirror.deadUrl}: connection refused`);
    expect(text).toMatch(/the file has the wrong SHA-256/);
  });
});
