import path from 'node:path';
import { findPreset } from '../../shared/presets';
import { EIGHT_DIRECTIONS, shiftSet } from '../data/shift';
import { bundledDatasetDir, loadDataset } from '../data/load-dataset';
import { backendLabel, selectBackend } from '../ml/backend';
import { evaluate } from '../ml/evaluate';
import { modelFromFiles, writeModelFiles } from '../ml/persist';
import { TrainingEngine } from '../training/engine';
import { RESOURCES_DIR } from './resources-dir';
import { formatEpochLine } from '../../shared/format-epoch';

/** The preset behind the model the app opens with; see its description in src/shared/presets.ts. */
export const DEFAULT_MODEL_PRESET = 'robust-drawing';
export const SHIFT_PIXELS = 2;

/**
 * Trains the model the app ships in resources/models/default and prints how it fares on the MNIST test
 * set and on that set shifted by 2 px in each of eight directions (drawn digits are rarely centred as
 * MNIST's are, even after preprocessing).
 */
async function main(): Promise<void> {
  const backend = await selectBackend();
  const preset = findPreset(DEFAULT_MODEL_PRESET);
  if (!preset) throw new Error(`preset ${DEFAULT_MODEL_PRESET} is missing`);
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  console.log(`backend: ${backendLabel(backend.active)}; preset ${preset.id}`);
  const engine = new TrainingEngine(async () => dataset, backend.active, { trainSetMetrics: true });
  const outcome = await engine.start(preset.spec, 'mnist', 'Default: robust to drawn digits', {
    onEpoch: (log) => console.log(formatEpochLine(log, preset.spec.epochs)),
  });
  engine.reset();
  console.log(`test accuracy: ${outcome.testAccuracy.toFixed(4)} (${outcome.trainSeconds.toFixed(0)} s of training)`);
  // Scored from the files that ship, through the loader the app uses.
  const model = await modelFromFiles(outcome.files);
  for (const [sx, sy] of EIGHT_DIRECTIONS) {
    const shifted = shiftSet(dataset.test, sx * SHIFT_PIXELS, sy * SHIFT_PIXELS);
    const { accuracy } = evaluate(model, shifted, { normalization: preset.spec.normalization });
    console.log(`shifted (${sx * SHIFT_PIXELS}, ${sy * SHIFT_PIXELS}) px: ${accuracy.toFixed(4)}`);
  }
  model.dispose();
  const out = path.join(RESOURCES_DIR, 'models', 'default');
  await writeModelFiles(out, outcome.files);
  console.log(`saved to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
