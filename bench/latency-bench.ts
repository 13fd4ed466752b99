/**
 * `npm run bench:latency`: how long the Draw view takes to turn a drawing into confidence bars, measured
 * in the built renderer in headless Chromium (tests/e2e/harness.ts, the real main services behind
 * window.api). Figures only: timing never fails the process; a broken page or harness does.
 *
 * Per stroke, in the page: capture-phase pointer listeners on the canvas record each event's timeStamp,
 * and a MutationObserver on the bars and the top prediction records when they change. The app changes
 * them inside a requestAnimationFrame callback, so at that moment document.timeline.currentTime is the
 * start of the frame being produced, and a MessageChannel task queued then runs once that frame's style,
 * layout and paint are done: that is "bars rendered" (a further requestAnimationFrame would wait for the
 * next frame). Chromium's Event Timing for the pointer-up (to the next paint presented, in 8 ms steps,
 * reported only from 16 ms) is a cross-check. The renderer's own User Timing measures (mlp:preprocess,
 * mlp:inference, mlp:recognize) give the per-call costs of every recognition, including during moves.
 *
 * Pointer-up does not change the drawing (the ink arrived with the moves): the bars for the finished digit
 * are those of the last move's frame. So each stroke ends as a quick hand does, lifting the pen before
 * that frame is drawn: the last move and the pointer-up are sent together, at a random point of the
 * display's 16.7 ms frame cycle (waiting for each move's acknowledgement locks input to frames). Bars
 * already on screen at pointer-up would count as 0 ms, and are reported as a count.
 *
 * The in-page recorders are in latency-page.ts, the analysis of each stroke and the report in latency-report.ts.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchApp } from '../tests/e2e/harness';
import { MEASURE_NAMES, frameIntervals, installRecorder, modelInfo, resetRecorder, settle, takeRecords } from './latency-page';
import { FRAME_MS, analyse, latencyReport, type StrokeResult } from './latency-report';

const STROKES = 60;
const WARMUP_STROKES = 2;
/** Pointer moves along a stroke are this far apart, in CSS pixels. */
const MOVE_SPACING_PX = 8;

type Point = [number, number];

/** Digits as strokes of points, in fractions of the canvas. */
const DIGITS: { label: string; strokes: Point[][] }[] = [
  { label: '1', strokes: [[[0.5, 0.18], [0.5, 0.5], [0.5, 0.82]]] },
  {
    label: '0',
    strokes: [
      Array.from({ length: 33 }, (_, i): Point => {
        const a = (i / 32) * 2 * Math.PI;
        return [0.5 + 0.2 * Math.sin(a), 0.5 - 0.3 * Math.cos(a)];
      }),
    ],
  },
  { label: '7', strokes: [[[0.3, 0.2], [0.7, 0.2], [0.45, 0.82]]] },
  {
    label: '4',
    strokes: [
      [[0.55, 0.18], [0.3, 0.58], [0.72, 0.58]],
      [[0.6, 0.36], [0.6, 0.84]],
    ],
  },
];

/** A deterministic sequence in [0, 1), so runs draw the same digits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Sends mouse input as Playwright's page.mouse does, but lets two events go out without waiting between them. */
type MouseSender = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', [x, y]: Point) => Promise<unknown>;

async function mouseSender(page: Page): Promise<MouseSender> {
  const cdp = await page.context().newCDPSession(page);
  return (type, [x, y]) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x,
      y,
      button: 'left',
      buttons: type === 'mouseReleased' ? 0 : 1,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    });
}

/** A pen stroke through `points`, moves MOVE_SPACING_PX apart, each sent once Chromium acknowledged the last. */
async function drawStroke(
  page: Page,
  send: MouseSender,
  points: Point[],
  place: { scale: number; dx: number; dy: number },
  /** Where in the display's frame cycle, as a fraction of it, the pen lifts. */
  liftPhase: number,
): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const at = ([fx, fy]: Point): Point => [
    box.x + (0.5 + (fx - 0.5) * place.scale + place.dx) * box.width,
    box.y + (0.5 + (fy - 0.5) * place.scale + place.dy) * box.height,
  ];
  const pixels = points.map(at);
  const path: Point[] = [];
  for (let i = 1; i < pixels.length; i++) {
    const [x0, y0] = pixels[i - 1];
    const [x1, y1] = pixels[i];
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / MOVE_SPACING_PX));
    for (let step = 1; step <= steps; step++) path.push([x0 + ((x1 - x0) * step) / steps, y0 + ((y1 - y0) * step) / steps]);
  }
  await send('mouseMoved', pixels[0]);
  await send('mousePressed', pixels[0]);
  for (const point of path.slice(0, -1)) await send('mouseMoved', point);
  // The pen lifts with the last move, not after its frame: both are sent at once, in that order, so the
  // bars for the finished stroke are still to be drawn at pointer-up. Awaiting the move first would let
  // its frame finish before pointer-up exists (Chromium acknowledges a move once it is dispatched). The
  // pause puts the lift at a random point of the frame cycle, as a hand does.
  await new Promise((resolve) => setTimeout(resolve, liftPhase * FRAME_MS));
  const last = path.at(-1) ?? pixels[0];
  await Promise.all([send('mouseMoved', last), send('mouseReleased', last)]);
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const app = await launchApp();
  const { page } = app;
  try {
    // tsx compiles with keepNames, so functions handed to the page call esbuild's __name helper.
    await page.evaluate('globalThis.__name ??= (target) => target');
    await page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('top-prediction').filter({ hasText: /draw a digit/i }).waitFor();
    const model = await page.evaluate(modelInfo);
    const chromium = page.context().browser()?.version() ?? 'unknown';
    const idleFrames = await page.evaluate(frameIntervals, 60);
    await page.evaluate(installRecorder);
    const send = await mouseSender(page);

    const rand = random(20250611);
    const results: StrokeResult[] = [];
    const recognised: { drawn: string; shown: string }[] = [];
    let strokes = 0;
    for (let digit = 0; strokes < STROKES + WARMUP_STROKES; digit++) {
      const { label, strokes: shape } = DIGITS[digit % DIGITS.length];
      const place = { scale: 0.85 + 0.25 * rand(), dx: (rand() - 0.5) * 0.12, dy: (rand() - 0.5) * 0.12 };
      for (const points of shape) {
        if (strokes >= STROKES + WARMUP_STROKES) break;
        await page.evaluate(resetRecorder, MEASURE_NAMES);
        await drawStroke(page, send, points, place, rand());
        await page.evaluate(settle);
        const { recorder, measures } = await page.evaluate(takeRecords, MEASURE_NAMES);
        if (strokes >= WARMUP_STROKES) results.push(analyse(recorder, measures));
        strokes++;
      }
      const shown = ((await page.getByTestId('top-prediction').textContent()) ?? '').trim();
      recognised.push({ drawn: label, shown });
      await page.getByTestId('clear-button').click();
      await page.getByTestId('top-prediction').filter({ hasText: /draw a digit/i }).waitFor();
      await page.evaluate(settle);
    }
    const loadAfter = os.loadavg();

    console.log(latencyReport({ chromium, model, loadBefore, loadAfter, idleFrames, warmupStrokes: WARMUP_STROKES, results, recognised }));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
