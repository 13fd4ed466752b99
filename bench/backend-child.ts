/**
 * One backend's figures for `npm run bench`, in a process of its own (a process has one TensorFlow.js
 * backend, and tfjs-node may be loaded by one process only):
 *
 *   tsx bench/backend-child.ts --backend wasm|cpu|tensorflow
 *
 * (wasm threads from MLP_LAB_WASM_THREADS, as in the app)
 * prints one JSON line (BenchFigures) on stdout, or {"backend":…,"unavailable":"reason"} and exits 0
 * when the backend cannot be had here. Progress goes to stderr; any other error exits 1.
 * Figures are measured, never asserted (measure.ts).
 */
import type { ModelSpec } from '../src/shared/model-spec';
import { findPreset } from '../src/shared/presets';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { BACKENDS, BackendUnavailableError, backendLabel, describeBackend, selectBackend, type BackendName, type BackendReport } from '../src/engine/ml/backend';
import type { BenchFigures, BenchUnavailable } from './figures';
import { int } from './format';
import { FIT_IMAGES, INFERENCE_CALLS, measureFit, measureInference, measureTrain, stepBreakdown } from './measure';
import { exitWhenDone } from './script';

const PRESET_ID = 'sklearn-exercise';
/** cpu is ~20× slower: it measures one epoch on a subset instead of two full epochs. */
const CPU_IMAGES = 12_000;

async function main(argv: string[]): Promise<void> {
  const requested = backendArg(argv);
  let label: string;
  let report: BackendReport;
  try {
    report = await selectBackend(requested);
    label = describeBackend(report);
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    const result: BenchUnavailable = { backend: requested, unavailable: error.message };
    console.log(JSON.stringify(result));
    return;
  }
  const backend = requested as BackendName;
  const progress = (message: string): void => void process.stderr.write(`[${label}] ${message}\n`);

  const preset = findPreset(PRESET_ID);
  if (!preset) throw new Error(`preset ${PRESET_ID} is missing`);
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, preset.dataset), preset.dataset);
  const measureImages = backend === 'cpu' ? CPU_IMAGES : dataset.train.count;
  const measureEpochs = backend === 'cpu' ? 1 : 2;
  const spec200: ModelSpec = { ...preset.spec, seed: 1, batchSize: 200 };
  const spec32: ModelSpec = { ...spec200, batchSize: 32 };

  progress(`fast loop, batch 200: ${measureEpochs} epoch(s) × ${int(measureImages)} images`);
  const b200 = await measureTrain(spec200, dataset, measureImages, measureEpochs);
  progress(`fast loop, batch 32: ${measureEpochs} epoch(s) × ${int(measureImages)} images`);
  const b32 = await measureTrain(spec32, dataset, measureImages, measureEpochs);
  b32.model.dispose();

  progress(`model.fit, batch 200: 1 epoch × ${int(FIT_IMAGES)} images`);
  const fit = await measureFit(spec200, dataset.train);

  progress(`inference: ${INFERENCE_CALLS} single-image predictions`);
  const inference = measureInference(b200.model, dataset.test);

  progress('step breakdown (tf.profile)');
  const steps = [
    { ...(await stepBreakdown(b200.model, spec200, dataset.train)), ...loopFigures(b200.figure) },
    { ...(await stepBreakdown(b200.model, spec32, dataset.train)), ...loopFigures(b32.figure) },
  ];
  b200.model.dispose();

  const figures: BenchFigures = {
    backend,
    label: backendLabel(report.active),
    ...(report.simd === undefined ? {} : { simd: report.simd }),
    ...(report.threads === undefined ? {} : { threads: report.threads }),
    ...(report.threadsFallback === undefined ? {} : { threadsFallback: report.threadsFallback }),
    // ru_maxrss is in KB on Linux and macOS alike, as Node reports it.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    preset: PRESET_ID,
    fast: { b200: b200.figure, b32: b32.figure },
    fit,
    speedUpVsFit: b200.figure.samplesPerSecond / fit.samplesPerSecond,
    inference,
    steps,
  };
  console.log(JSON.stringify(figures));
}

/** train()'s own time per batch, from its in-loop rate. */
function loopFigures(figure: { batchSize: number; inLoopSamplesPerSecond: number }): { loopMs: number } {
  return { loopMs: (1000 * figure.batchSize) / figure.inLoopSamplesPerSecond };
}

function backendArg(argv: string[]): string {
  const i = argv.indexOf('--backend');
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (!value || !(BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`usage: backend-child.ts --backend ${BACKENDS.join('|')} (got ${value ?? 'nothing'})`);
  }
  return value;
}

exitWhenDone('backend-child', main(process.argv.slice(2)));
