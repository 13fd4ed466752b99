import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelPayload } from '$shared/models';
import type { ModelMetadata } from '$shared/model-metadata';
import { DEFAULT_SPEC, type Normalization } from '$shared/model-spec';
import { INPUT_PIXELS, INPUT_SIDE } from '$renderer/lib/input-size';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A small real MLP (784 → hidden → 10 softmax) and its payload as main sends it: model.json's topology
 * and weights manifest, weights.bin's bytes, MLP Lab metadata. The caller owns (and disposes) `model`.
 */
export async function makePayload(opts: {
  seed: number;
  hidden?: number;
  id?: string;
  classNames?: string[];
  normalization?: Normalization;
  /** Input values (default 784, a 28×28 image). */
  inputs?: number;
}): Promise<{ payload: ModelPayload; model: tfl.LayersModel }> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [opts.inputs ?? INPUT_PIXELS],
        units: opts.hidden ?? 12,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: opts.seed }),
        biasInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: opts.seed + 100 }),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: opts.seed + 200 }),
      }),
    ],
  });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || artifacts.weightData === undefined) throw new Error('no artifacts');
  const payload: ModelPayload = {
    id: opts.id ?? `model-${opts.seed}`,
    metadata: metadata(`test model ${opts.seed}`, opts.classNames ?? DIGITS, opts.normalization ?? 'divide255'),
    modelJson: {
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
    },
    weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
  };
  return { payload, model };
}

/** Deterministic 0..1 inputs, some mostly empty like a drawing. */
export function randomInputs(count: number): Float32Array[] {
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: INPUT_PIXELS }, () => (next() < 0.2 ? next() : 0)));
}

function metadata(name: string, classNames: string[], normalization: Normalization): ModelMetadata {
  return {
    format: 'mlp-lab-model',
    version: 1,
    name,
    datasetId: 'mnist',
    classNames,
    imageShape: [INPUT_SIDE, INPUT_SIDE],
    normalization,
    spec: { ...DEFAULT_SPEC, hiddenLayers: [{ units: 12, activation: 'relu', dropout: 0 }], epochs: 1, validation: 0, normalization },
    metrics: { testAccuracy: 0.9 },
    history: [],
    epochsTrained: 1,
    trainSeconds: 1,
    backend: 'cpu',
    created: '2025-01-01T00:00:00.000Z',
  };
}
