import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/datasets';
import { dropFiles, launchReady, type LaunchedApp, SLOW_POLL, WORKER_START_POLL } from './harness';
import { axeViolations, overflowProblems } from './page-checks';

let app: LaunchedApp;
let page: Page;
let files: string;

const TEACHER = [
  '---',
  'id: teacher-weights',
  'title: Looking at weights',
  '---',
  '# A picture first',
  'Here is a digit: ![a seven](seven.png)',
  '',
  'Each [epoch](glossary:epoch) shows every image once.',
  '',
  'Raw <b>HTML</b> and <img src="x" onerror="alert(1)"> stay as text.',
  '# Open Weights',
  '```show',
  'panel: weights',
  '```',
  '```check',
  'kind: visited',
  'panel: weights',
  '```',
  '# Done',
  'That is all.',
  '',
].join('\n');

beforeAll(async () => {
  files = await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-lessons-'));
  await writeFile(path.join(files, 'weights.mlplesson'), TEACHER);
  await writeFile(path.join(files, 'seven.png'), PNG.sync.write(new PNG({ width: 4, height: 4 })));
  // Line 9 of this file holds a value that must never be shown back.
  await writeFile(path.join(files, 'broken.mlplesson'), ['---', 'id: broken', 'title: Broken', '---', '# Step', '', '```check', 'kind: trained', 'atLeast: <b>HOSTILE</b>', '```', ''].join('\n'));
  app = await launchReady({ dialogs: { open: [[path.join(files, 'weights.mlplesson')]] } });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
});

const step = () => page.getByTestId('lesson-step');
const checkDone = (i = 0): Promise<string | null> => page.getByTestId('lesson-check').nth(i).getAttribute('data-done');

describe('Lessons', () => {
  it('follows the scikit-learn lesson: Show me, Set this up, and the accuracy check ticks on the real run', async () => {
    await page.getByTestId('lessons-open').click();
    const item = page.locator('[data-testid="lesson-item"][data-id="sklearn-exercise"]');
    expect(await page.getByTestId('lesson-item').count()).toBe(5);
    expect(await item.getAttribute('data-progress')).toBe('0');
    await item.click();

    // Step 1: its check waits for the Data tab, which "Show me" opens.
    expect(await step().getAttribute('data-index')).toBe('0');
    expect(await checkDone()).toBe('false');
    await page.getByTestId('lesson-action').click();
    await expect.poll(() => page.getByTestId('tab-data').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => checkDone()).toBe('true');
    expect(await step().getAttribute('data-done')).toBe('true');

    // Step 2: "Set this up" fills the Train tab with the exercise's network on 10,000 digits, 3 epochs.
    await page.getByTestId('lesson-next').click();
    expect(await step().getAttribute('data-index')).toBe('1');
    await page.locator('[data-testid="lesson-action"][data-kind="setup"]').click();
    await expect.poll(() => page.getByTestId('tab-train').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('subset-input').inputValue()).toBe('10000');
    expect(await page.getByTestId('epochs-input').inputValue()).toBe('3');
    expect(await page.getByTestId('total-params').textContent()).toBe('39,760');

    // The "?" beside a setting says what it is.
    const tip = page.locator('[data-testid="glossary-term"][data-term="dropout"]').first();
    await tip.click();
    expect(await page.getByTestId('glossary-definition').textContent()).toMatch(/^Dropout\. While training/);
    await tip.click();
    expect(await page.getByTestId('glossary-definition').count()).toBe(0);

    // Step 3: train; the check ticks from the run history once the run has its test score.
    await page.getByTestId('lesson-next').click();
    expect(await step().getAttribute('data-index')).toBe('2');
    expect(await checkDone()).toBe('false');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('test-accuracy').count(), WORKER_START_POLL).toBe(1);
    const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-accuracy'));
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    await expect.poll(() => checkDone(), SLOW_POLL).toBe('true');
    expect(await step().getAttribute('data-done')).toBe('true');
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'screenshots', 'lesson.png') });
    // The drawer takes room from the panel beside it: the panel must still fit, and both pass axe.
    expect(await overflowProblems(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    // Progress is kept: back in the list, the lesson shows 3 of its 5 steps done.
    await page.getByRole('button', { name: '← All lessons' }).click();
    await expect.poll(() => item.getAttribute('data-progress')).toBe(String(3 / 5));
  });

  it('imports a teacher’s lesson from a file and steps through it, image and glossary included', async () => {
    await page.getByTestId('lesson-import').click();
    await expect.poll(() => step().getAttribute('data-index')).toBe('0');
    expect(await page.locator('h2#lessons-heading').textContent()).toBe('Looking at weights');
    expect(await step().locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // The lesson's raw HTML is shown as the text it is: no element is made of it.
    expect(await step().locator('b, img[src="x"], [onerror]').count()).toBe(0);
    expect(await step().textContent()).toContain('Raw <b>HTML</b> and <img src="x" onerror="alert(1)"> stay as text.');
    await step().locator('[data-testid="glossary-term"][data-term="epoch"]').click();
    expect(await step().getByTestId('glossary-definition').textContent()).toMatch(/^Epoch\. One pass/);
    expect(await page.getByTestId('lesson-prev').isDisabled()).toBe(true);

    await page.getByTestId('lesson-next').click();
    expect(await step().getAttribute('data-index')).toBe('1');
    expect(await checkDone()).toBe('false');
    await page.getByTestId('lesson-action').click();
    await expect.poll(() => page.getByTestId('tab-weights').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => checkDone()).toBe('true');

    await page.getByTestId('lesson-next').click();
    expect(await step().getAttribute('data-index')).toBe('2');
    expect(await page.getByTestId('lesson-next').isDisabled()).toBe(true);
    await page.getByTestId('lesson-prev').click();
    expect(await step().getAttribute('data-index')).toBe('1');
    await page.getByRole('button', { name: '← All lessons' }).click();
    // Two of its three steps done: the picture passed, the Weights check ticked.
    await expect.poll(() => page.locator('[data-testid="lesson-item"][data-id="teacher-weights"]').getAttribute('data-progress')).toBe(String(2 / 3));
  });

  it('refuses a broken lesson dropped on the window, naming its line and field without showing its content', async () => {
    await dropFiles(page, [path.join(files, 'broken.mlplesson')]);
    const error = page.getByTestId('lesson-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/broken\.mlplesson is not a lesson/);
    expect(text).toMatch(/line 9, check block: field atLeast must be a number/);
    expect(text).not.toMatch(/HOSTILE/);
    expect(await page.locator('[data-testid="lesson-item"][data-id="broken"]').count()).toBe(0);
  });
});

