import { DEFAULT_SPEC, type ModelSpec } from '../src/shared/model-spec';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import { acquireKernel, type KernelInstance } from '../src/engine/kernel/kernel-module';
import { KernelNet } from '../src/engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '../src/engine/kernel/kernel-optimizer';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';

const batch = Number(process.env.B ?? 32);
async function main() {
  await selectBackend('cpu');
  const ds = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 50, activation: 'relu', dropout: 0 }], optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true, l2: 1e-4, seed: 3, batchSize: batch };
  const kernel = acquireKernel() as KernelInstance;
  const model = createModel(spec, { inputSize: 784, numClasses: 10 } as never);
  const optimizer = createOptimizer(spec);
  const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, spec.l2, batch);
  net.loadWeights(optimizer);
  const set = ds.train;
  net.loadData(set, new Float64Array(set.count).fill(1 / 255));
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  new Random(5).shuffle(order);
  net.loadOrder(order);
  const random = new Random(1);
  const steps = Math.floor(set.count / batch);
  for (let round = 0; round < 4; round++) {
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    let t0 = cpu();
    for (let s = 0; s < steps; s++) net.step(batch, 0.01, random, { start: s * batch });
    const full = (cpu() - t0) / steps;
    t0 = cpu();
    for (let s = 0; s < steps; s++) kernel.exports.kn_step(s * batch, batch, 0, 1e-4);
    const raw = (cpu() - t0) / steps;
    console.log(`b${batch}: net.step ${(full * 1000).toFixed(1)} µs, kn_step alone ${(raw * 1000).toFixed(1)} µs, JS ${((full - raw) * 1000).toFixed(1)} µs`);
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
