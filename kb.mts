import * as tf from '@tensorflow/tfjs';
import { DEFAULT_SPEC, type ModelSpec } from './src/shared/model-spec';
import { selectBackend } from './src/engine/ml/backend';
import { RESOURCES_DIR } from './src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from './src/engine/data/load-dataset';
import { rowScales } from './src/engine/ml/batches';
import { createModel, denseBlocks } from './src/engine/ml/model';
import { createOptimizer } from './src/engine/ml/optimizer';
import { Random } from './src/engine/ml/random';
import { acquireKernel } from './src/engine/kernel/kernel-module';
import { KernelNet } from './src/engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from './src/engine/kernel/kernel-optimizer';
await selectBackend();
const kernel = acquireKernel(); if (typeof kernel === 'string') throw new Error(kernel);
const data = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
const set = data.train;
for (const [hidden, opt, batch] of [[[50], 'sgd', 200], [[50], 'sgd', 32], [[512, 256], 'adam', 256]] as const) {
  const spec: ModelSpec = { ...DEFAULT_SPEC, optimizer: opt, learningRate: opt === 'sgd' ? 0.1 : 0.001, momentum: opt === 'sgd' ? 0.9 : 0, nesterov: opt === 'sgd', l2: 2.5e-7, hiddenLayers: hidden.map((u) => ({ units: u, activation: 'relu', dropout: 0 })), batchSize: batch };
  const model = createModel(spec);
  const o = createOptimizer(spec);
  const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(o) as KernelOptimizerConfig, spec.l2, batch);
  net.loadWeights(o);
  net.loadData(set, rowScales(set, 'divide255'));
  const order = new Int32Array(set.count).map((_, i) => i); new Random(1).shuffle(order); net.loadOrder(order);
  const random = new Random(2);
  const batches = Math.floor(set.count / batch);
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now(); const c0 = process.cpuUsage(); let loss = 0, correct = 0;
    const n = Math.min(batches, rep === 0 ? 50 : batches);
    for (let b = 0; b < n; b++) { const r = net.step(batch, spec.learningRate, random, { start: b * batch }); loss += r.loss; correct += r.correct; }
    const ms = (performance.now() - t0) / n; const cpu = process.cpuUsage(c0); const cms = (cpu.user + cpu.system) / 1000 / n;
    console.log(hidden.join('-'), opt, batch, `${ms.toFixed(3)} ms/step cpu ${cms.toFixed(3)} ms`, `${Math.round(batch / ms * 1000)} samples/s`, `loss ${(loss / n).toFixed(3)} acc ${(correct / n / batch).toFixed(3)}`);
  }
}
