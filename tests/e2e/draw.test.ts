import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTables } from '../../src/shared/ipc/contract';
import { ARTIFACTS_DIR, launchApp, type LaunchedApp } from './harness';

let app: LaunchedApp;
let page: Page;

beforeAll(async () => {
  app = await launchApp();
  page = app.page;
  await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
});
afterAll(async () => {
  await app?.close();
});

/** Draws a stroke through points given as fractions of the canvas, like a person with a mouse. */
async function stroke(points: [number, number][]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
  await page.mouse.up();
}

const one = (): Promise<void> => stroke([[0.5, 0.18], [0.5, 0.5], [0.5, 0.82]]);
const zero = (): Promise<void> =>
  stroke(
    Array.from({ length: 33 }, (_, i) => {
      const a = (i / 32) * 2 * Math.PI;
      return [0.5 + 0.2 * Math.sin(a), 0.5 - 0.3 * Math.cos(a)] as [number, number];
    }),
  );

async function bars(): Promise<number[]> {
  return Promise.all(
    Array.from({ length: 10 }, async (_, i) => Number(await page.getByTestId(`confidence-bar-${i}`).getAttribute('aria-valuenow'))),
  );
}

async function expectTop(label: string): Promise<void> {
  await expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(new RegExp(`^\\s*${label}\\b`));
  const values = await bars();
  expect(values.indexOf(Math.max(...values))).toBe(Number(label));
  expect(Math.max(...values)).toBeGreaterThan(50);
}

const expectEmpty = () => expect.poll(() => page.getByTestId('top-prediction').textContent()).toMatch(/draw a digit/i);

describe('Draw view', () => {
  it('opens offline with the default model and says which backend trains', async () => {
    await expect.poll(() => page.getByTestId('model-status').textContent()).toMatch(/MNIST.*\d\d\.\d+ ?%/);
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toMatch(/wasm|tfjs-node|cpu/);
    await expectEmpty();
  });

  it('recognises a drawn 1 and a drawn 0', async () => {
    await one();
    await expectTop('1');
    await page.getByTestId('clear-button').click();
    await expectEmpty();
    await zero();
    await expectTop('0');
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'draw-view.png') });
  });

  it('undoes the last stroke with the button and with Ctrl+Z, and clears with Esc', async () => {
    await page.getByTestId('clear-button').click();
    await one();
    await expectTop('1');
    await page.getByTestId('undo-button').click();
    await expectEmpty();
    await zero();
    await one();
    await page.keyboard.press('Control+z');
    await expectTop('0');
    await page.keyboard.press('Escape');
    await expectEmpty();
  });

  it('keeps the drawing across a visit to another tab, by click and by Ctrl+digit', async () => {
    await expectEmpty();
    await one();
    await expectTop('1');
    await page.getByTestId('tab-train').click();
    await page.getByTestId('tab-draw').click();
    await expectTop('1');
    // The registry's shortcuts move between panels as the tabs do.
    await page.keyboard.press('Control+2');
    await expect.poll(() => page.getByTestId('tab-train').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Control+1');
    await expect.poll(() => page.getByTestId('tab-draw').getAttribute('aria-selected')).toBe('true');
    await expectTop('1');
    await page.getByTestId('clear-button').click();
    // The window connects to main once: drawing, recognising and switching tabs reconnect nothing, so
    // the active model (megabytes over IPC) is fetched once, at start-up.
    expect(app.invocations('app:get-info')).toBe(1);
    expect(app.invocations('model:get-active')).toBe(1);
  });

  it('shows the 28x28 input the model sees', async () => {
    await zero();
    const lit = await page.getByTestId('input-preview').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 300) count++;
      return { width: canvas.width, height: canvas.height, count };
    });
    expect(lit).toMatchObject({ width: 28, height: 28 });
    expect(lit.count).toBeGreaterThan(40);
    expect(lit.count).toBeLessThan(400);
  });

  it('runs under the production CSP with no Node access and only the contract’s verbs and pathsForFiles', async () => {
    // page.evaluate itself is exempt from CSP, so inject what an attacker would: an inline script.
    app.expectProblem(/Executing inline script violates the following Content Security Policy directive 'script-src 'self''/);
    const probe = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const w = window as unknown as Record<string, unknown>;
      return {
        inlineRan: w.__inlineRan === true,
        violations,
        require: typeof w.require,
        process: typeof w.process,
        verbs: Object.keys(w.api as object).sort(),
      };
    });
    expect(probe).toEqual({
      inlineRan: false,
      violations: [expect.stringMatching(/^script-src/)],
      require: 'undefined',
      process: 'undefined',
      verbs: [...Object.keys(apiTables.verbs), ...Object.keys(apiTables.subscriptions), 'pathsForFiles'].sort(),
    });
  });
});
