import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { modelFromFiles } from '$engine/ml/persist';
import { importModel, type ImportSource } from '$main/services/model-import';
import { halfToFloat } from '$main/services/model-import-weights';

/** A tfjs model's model.json (as `model.save` writes it) and its one shard. */
async function savedByTfjs(model: tf.LayersModel): Promise<{ modelJson: Record<string, unknown>; shard: Uint8Array }> {
  let out: { modelJson: Record<string, unknown>; shard: Uint8Array } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = {
        modelJson: { modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }] },
        shard: new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData!)),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

function source(modelJson: unknown, shards: Record<string, Uint8Array>, metadata: unknown = null): ImportSource {
  return {
    file: 'in/model.json',
    modelJson,
    metadata,
    readShard: async (name) => {
      if (!shards[name]) throw new Error(`in/${name} is missing`);
      return shards[name];
    },
    fallbackName: 'in',
  };
}

const input = (): tf.Tensor2D => tf.tensor2d(Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 37) % 255) / 255), [2, 784]);

async function predictionsMatch(original: tf.LayersModel, source: ImportSource, reshape?: number[]): Promise<void> {
  const { files } = await importModel(source);
  const imported = await modelFromFiles(files);
  const x = input();
  const want = (original.predict(reshape ? x.reshape(reshape) : x) as tf.Tensor).arraySync() as number[][];
  const got = (imported.predict(x) as tf.Tensor).arraySync() as number[][];
  got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 4));
}

function sequentialWithFlatten(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  model.add(tf.layers.dense({ units: 16, name: 'd1' }));
  model.add(tf.layers.activation({ activation: 'tanh' }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }));
  return model;
}

describe('importModel', () => {
  it('imports a tfjs model.save model: Flatten from 28×28, a separate Activation, Dropout; predictions unchanged', async () => {
    const model = sequentialWithFlatten();
    const { modelJson, shard } = await savedByTfjs(model);
    const result = await importModel(source(modelJson, { 'group1-shard1of1.bin': shard }));
    expect(result.assumed).toEqual(['class names 0–9', 'pixels divided by 255', 'the MNIST dataset']);
    expect(result.files.metadata.spec.hiddenLayers).toEqual([{ units: 16, activation: 'tanh', dropout: 0.3 }]);
    await predictionsMatch(model, source(modelJson, { 'group1-shard1of1.bin': shard }), [2, 28, 28]);
  });

  it('imports a Functional model from [784], renamed from Model to Functional as Keras 2.4+ writes it', async () => {
    const inputs = tf.input({ shape: [784] });
    const hidden = tf.layers.dense({ units: 12, activation: 'relu', name: 'h' }).apply(inputs);
    const outputs = tf.layers.dense({ units: 10, activation: 'softmax', name: 'o' }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs, outputs });
    const { modelJson, shard } = await savedByTfjs(model);
    const topology = modelJson.modelTopology as { class_name: string };
    topology.class_name = 'Functional';
    await predictionsMatch(model, source(modelJson, { 'group1-shard1of1.bin': shard }));
  });

  it('imports a Keras 3 converter model: model_config wrapper, InputLayer batch_shape, Keras 3 nodes, two float16 shards', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 8, activation: 'relu', name: 'dense' }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'dense_1' })] });
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const specs = model.getWeights().map((w, i) => ({ name: `${['dense', 'dense', 'dense_1', 'dense_1'][i]}/${i % 2 ? 'bias' : 'kernel'}`, shape: w.shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } }));
    const halves = new Uint8Array(weights.reduce((n, w) => n + w.length * 2, 0));
    const view = new DataView(halves.buffer);
    let offset = 0;
    for (const w of weights) for (const v of w) (view.setUint16(offset, floatToHalf(v), true), (offset += 2));
    const node = (from: string) => [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 8], dtype: 'float32', keras_history: [from, 0, 0] } }], kwargs: {} }];
    const modelJson = {
      format: 'layers-model',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '3.6.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Functional',
          config: {
            name: 'functional',
            layers: [
              { class_name: 'InputLayer', name: 'input_layer', config: { batch_shape: [null, 784], dtype: 'float32', name: 'input_layer' }, inbound_nodes: [] },
              { class_name: 'Dense', name: 'dense', config: { name: 'dense', units: 8, activation: 'relu', use_bias: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } } }, inbound_nodes: node('input_layer') },
              { class_name: 'Dense', name: 'dense_1', config: { name: 'dense_1', units: 10, activation: 'softmax', use_bias: true }, inbound_nodes: node('dense') },
            ],
          },
        },
      },
      weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs }],
    };
    // The reference model gets the half-rounded weights, so both sides compute with the same values.
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(Float32Array.from(weights[i], (v) => halfToFloat(floatToHalf(v))), w.shape)));
    const cut = 5000;
    const shards = { 'group1-shard1of2.bin': halves.subarray(0, cut), 'group1-shard2of2.bin': halves.subarray(cut) };
    await predictionsMatch(model, source(modelJson, shards));
  });

  it('dequantises uint8 weights with their scale and min', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax', name: 'only' })] });
    const { modelJson } = await savedByTfjs(model);
    const manifest = modelJson.weightsManifest as { weights: { quantization?: object }[] }[];
    for (const w of manifest[0].weights) w.quantization = { dtype: 'uint8', scale: 0.5, min: -1 };
    const bytes = new Uint8Array(7840 + 10).map((_, i) => i % 5);
    const { files } = await importModel(source(modelJson, { 'group1-shard1of1.bin': bytes }));
    const values = new Float32Array(files.weights);
    expect([values[0], values[1], values[4], values[7849]]).toEqual([-1, -0.5, 1, 1]);
  });

  it('gives a model without metadata its folder name cut to the 80 characters a name may have', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax', name: 'only' })] });
    const { modelJson, shard } = await savedByTfjs(model);
    const { files } = await importModel({ ...source(modelJson, { 'group1-shard1of1.bin': shard }), fallbackName: 'f'.repeat(255) });
    expect(files.metadata.name).toBe('f'.repeat(80));
  });

  it('converts half floats exactly', () => {
    expect([halfToFloat(0x3c00), halfToFloat(0xc000), halfToFloat(0x0001), halfToFloat(0x7c00), halfToFloat(0x3555)]).toEqual([1, -2, 2 ** -24, Infinity, 0.333251953125]);
  });
});

