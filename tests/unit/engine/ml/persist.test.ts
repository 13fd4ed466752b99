import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { MODEL_FORMAT, type ModelMetadata } from '$shared/model-metadata';
import { selectBackend } from '$engine/ml/backend';
import { createModel } from '$engine/ml/model';
import { loadModel, ModelFileError, readModelFiles, saveModel } from '$engine/ml/persist';

let dir: string;
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-persist-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const spec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 6, activation: 'tanh' as const, dropout: 0.2 }] };
const metadata = (name: string): ModelMetadata => ({
  format: MODEL_FORMAT,
  version: 1,
  name,
  datasetId: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  imageShape: [28, 28],
  normalization: 'divide255',
  spec,
  metrics: { testAccuracy: 0.5 },
  history: [],
  epochsTrained: 0,
  trainSeconds: 0,
  backend: 'wasm',
  created: new Date(0).toISOString(),
});
const input = tf.randomUniform([3, 784], 0, 1, 'float32', 1);

describe('saveModel / loadModel', () => {
  it('writes a standard Layers model that plain tf.loadLayersModel reads back and predicts the same', async () => {
    const model = createModel(spec);
    const target = path.join(dir, 'first');
    await saveModel(model, target, metadata('first'));
    expect((await readdir(target)).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);

    const modelJson = JSON.parse(await readFile(path.join(target, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const weights = await readFile(path.join(target, 'weights.bin'));
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const expected = (model.predict(input) as tf.Tensor).arraySync();
    expect((plain.predict(input) as tf.Tensor).arraySync()).toEqual(expected);

    const loaded = await loadModel(target);
    expect(loaded.metadata).toEqual(metadata('first'));
    expect((loaded.model.predict(input) as tf.Tensor).arraySync()).toEqual(expected);
    for (const m of [model, plain, loaded.model]) m.dispose();
  });

  it('replaces an existing model only once the new one is complete, leaving no temporary folders', async () => {
    const target = path.join(dir, 'replace');
    const a = createModel({ ...spec, seed: 1 });
    const b = createModel({ ...spec, seed: 2 });
    await saveModel(a, target, metadata('a'));
    await saveModel(b, target, metadata('b'));
    const loaded = await loadModel(target);
    expect(loaded.metadata.name).toBe('b');
    expect((loaded.model.predict(input) as tf.Tensor).arraySync()).toEqual((b.predict(input) as tf.Tensor).arraySync());
    expect((await readdir(dir)).filter((name) => name.startsWith('replace'))).toEqual(['replace']);

    // A save that fails (invalid destination parent: a file) leaves the previous model intact.
    await writeFile(path.join(dir, 'blocker'), 'not a folder');
    await expect(saveModel(a, path.join(dir, 'blocker', 'inner'), metadata('x'))).rejects.toThrow();
    expect((await loadModel(target)).metadata.name).toBe('b');
    for (const m of [a, b, loaded.model]) m.dispose();
  });
});

describe('readModelFiles rejects bad folders with the folder and the problem', () => {
  async function corrupt(name: string, change: (d: string) => Promise<void>): Promise<string> {
    const target = path.join(dir, name);
    const model = createModel(spec);
    await saveModel(model, target, metadata(name));
    model.dispose();
    await change(target);
    return target;
  }

  it('missing weights', async () => {
    const target = await corrupt('no-weights', (d) => rm(path.join(d, 'weights.bin')));
    await expect(readModelFiles(target)).rejects.toThrow(new ModelFileError(target, 'weights.bin is missing'));
  });

  it('truncated weights', async () => {
    const target = await corrupt('short-weights', (d) => writeFile(path.join(d, 'weights.bin'), new Uint8Array(12)));
    await expect(readModelFiles(target)).rejects.toThrow(/weights.bin holds 12 bytes but model.json expects \d+/);
  });

  it('metadata that is not JSON, or not ours', async () => {
    const broken = await corrupt('bad-json', (d) => writeFile(path.join(d, 'metadata.json'), '{oops'));
    await expect(readModelFiles(broken)).rejects.toThrow(/metadata.json is not valid JSON/);
    const foreign = await corrupt('foreign', (d) =>
      writeFile(path.join(d, 'metadata.json'), JSON.stringify({ ...metadata('x'), normalization: 'zscore' })),
    );
    await expect(readModelFiles(foreign)).rejects.toThrow(/metadata.json is invalid at normalization/);
  });

  it('a model.json that is not a Layers model', async () => {
    const target = await corrupt('not-layers', (d) => writeFile(path.join(d, 'model.json'), '{"format":"graph-model"}'));
    await expect(readModelFiles(target)).rejects.toThrow(/model.json is not a TensorFlow.js Layers model/);
  });
});
