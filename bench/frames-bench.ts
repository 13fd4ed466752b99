/**
 * `npm run bench:frames` (after `npm run build`): frames and long tasks in the window while a batch-32
 * run trains, on the Train tab with its curves drawing (#24: "batch-32 training holds 55 fps with no
 * long task over 50 ms"). The built renderer runs in headless Chromium with the real main services
 * behind window.api (tests/e2e/harness.ts). Figures only: timing never fails the process.
 *
 * Each build given runs the same rounds, alternating (A B A B …), so that the machine's load falls on
 * both alike. A build is a renderer folder: `out/renderer` by default; more as arguments, e.g.
 * `npm run bench:frames -- out/renderer /tmp/before/out/renderer`.
 *
 * Per round: the Train tab, the sklearn-exercise preset at batch 32 on 12,000 images for up to 200 epochs
 * (the training kernel trains them in a few seconds; a window must not outlast the run); once the first
 * progress has arrived, WINDOW_MS of requestAnimationFrame intervals and PerformanceObserver
 * long tasks (over 50 ms), and the main thread's CPU, script and style + layout time over the same
 * window (frames mostly say how loaded the machine is; the CPU time says what the window itself costs),
 * then Stop. A round whose run had ended before its window did is marked: it measured more than training.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchApp } from '../tests/e2e/harness';
import { startBatch32Run, stopRun } from './frames-run';

const WINDOW_MS = 5000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Round {
  fps: number;
  longTasks: number;
  longestMs: number;
  longTotalMs: number;
  /** CPU time of the window's main thread in the window (Chromium's ThreadTime): less swayed by load than frames. */
  cpuMs: number;
  /** Whether the run was still training when the window closed (else the window saw its end too). */
  trainedThroughout: boolean;
  /** Of the main thread's task time: script, and style + layout. */
  scriptMs: number;
  layoutMs: number;
}

/** In the page, as source text: tsx would wrap named functions in a helper the page does not have. */
const MEASURE = `(async (windowMs) => {
  const long = [];
  const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) long.push(entry.duration); });
  observer.observe({ type: 'longtask', buffered: false });
  let frames = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = (now) => { frames++; if (now - start < windowMs) requestAnimationFrame(tick); else resolve(); };
    requestAnimationFrame(tick);
  });
  observer.disconnect();
  const seconds = (performance.now() - start) / 1000;
  return { fps: frames / seconds, longTasks: long.length, longestMs: Math.max(0, ...long), longTotalMs: long.reduce((a, b) => a + b, 0) };
})(${WINDOW_MS})`;

/** Frames and long tasks from the page; the main thread's CPU and task times from the DevTools protocol. */
async function measure(page: Page): Promise<Omit<Round, 'trainedThroughout'>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async (): Promise<Map<string, number>> =>
    new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value] as [string, number]));
  const before = await metrics();
  const frames = (await page.evaluate(MEASURE)) as Omit<Round, 'cpuMs' | 'scriptMs' | 'layoutMs'>;
  const after = await metrics();
  await cdp.detach();
  const ms = (...names: string[]): number => names.reduce((sum, n) => sum + ((after.get(n) ?? 0) - (before.get(n) ?? 0)) * 1000, 0);
  return { ...frames, cpuMs: ms('ThreadTime'), scriptMs: ms('ScriptDuration'), layoutMs: ms('RecalcStyleDuration', 'LayoutDuration') };
}

async function round(rendererDir: string): Promise<Round> {
  process.env.MLP_LAB_RENDERER_DIR = rendererDir;
  const app = await launchApp();
  try {
    const { page } = app;
    await startBatch32Run(page);
    const result = await measure(page);
    const trainedThroughout = await stopRun(page);
    return { ...result, trainedThroughout };
  } finally {
    await app.close();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const builds = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['out/renderer'];
  const dirs = builds.map((b) => path.resolve(b));
  const results = new Map<string, Round[]>(dirs.map((d) => [d, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const dir of dirs) {
      const result = await round(dir);
      results.get(dir)!.push(result);
      console.log(
        `round ${r + 1} ${dir}: ${result.fps.toFixed(1)} fps, ${result.longTasks} long tasks (longest ${result.longestMs.toFixed(0)} ms, ` +
          `${result.longTotalMs.toFixed(0)} ms in all); main thread ${result.cpuMs.toFixed(0)} ms CPU, script ${result.scriptMs.toFixed(0)} ms, style+layout ${result.layoutMs.toFixed(0)} ms` +
          (result.trainedThroughout ? '' : ' (the run ended inside the window)'),
      );
    }
  }
  console.log(`\nBatch-32 training on the Train tab, ${WINDOW_MS / 1000} s windows, median of ${ROUNDS} rounds:`);
  const base = median(results.get(dirs[0])!.map((x) => x.fps));
  for (const dir of dirs) {
    const rounds = results.get(dir)!;
    const fps = median(rounds.map((x) => x.fps));
    console.log(
      `  ${dir}: ${fps.toFixed(1)} fps (${(fps / base).toFixed(2)}× the first), long tasks ${median(rounds.map((x) => x.longTasks))}, ` +
        `longest ${median(rounds.map((x) => x.longestMs)).toFixed(0)} ms, ${median(rounds.map((x) => x.longTotalMs)).toFixed(0)} ms in all; ` +
        `main thread ${median(rounds.map((x) => x.cpuMs)).toFixed(0)} ms CPU, script ${median(rounds.map((x) => x.scriptMs)).toFixed(0)} ms, ` +
        `style+layout ${median(rounds.map((x) => x.layoutMs)).toFixed(0)} ms per ${WINDOW_MS / 1000} s; ` +
        // The bar is no long task at all, so the worst round counts too, not only the median.
        `longest task of any round ${Math.max(...rounds.map((x) => x.longestMs)).toFixed(0)} ms; ` +
        `${rounds.filter((x) => !x.trainedThroughout).length} of ${rounds.length} windows saw the run end`,
    );
  }
}

await main();