describe('importModel refuses, naming the file and the field', () => {
  const good = async () => savedByTfjs(tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 4, name: 'a' }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'b' })] }));
  const refuse = async (mutate: (m: Record<string, any>, shards: Record<string, Uint8Array>) => void, message: RegExp) => {
    const { modelJson, shard } = await good();
    const json = structuredClone(modelJson) as Record<string, any>;
    const shards: Record<string, Uint8Array> = { 'group1-shard1of1.bin': shard };
    mutate(json, shards);
    await expect(importModel(source(json, shards))).rejects.toThrow(message);
  };
  const layers = (m: Record<string, any>) => m.modelTopology.config.layers;

  it('a weights-only file (tfjs#2455)', () => refuse((m) => delete m.modelTopology, /^in\/model\.json: modelTopology is missing: this holds weights only/));
  it('a null model_config', () => refuse((m) => (m.modelTopology = { model_config: null }), /modelTopology\.model_config is null/));
  it('model.json that is null', () => expect(importModel(source(null, {}))).rejects.toThrow(/in\/model\.json: the file is not a JSON object/));
  it('a Conv2D layer', () => refuse((m) => layers(m).splice(1, 0, { class_name: 'Conv2D', config: { name: 'conv2d_1' } }), /not an MLP that MLP Lab can run: layer conv2d_1 \(Conv2D\)/));
  it('100 inputs', () => refuse((m) => (layers(m)[0].config.batch_input_shape = [null, 100]), /the input is 100 values \(100\); MLP Lab takes 28×28 images, 784 values/));
  it('an output without softmax', () => refuse((m) => (layers(m)[1].config.activation = 'relu'), /the output layer b applies relu, not softmax/));
  it('an unsupported activation', () => refuse((m) => (layers(m)[0].config.activation = 'gelu'), /layer a \(Dense\) activation is "gelu"/));
  it('a shard size mismatch (tfjs#218)', () => refuse((_m, s) => (s['group1-shard1of1.bin'] = s['group1-shard1of1.bin'].subarray(4)), /weightsManifest\[0\] shards group1-shard1of1\.bin hold 12756 bytes, but its weights need 12760/));
  it('a missing shard', () => refuse((m) => m.weightsManifest[0].paths.push('group1-shard2of2.bin'), /in\/group1-shard2of2\.bin is missing/));
  it('a shard path with ..', () => refuse((m) => (m.weightsManifest[0].paths[0] = '../secret.bin'), /weightsManifest\[0\]\.paths\[0\] "\.\.\/secret\.bin" is not a file beside model\.json/));
  it('an absolute shard path', () => refuse((m) => (m.weightsManifest[0].paths[0] = '/etc/passwd'), /is not a file beside model\.json/));
  it('a manifest entry that is null', () => refuse((m) => (m.weightsManifest[0].weights[0] = null), /weightsManifest\[0\]\.weights\[0\] has no name/));
  it('a weight without a shape', () => refuse((m) => delete m.weightsManifest[0].weights[0].shape, /weightsManifest\[0\]\.weights\[0\] \(a\/kernel\) has no valid shape/));
  it('an int32 weight', () => refuse((m) => (m.weightsManifest[0].weights[0].dtype = 'int32'), /dtype int32 is not supported/));
  it('a shape that does not match the topology', () => refuse((m) => (layers(m)[0].config.units = 5), /has shape \[784, 4\], but layer a needs \[784, 5\]/));
  it('a NaN weight', () => refuse((_m, s) => new DataView(s['group1-shard1of1.bin'].buffer, s['group1-shard1of1.bin'].byteOffset).setFloat32(8, NaN, true), /weight a\/kernel holds a NaN or infinite value \(at index 2\)/));
  it('an infinite weight', () => refuse((_m, s) => new DataView(s['group1-shard1of1.bin'].buffer, s['group1-shard1of1.bin'].byteOffset).setFloat32(0, -Infinity, true), /NaN or infinite/));
  it('more softmax outputs than a model may have classes', () => refuse((m) => (layers(m)[1].config.units = 257), /^in\/model\.json: the model has 257 softmax outputs; MLP Lab models have at most 256 classes/));
  it('a shard named twice', () => refuse((m) => m.weightsManifest[0].paths.push('./group1-shard1of1.bin'), /^in\/model\.json: weightsManifest\[0\]\.paths\[1\] names the shard group1-shard1of1\.bin again/));
  it('weights.bin over the limit from the layers alone', () =>
    refuse((m) => layers(m).splice(1, 0, { class_name: 'Dense', config: { name: 'c', units: 100_000, activation: 'relu', use_bias: true } }, { class_name: 'Dense', config: { name: 'd', units: 100_000, activation: 'relu', use_bias: true } }),
      /^in\/model\.json: layer d \(100000 inputs, 100000 units\) brings weights\.bin past the 512 MiB a model's weights may take/));
  it.each([
    ['float32', undefined],
    ['uint8 (a quarter of the bytes stored, four times that as float32)', { dtype: 'uint8', scale: 1, min: 0 }],
  ])('a %s weight whose declared shape passes the limit, before any shard is read', async (_, quantization) => {
    const { modelJson } = await good();
    const json = structuredClone(modelJson) as Record<string, any>;
    Object.assign(json.weightsManifest[0].weights[0], { shape: [784, 200_000], quantization });
    const reads: string[] = [];
    const e = importModel({ ...source(json, {}), readShard: async (name) => (reads.push(name), new Uint8Array(0)) });
    await expect(e).rejects.toThrow(/^in\/model\.json: weightsManifest\[0\]\.weights\[0\] \(a\/kernel\) of shape \[784, 200000\] brings the weights past the 512 MiB/);
    expect(reads).toEqual([]);
  });
  it('reads each shard no further than its group still needs', async () => {
    const { modelJson, shard } = await good();
    const json = structuredClone(modelJson) as Record<string, any>;
    json.weightsManifest[0].paths = ['one.bin', 'two.bin'];
    const limits: [string, number][] = [];
    const shards: Record<string, Uint8Array> = { 'one.bin': shard.subarray(0, 10_000), 'two.bin': shard.subarray(10_000) };
    await importModel({ ...source(json, shards), readShard: async (name, maxBytes) => (limits.push([name, maxBytes]), shards[name]) });
    expect(limits).toEqual([['one.bin', 12_760], ['two.bin', 2_760]]);
  });
  it('a branching Functional model', async () => {
    const json = {
      modelTopology: {
        class_name: 'Functional',
        config: {
          layers: [
            { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 784], name: 'in' }, inbound_nodes: [] },
            { class_name: 'Dense', name: 'x', config: { name: 'x', units: 10, activation: 'softmax' }, inbound_nodes: [[['in', 0, 0, {}]]] },
            { class_name: 'Dense', name: 'y', config: { name: 'y', units: 10, activation: 'softmax' }, inbound_nodes: [[['in', 0, 0, {}]]] },
          ],
        },
      },
      weightsManifest: [],
    };
    await expect(importModel(source(json, {}))).rejects.toThrow(/layer y reads in, not x: not a chain/);
  });
  it('metadata whose class names or image shape do not fit, naming metadata.json by its path', async () => {
    const { modelJson, shard } = await good();
    const metadata = { format: 'mlp-lab-model', version: 1, name: 'x', datasetId: 'mnist', classNames: ['a', 'b'], imageShape: [28, 28], normalization: 'divide255', spec: (await import('$shared/model-spec')).DEFAULT_SPEC, metrics: {}, history: [], epochsTrained: 0, trainSeconds: 0, backend: 'cpu', created: 'now' };
    await expect(importModel(source(modelJson, { 'group1-shard1of1.bin': shard }, metadata))).rejects.toThrow(/^in\/metadata\.json: classNames lists 2 classes, but the model has 10 outputs/);
    const ten = { ...metadata, classNames: Array.from({ length: 10 }, (_, i) => String(i)), imageShape: [14, 14] };
    await expect(importModel(source(modelJson, { 'group1-shard1of1.bin': shard }, ten))).rejects.toThrow(/^in\/metadata\.json: imageShape is not 28×28/);
  });
});

/** Rounds a float to the nearest half (normal range), for building float16 fixtures. */
function floatToHalf(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}
