import type { ModelSpec } from './model-spec';
import { DIGIT_CLASSES, MODEL_INPUTS } from './model-input';

export interface SummaryRow {
  layer: string;
  type: 'Dense' | 'Dropout';
  /** [batch, units] with a free batch dimension, as Keras prints it. */
  outputShape: [null, number];
  params: number;
}

/**
 * The model summary createModel would build for a spec, without TensorFlow.js: the training panel shows
 * it live while sliders move. Layer names and counts are the ones createModel and Keras use.
 */
export function summarizeSpec(
  spec: Pick<ModelSpec, 'hiddenLayers'>,
  inputSize = MODEL_INPUTS,
  numClasses = DIGIT_CLASSES,
): { rows: SummaryRow[]; totalParams: number } {
  const rows: SummaryRow[] = [];
  let previous = inputSize;
  spec.hiddenLayers.forEach((hidden, i) => {
    rows.push({ layer: `hidden_${i + 1}`, type: 'Dense', outputShape: [null, hidden.units], params: previous * hidden.units + hidden.units });
    if (hidden.dropout > 0) rows.push({ layer: `dropout_${i + 1}`, type: 'Dropout', outputShape: [null, hidden.units], params: 0 });
    previous = hidden.units;
  });
  rows.push({ layer: 'output', type: 'Dense', outputShape: [null, numClasses], params: previous * numClasses + numClasses });
  return { rows, totalParams: rows.reduce((sum, r) => sum + r.params, 0) };
}
