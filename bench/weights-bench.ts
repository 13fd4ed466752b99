/**
 * `npm run bench:weights`: how long the Weights panel takes to draw a sheet of 1024 first-layer tiles
 * (784 → 1024, the largest layer the Train panel builds). Figures only: no threshold fails the run.
 *
 * Two settings of the same code (src/renderer/src/panels/weights/tile-sheet.ts):
 *   - in Node: per-unit scales, tiles, activation frames into an RGBA buffer (the pixel maths alone);
 *   - in headless Chromium, when it is installed: the same, plus putImageData onto a real canvas, as
 *     the panel does. The modules are compiled with TypeScript and served to the page as they are.
 * "weights changed" redraws everything; "drawing frame" is what each frame of a stroke costs (the
 * tiles are cached, only the frames are repainted and the canvas updated).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import ts from 'typescript';
import { colourLut } from '../src/renderer/src/lib/colour-map';
import type { DenseLayerWeights } from '../src/renderer/src/lib/network';
import { packLut, renderFrames, renderTiles, sheetLayout } from '../src/renderer/src/panels/weights/tile-sheet';
import { colourScales } from '../src/renderer/src/panels/weights/unit-stats';
import { CHROMIUM } from '../tests/e2e/harness';
import { REPO_ROOT } from '../tests/helpers/datasets';
import { ms, percentile } from './format';

const UNITS = 1024;
const WARMUP = 5;
const ROUNDS = 40;
const RENDERER_SRC = path.join(REPO_ROOT, 'src/renderer/src');

/** Glorot-uniform-like weights and relu-like activations, from a fixed seed. */
function syntheticLayer(): { layer: DenseLayerWeights; activations: Float32Array } {
  let state = 7;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
  const limit = Math.sqrt(6 / (784 + UNITS));
  const layer = {
    inputs: 784,
    units: UNITS,
    kernel: Float32Array.from({ length: 784 * UNITS }, () => next() * limit),
    bias: new Float32Array(UNITS),
    activation: 'relu',
  };
  return { layer, activations: Float32Array.from({ length: UNITS }, () => Math.max(0, next())) };
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(44)} median ${ms(percentile(sorted, 50))} ms   p90 ${ms(percentile(sorted, 90))} ms   max ${ms(sorted.at(-1)!)} ms`;
}

function inNode(): string[] {
  const { layer, activations } = syntheticLayer();
  const layout = sheetLayout(UNITS);
  const lut = packLut(colourLut());
  const order = Uint32Array.from({ length: UNITS }, (_, i) => i);
  const full: number[] = [];
  const frame: number[] = [];
  let tiles = new Uint32Array(0);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const start = performance.now();
    tiles = new Uint32Array(layout.width * layout.height);
    renderTiles(tiles, layout, layer, order, colourScales(layer, 'unit'), lut);
    const withFrames = tiles.slice();
    renderFrames(withFrames, layout, order, activations);
    const mid = performance.now();
    const next = tiles.slice();
    renderFrames(next, layout, order, activations);
    const end = performance.now();
    if (round >= WARMUP) {
      full.push(mid - start);
      frame.push(end - mid);
    }
  }
  return [summary('Node, weights changed (scales+tiles+frames)', full), summary('Node, drawing frame (frames only)', frame)];
}

/** The tile-drawing modules as browser ES modules, served at their path under src/renderer/src. */
async function compiledModules(): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const name of ['lib/colour-map', 'lib/network', 'panels/weights/tile-sheet', 'panels/weights/unit-stats']) {
    const source = await readFile(path.join(RENDERER_SRC, `${name}.ts`), 'utf8');
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
    modules.set(`/${name}`, output.outputText);
  }
  return modules;
}

const PAGE = `<!doctype html><canvas id="sheet"></canvas><script type="module">
import { colourLut } from './lib/colour-map';
import { packLut, renderFrames, renderTiles, sheetLayout } from './panels/weights/tile-sheet';
import { colourScales } from './panels/weights/unit-stats';
window.runBench = (units, warmup, rounds) => {
  let state = 7;
  const next = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 2 ** 31 - 1; };
  const limit = Math.sqrt(6 / (784 + units));
  const layer = { inputs: 784, units, kernel: Float32Array.from({ length: 784 * units }, () => next() * limit), bias: new Float32Array(units), activation: 'relu' };
  const activations = Float32Array.from({ length: units }, () => Math.max(0, next()));
  const layout = sheetLayout(units);
  const lut = packLut(colourLut());
  const order = Uint32Array.from({ length: units }, (_, i) => i);
  const canvas = document.getElementById('sheet');
  canvas.width = layout.width;
  canvas.height = layout.height;
  const ctx = canvas.getContext('2d');
  const put = (pixels) => ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer), layout.width, layout.height), 0, 0);
  const full = [];
  const frame = [];
  for (let round = 0; round < warmup + rounds; round++) {
    const start = performance.now();
    const tiles = new Uint32Array(layout.width * layout.height);
    renderTiles(tiles, layout, layer, order, colourScales(layer, 'unit'), lut);
    const first = tiles.slice();
    renderFrames(first, layout, order, activations);
    put(first);
    // Reading one pixel back waits for the canvas to hold the new image.
    ctx.getImageData(0, 0, 1, 1);
    const mid = performance.now();
    const again = tiles.slice();
    renderFrames(again, layout, order, activations);
    put(again);
    ctx.getImageData(0, 0, 1, 1);
    const end = performance.now();
    if (round >= warmup) { full.push(mid - start); frame.push(end - mid); }
  }
  return { full, frame, size: [layout.width, layout.height] };
};
window.benchReady = true;
</script>`;

async function inChromium(): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`Chromium: not measured (${CHROMIUM} is missing; apt-get install chromium)`];
  const modules = await compiledModules();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.route('http://bench.invalid/**', async (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      const body = modules.get(pathname);
      return body === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ contentType: 'text/javascript', body });
    });
    await page.goto('http://bench.invalid/');
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
    const result = await page.evaluate(
      ([units, warmup, rounds]) =>
        (window as unknown as { runBench(u: number, w: number, r: number): { full: number[]; frame: number[]; size: number[] } }).runBench(units, warmup, rounds),
      [UNITS, WARMUP, ROUNDS] as const,
    );
    return [
      `Chromium canvas ${result.size.join('×')} px`,
      summary('Chromium, weights changed (+putImageData)', result.full),
      summary('Chromium, drawing frame (+putImageData)', result.frame),
    ];
  } finally {
    await browser.close();
  }
}

console.log(`Weights panel: ${UNITS} tiles of 28×28 (784 → ${UNITS}), ${ROUNDS} rounds after ${WARMUP} warm-up`);
for (const line of inNode()) console.log(line);
for (const line of await inChromium()) console.log(line);
