/**
 * One process of the threaded-wasm tests (the backend is chosen once per process): selects wasm with
 * the environment's MLP_LAB_WASM_THREADS, trains a few MNIST-sized steps on a fixed seed, and prints
 * {"report":…,"weights":"<sha256 of every weight's bytes>","first":[…]} as one line. It ends without
 * process.exit, so a pthread that kept the process alive would show as a timeout.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { prepareTrainingData } from '$engine/ml/batches';
import { createModel } from '$engine/ml/model';
import { train } from '$engine/ml/train';
import { bundledMnist } from '$tests/helpers/datasets';

const report = await selectBackend('wasm');
const spec: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: [
    { units: 128, activation: 'relu', dropout: 0.2 },
    { units: 64, activation: 'tanh', dropout: 0 },
  ],
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 100,
  epochs: 1,
  trainSubset: 1200,
  validation: 0,
  seed: 7,
};
const model = createModel(spec);
await train(model, prepareTrainingData(await bundledMnist(), spec), spec);
const hash = createHash('sha256');
const first: number[] = [];
for (const weight of model.getWeights()) {
  const values = weight.dataSync() as Float32Array;
  hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  first.push(values[0]);
}
model.dispose();
console.log(JSON.stringify({ report, weights: hash.digest('hex'), first }));
