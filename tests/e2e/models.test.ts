import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/shared/ipc/contract';
import { ARTIFACTS_DIR, launchApp, type LaunchedApp } from './harness';

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
  app = await launchApp({ userDataDir: path.join(root, 'user'), dialogs: { save: [zip], open: [[zip], [broken]] } });
  page = app.page;
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
});
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

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
    await page.getByTestId('model-notice').filter({ hasText: 'Imported “Mine”' }).waitFor();
    expect((await names()).filter((n) => n === 'Mine')).toHaveLength(2);
    const imported = page.locator('[data-testid="model-row"][data-name="Mine"][data-id="mine-2"]');
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
});
