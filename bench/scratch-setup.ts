import { findPreset } from '../src/shared/presets';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer } from '../src/engine/ml/optimizer';
import { prepareTrainingData } from '../src/engine/ml/batches';
import { train } from '../src/engine/ml/train';
import { kernelStepper } from '../src/engine/kernel/kernel-stepper';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';

async function main() {
  await selectBackend('wasm', '1');
  const ds = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const spec = { ...findPreset('sklearn-exercise')!.spec, seed: 1, batchSize: 200 };
  const data = prepareTrainingData(ds, spec);
  console.log('validation', data.validation?.count, 'train', data.train.count);
  for (let r = 0; r < 3; r++) {
    const model = createModel(spec);
    const optimizer = createOptimizer(spec);
    let t = performance.now();
    const stepper = kernelStepper(denseBlocks(model), optimizer, spec, data.train);
    const make = performance.now() - t;
    stepper.finish?.();
    t = performance.now();
    const result = await train(model, data, spec, {}, { epochs: 2, stepper: kernelStepper });
    const total = performance.now() - t;
    const loop = result.history.reduce((s, h) => s + h.seconds * 1000, 0);
    console.log(`stepper setup ${make.toFixed(0)} ms; train() 2 epochs ${total.toFixed(0)} ms, epochs' own seconds ${loop.toFixed(0)} ms; ${result.stepper.detail}`);
    model.dispose();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
