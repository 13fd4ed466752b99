import type { ModelSpec, OptimizerName } from '../model-spec';
import { header, loadDataCode, pyNumber, type CodeOptions } from './python-code';
import { DIGIT_CLASSES } from '../model-input';

const KERAS_OPTIMIZERS: Record<OptimizerName, string> = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

/**
 * A Keras script equivalent to a run: Sequential, Dense and Dropout layers named as MLP Lab names them,
 * compile and fit. The layer sizes it names give the parameter count of the run's model summary.
 */
export function kerasCode(spec: ModelSpec, datasetId: string, options: CodeOptions = {}): string {
  const numClasses = options.numClasses ?? DIGIT_CLASSES;
  const notes = [
    ...(options.notes ?? []),
    'Weights start from Keras\' own random numbers: the seed gives a repeatable run, not MLP Lab\'s run.',
    'fit() shuffles differently from MLP Lab, so the curves differ a little from one batch to the next.',
  ];
  if (spec.lrSchedule === 'cosine') {
    notes.push(
      'The cosine schedule: CosineDecay below falls over this run\'s batches as MLP Lab\'s does, but MLP Lab',
      '  restarts it at each Continue (a warm restart); call fit() again with a fresh schedule to do the same.',
    );
  }
  if (spec.augment) {
    const { maxShift, maxRotation, maxScale } = spec.augment;
    notes.push(
      `Augmentation (shifts up to ${maxShift} px, rotations up to ${maxRotation}°, scaling up to ${Math.round(maxScale * 100)} %)`,
      '  is left out: MLP Lab distorts each image afresh every epoch; add RandomTranslation, RandomRotation',
      '  and RandomZoom layers on 28×28 images to do something like it.',
    );
  }
  const lines = [
    ...header(`MLP Lab run as a Keras script (${datasetId})`, notes),
    '',
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    `keras.utils.set_random_seed(${spec.seed})`,
    '',
    ...loadDataCode(spec, datasetId, 'keras'),
    '',
    'model = keras.Sequential([',
    '    keras.Input(shape=(x_train.shape[1],)),',
  ];
  const regularizer = spec.l2 > 0 ? `, kernel_regularizer=keras.regularizers.l2(${pyNumber(spec.l2)})` : '';
  spec.hiddenLayers.forEach((layer, i) => {
    lines.push(`    layers.Dense(${layer.units}, activation="${layer.activation}"${regularizer}, name="hidden_${i + 1}"),`);
    if (layer.dropout > 0) lines.push(`    layers.Dropout(${pyNumber(layer.dropout)}, name="dropout_${i + 1}"),`);
  });
  lines.push(`    layers.Dense(${numClasses}, activation="softmax"${regularizer}, name="output"),`, '])', 'model.summary()', '');
  lines.push(...optimizerCode(spec));
  lines.push(
    'model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
    'history = model.fit(',
    '    x_train,',
    '    y_train,',
    `    batch_size=${spec.batchSize},`,
    `    epochs=${spec.epochs},`,
  );
  if (spec.validation === 'test') lines.push('    validation_data=(x_test, y_test),');
  else if (spec.validation > 0) lines.push(`    validation_split=${pyNumber(spec.validation)},`);
  const early = spec.earlyStopping;
  if (early) {
    const i = lines.indexOf('history = model.fit(');
    lines.splice(
      i,
      0,
      'early_stopping = keras.callbacks.EarlyStopping(',
      `    monitor="${early.monitor}",`,
      `    patience=${early.patience},`,
      `    min_delta=${pyNumber(early.minDelta)},`,
      `    restore_best_weights=${early.restoreBestWeights ? 'True' : 'False'},`,
      ')',
    );
    lines.push('    callbacks=[early_stopping],');
  }
  lines.push(')', 'test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)', 'print(f"test accuracy: {test_accuracy:.4f}")', '');
  return lines.join('\n');
}

function optimizerCode(spec: ModelSpec): string[] {
  const lines: string[] = [];
  let rate = pyNumber(spec.learningRate);
  if (spec.lrSchedule === 'cosine') {
    const held = spec.validation === 'test' ? 0 : spec.validation;
    lines.push(
      `train_size = len(x_train) - int(len(x_train) * ${pyNumber(held)})`,
      `steps = -(-train_size // ${spec.batchSize}) * ${spec.epochs}`,
      `learning_rate = keras.optimizers.schedules.CosineDecay(${rate}, decay_steps=steps)`,
    );
    rate = 'learning_rate';
  }
  const args = [`learning_rate=${rate}`];
  if (spec.optimizer === 'sgd' && spec.momentum > 0) args.push(`momentum=${pyNumber(spec.momentum)}`);
  if (spec.nesterov) args.push('nesterov=True');
  if (spec.optimizer === 'adagrad') args.push('initial_accumulator_value=0.1');
  lines.push(`optimizer = keras.optimizers.${KERAS_OPTIMIZERS[spec.optimizer]}(${args.join(', ')})`);
  return lines;
}
