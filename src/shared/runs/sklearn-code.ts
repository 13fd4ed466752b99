import type { Activation, ModelSpec } from '../model-spec';
import { header, loadDataCode, pyNumber, type CodeOptions } from './python-code';

const SKLEARN_ACTIVATIONS: Partial<Record<Activation, string>> = { relu: 'relu', tanh: 'tanh', sigmoid: 'logistic', linear: 'identity' };

/** Why MLPClassifier cannot express a spec, or null when it can (with the notes its code carries). */
export function sklearnMismatch(spec: ModelSpec): string | null {
  const activations = new Set(spec.hiddenLayers.map((l) => l.activation));
  if (activations.size > 1) return 'MLPClassifier uses one activation for every hidden layer';
  const [activation] = activations;
  if (activation && !SKLEARN_ACTIVATIONS[activation]) return `MLPClassifier has no ${activation} activation`;
  if (spec.hiddenLayers.length === 0) return 'MLPClassifier needs at least one hidden layer';
  if (spec.hiddenLayers.some((l) => l.dropout > 0)) return 'MLPClassifier has no dropout';
  if (spec.optimizer !== 'sgd' && spec.optimizer !== 'adam') return `MLPClassifier has no ${spec.optimizer} solver (only sgd and adam)`;
  return null;
}

/**
 * The run as scikit-learn MLPClassifier code, where the spec fits (sklearnMismatch is null); null
 * otherwise. hidden_layer_sizes names the same layers as the run's summary.
 */
export function sklearnCode(spec: ModelSpec, datasetId: string, options: Pick<CodeOptions, 'notes'> = {}): string | null {
  if (sklearnMismatch(spec) !== null) return null;
  const notes = [...(options.notes ?? []), 'Weights start from scikit-learn\'s own random numbers: the seed repeats its run, not MLP Lab\'s.'];
  // MLP Lab's penalty is l2·Σw² on each batch's mean loss; scikit-learn's is (alpha / 2)·Σw² / batch size.
  // Rounded to 12 digits, so the exercise preset gives back its 1e-4 rather than 9.999…e-5.
  const alpha = Number((2 * spec.l2 * spec.batchSize).toPrecision(12));
  if (spec.lrSchedule === 'cosine') notes.push('The cosine schedule: scikit-learn has no such schedule, so the rate stays constant.');
  if (spec.augment) notes.push('Augmentation: scikit-learn trains on the images as they are.');
  const early = spec.earlyStopping;
  if (early) {
    notes.push(
      `Early stopping: scikit-learn watches the validation accuracy (MLP Lab watched ${early.monitor}) and always`,
      '  keeps the best epoch\'s weights; tol is its minimum change.',
    );
    if (spec.validation === 'test') notes.push('  It holds out 10 % of the training images: it cannot validate on the test set.');
  } else if (spec.validation === 'test') {
    notes.push('Validation on the test set: the script prints the test score at the end instead of a curve.');
  } else if (spec.validation > 0) {
    notes.push(
      `Validation: MLP Lab held out the last ${Math.round(spec.validation * 1000) / 10} % of the training images and trained on the`,
      '  rest; the script holds out the same images and prints their score at the end instead of a curve.',
    );
  }
  notes.push('model.loss_ (the last epoch\'s training loss) includes the alpha penalty, as MLP Lab\'s loss includes the L2 penalty.');
  const sizes = spec.hiddenLayers.map((l) => l.units);
  const activation = SKLEARN_ACTIVATIONS[spec.hiddenLayers[0]!.activation]!;
  const args = [
    `hidden_layer_sizes=(${sizes.join(', ')}${sizes.length === 1 ? ',' : ''})`,
    `activation="${activation}"`,
    `solver="${spec.optimizer}"`,
    `alpha=${pyNumber(alpha)}`,
    `batch_size=${spec.batchSize}`,
    `learning_rate_init=${pyNumber(spec.learningRate)}`,
    `max_iter=${spec.epochs}`,
    // scikit-learn stops early once the loss improves by less than tol for n_iter_no_change epochs
    // (10 by default): as many as max_iter makes max_iter the number of epochs, as in MLP Lab. With early
    // stopping the run's own patience takes that place (below).
    ...(early ? [] : [`n_iter_no_change=${spec.epochs}`]),
    'shuffle=True',
    `random_state=${spec.seed}`,
  ];
  if (early) {
    const held = spec.validation === 'test' ? 0.1 : spec.validation;
    args.push('early_stopping=True', `validation_fraction=${pyNumber(held)}`, `n_iter_no_change=${early.patience}`, `tol=${pyNumber(early.minDelta)}`);
  }
  if (spec.optimizer === 'sgd') {
    args.push('learning_rate="constant"', `momentum=${pyNumber(spec.momentum)}`, `nesterovs_momentum=${spec.nesterov ? 'True' : 'False'}`);
  } else {
    args.push('epsilon=1e-07');
  }
  const lines = [
    ...header(`MLP Lab run as scikit-learn code (${datasetId})`, notes),
    '',
    'import numpy as np',
    'from sklearn.datasets import fetch_openml',
    'from sklearn.neural_network import MLPClassifier',
    '',
    ...loadDataCode(spec, datasetId, 'openml'),
    ...heldOutLines(spec),
    '',
    'model = MLPClassifier(',
    ...args.map((a) => `    ${a},`),
    ')',
    '# max_iter counts epochs; it stops there with a ConvergenceWarning, as the notebooks expect.',
    'model.fit(x_train, y_train)',
    'print(f"train accuracy: {model.score(x_train, y_train):.4f}, loss: {model.loss_:.4f}")',
    ...(typeof spec.validation === 'number' && spec.validation > 0 ? ['print(f"validation accuracy: {model.score(x_val, y_val):.4f}")'] : []),
    'print(f"test accuracy: {model.score(x_test, y_test):.4f}")',
    '',
  ];
  return lines.join('\n');
}

/** The held-out end of the training images, as MLP Lab splits them (floor(n · fraction), as Keras does). */
function heldOutLines(spec: ModelSpec): string[] {
  if (typeof spec.validation !== 'number' || spec.validation <= 0) return [];
  return [
    `held_out = int(len(x_train) * ${pyNumber(spec.validation)})`,
    'x_train, x_val = x_train[:-held_out], x_train[-held_out:]',
    'y_train, y_val = y_train[:-held_out], y_train[-held_out:]',
  ];
}
