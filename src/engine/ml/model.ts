import * as tf from '@tensorflow/tfjs';
import type { Activation, ModelSpec } from '../../shared/model-spec';
import type { SummaryRow } from '../../shared/model-summary';
import { Random } from './random';
import { DIGIT_CLASSES, MODEL_INPUTS } from '../../shared/model-input';

export interface ModelShape {
  inputSize: number;
  numClasses: number;
}

/**
 * Builds the MLP a spec describes as a standard Layers model: input [batch, inputSize] → Dense/Dropout
 * blocks → Dense(numClasses, softmax) → output [batch, numClasses] probabilities. Weights are drawn from
 * the spec's seed, so the same seed gives the same initial model.
 */
export function createModel(spec: ModelSpec, shape: ModelShape = { inputSize: MODEL_INPUTS, numClasses: DIGIT_CLASSES }): tf.Sequential {
  const random = new Random(spec.seed);
  const model = tf.sequential({ name: 'mlp' });
  spec.hiddenLayers.forEach((hidden, i) => {
    model.add(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        units: hidden.units,
        activation: hidden.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: random.seed() }),
        ...(i === 0 ? { inputShape: [shape.inputSize] } : {}),
      }),
    );
    if (hidden.dropout > 0) model.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: hidden.dropout }));
  });
  model.add(
    tf.layers.dense({
      name: 'output',
      units: shape.numClasses,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: random.seed() }),
      ...(spec.hiddenLayers.length === 0 ? { inputShape: [shape.inputSize] } : {}),
    }),
  );
  return model;
}

/** A Dense layer as the training loop sees it, with the dropout that follows it. */
export interface DenseBlock {
  /** [inputs, units] */
  kernel: tf.Variable;
  /** [units] */
  bias: tf.Variable;
  activation: Activation | 'softmax';
  dropout: number;
}

/** The Dense blocks of an MLP built by createModel (or loaded from one), in order. */
export function denseBlocks(model: tf.LayersModel): DenseBlock[] {
  const blocks: DenseBlock[] = [];
  for (const layer of model.layers) {
    const config = layer.getConfig();
    if (layer.getClassName() === 'Dense') {
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      if (!bias) throw new Error(`layer ${layer.name} has no bias; MLP Lab models always have one`);
      blocks.push({ kernel, bias, activation: config.activation as DenseBlock['activation'], dropout: 0 });
    } else if (layer.getClassName() === 'Dropout') {
      const last = blocks.at(-1);
      if (!last) throw new Error('a Dropout layer cannot come first');
      last.dropout = config.rate as number;
    } else if (layer.getClassName() !== 'InputLayer') {
      throw new Error(`unsupported layer ${layer.getClassName()} (${layer.name}): MLP Lab trains Dense/Dropout MLPs`);
    }
  }
  const last = blocks.at(-1);
  if (!last || last.activation !== 'softmax') throw new Error('the last layer must be a Dense softmax layer');
  return blocks;
}

/** Keras' model.summary() as data: one row per layer, plus the total. */
export function summarize(model: tf.LayersModel): { rows: SummaryRow[]; totalParams: number } {
  const rows = model.layers.map((l) => ({
    layer: l.name,
    type: l.getClassName() as SummaryRow['type'],
    outputShape: l.outputShape as SummaryRow['outputShape'],
    params: l.countParams(),
  }));
  return { rows, totalParams: rows.reduce((sum, r) => sum + r.params, 0) };
}

/** λ·Σw² over the given kernels: the part of the loss that L2 adds (the training step and evaluate alike). */
export function l2Penalty(kernels: readonly tf.Tensor[], l2: number): number {
  const sum = tf.tidy(() => tf.addN(kernels.map((k) => tf.sum(tf.square(k)))));
  const value = sum.dataSync()[0];
  sum.dispose();
  return value * l2;
}
