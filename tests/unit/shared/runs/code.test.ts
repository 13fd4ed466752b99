import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT, DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { summarizeSpec } from '$shared/model-summary';
import { PRESETS } from '$shared/presets';
import { kerasCode } from '$shared/runs/keras-code';
import { pyNumber } from '$shared/runs/python-code';
import { sklearnCode, sklearnMismatch } from '$shared/runs/sklearn-code';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-code-');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

const spec = (change: Partial<ModelSpec>): ModelSpec => ({ ...DEFAULT_SPEC, ...change });
const relu = (units: number, dropout = 0) => ({ units, activation: 'relu' as const, dropout });

/** Specs that use every branch of the generators, and every preset. */
const SPECS: { name: string; spec: ModelSpec; dataset: string }[] = [
  ...PRESETS.map((p) => ({ name: p.id, spec: p.spec, dataset: p.dataset })),
  {
    name: 'everything at once',
    spec: spec({
      hiddenLayers: [relu(128, 0.2), { units: 64, activation: 'tanh', dropout: 0 }, relu(32, 0.5)],
      optimizer: 'sgd',
      momentum: 0.9,
      nesterov: true,
      lrSchedule: 'cosine',
      l2: 1e-4,
      validation: 'test',
      normalization: 'unit',
      trainSubset: 5000,
      augment: DEFAULT_AUGMENT,
      seed: 4_000_000_000,
    }),
    dataset: 'fashion-mnist',
  },
  { name: 'no hidden layer, imported data', spec: spec({ hiddenLayers: [], optimizer: 'adagrad' }), dataset: "my 'odd' set" },
  { name: 'hostile dataset id', spec: spec({}), dataset: "x\nimport os\r\u2028y = '" },
  { name: 'rmsprop', spec: spec({ optimizer: 'rmsprop', learningRate: 2.5e-7 }), dataset: 'mnist' },
];

/** The parameters of the Dense layers a script names: inputs · units + units each, from 784 inputs. */
function paramsOf(units: number[], classes = 10): number {
  let total = 0;
  let previous = 784;
  for (const u of [...units, classes]) {
    total += previous * u + u;
    previous = u;
  }
  return total;
}

describe('Copy as Keras', () => {
  it.each(SPECS)('names the layers of the summary, with its parameter count: $name', ({ spec }) => {
    const code = kerasCode(spec, 'mnist');
    const dense = [...code.matchAll(/layers\.Dense\((\d+),/g)].map((m) => Number(m[1]));
    expect(dense.at(-1)).toBe(10);
    expect(paramsOf(dense.slice(0, -1))).toBe(summarizeSpec(spec).totalParams);
    const dropouts = [...code.matchAll(/layers\.Dropout\(([\d.]+)/g)].map((m) => Number(m[1]));
    expect(dropouts).toEqual(spec.hiddenLayers.filter((l) => l.dropout > 0).map((l) => l.dropout));
  });

  it('uses the notebooks’ idioms and says what does not translate', () => {
    const all = SPECS.find((s) => s.name === 'everything at once')!.spec;
    const code = kerasCode(all, 'fashion-mnist');
    for (const idiom of ['keras.Sequential([', 'model.compile(', 'model.fit(', 'validation_data=(x_test, y_test)', 'keras.datasets.fashion_mnist']) {
      expect(code).toContain(idiom);
    }
    expect(code).toContain('keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9, nesterov=True)');
    expect(code).toContain('kernel_regularizer=keras.regularizers.l2(0.0001)');
    expect(code).toContain('x_train[:5000]');
    expect(code).toMatch(/# What does not translate exactly:[\s\S]*cosine schedule[\s\S]*Augmentation/);
    expect(kerasCode(spec({ validation: 0.1 }), 'mnist')).toContain('validation_split=0.1,');
    expect(kerasCode(spec({ validation: 0 }), 'mnist')).not.toMatch(/validation_/);
  });
});

describe('Copy as scikit-learn', () => {
  it('fits the sklearn exercise preset, with its layer sizes and alpha', () => {
    const preset = PRESETS.find((p) => p.id === 'sklearn-exercise')!;
    const code = sklearnCode(preset.spec, preset.dataset)!;
    expect(code).toContain('hidden_layer_sizes=(50,)');
    expect(code).toContain('solver="sgd"');
    // The preset turned MLPClassifier's alpha=1e-4 into Keras terms; the code turns it back.
    expect(code).toContain("alpha=0.0001,");
    const sizes = code.match(/hidden_layer_sizes=\(([\d, ]+),?\)/)![1]!.split(',').filter(Boolean).map(Number);
    expect(paramsOf(sizes)).toBe(summarizeSpec(preset.spec).totalParams);
  });

  it('refuses specs it cannot express, saying why', () => {
    expect(sklearnMismatch(spec({ hiddenLayers: [relu(10, 0.5)] }))).toMatch(/dropout/);
    expect(sklearnMismatch(spec({ optimizer: 'rmsprop' }))).toMatch(/rmsprop/);
    expect(sklearnMismatch(spec({ hiddenLayers: [{ units: 5, activation: 'elu', dropout: 0 }] }))).toMatch(/elu/);
    expect(sklearnMismatch(spec({ hiddenLayers: [relu(5), { units: 5, activation: 'tanh', dropout: 0 }] }))).toMatch(/one activation/);
    expect(sklearnCode(spec({ optimizer: 'adagrad' }), 'mnist')).toBeNull();
    expect(sklearnMismatch(spec({ hiddenLayers: [relu(20), relu(10)] }))).toBeNull();
  });

  it('trains on the images MLP Lab trained on, for exactly max_iter epochs, and prints the loss it notes', () => {
    const code = sklearnCode(spec({ validation: 0.1, epochs: 30 }), 'mnist')!;
    // The last 10 % held out as MLP Lab holds them out (floor), not fitted on.
    expect(code).toContain('held_out = int(len(x_train) * 0.1)');
    expect(code).toContain('x_train, x_val = x_train[:-held_out], x_train[-held_out:]');
    expect(code.indexOf('x_train[-held_out:]')).toBeLessThan(code.indexOf('model.fit('));
    expect(code).toMatch(/held out the last 10 % of the training images/);
    expect(code).toContain('model.score(x_val, y_val)');
    // Without it scikit-learn may stop a 30-epoch run after 11 quiet epochs.
    expect(code).toContain('max_iter=30,');
    expect(code).toContain('n_iter_no_change=30,');
    expect(code).toContain('model.loss_');
    expect(code).not.toMatch(/loss scikit-learn prints/);
    const whole = sklearnCode(spec({ validation: 0 }), 'mnist')!;
    expect(whole).not.toContain('held_out');
  });

  it('notes the cosine schedule and the augmentation it leaves out', () => {
    const code = sklearnCode(spec({ lrSchedule: 'cosine', augment: DEFAULT_AUGMENT }), 'mnist')!;
    expect(code).toMatch(/cosine schedule/);
    expect(code).toMatch(/Augmentation/);
  });
});

describe('generated code', () => {
  it('keeps a hostile dataset id (from a run file) inside its comments', () => {
    const id = "x\nimport os; os.system('rm -rf ~')\r\u2028constructor";
    for (const code of [kerasCode(DEFAULT_SPEC, id), sklearnCode(DEFAULT_SPEC, id)!, kerasCode(DEFAULT_SPEC, 'constructor')]) {
      expect(code.split('\n').filter((line) => line.includes('import os') || line.includes('constructor')).every((l) => l.startsWith('#'))).toBe(true);
      expect(code).toContain('load_my_dataset()');
    }
  });

  it('writes numbers as Python reads them', () => {
    expect([1, 0.001, 2.5e-7, 4_000_000_000].map(pyNumber)).toEqual(['1.0', '0.001', '2.5e-7', '4000000000.0']);
  });

  it.skipIf(python === null)('parses as Python (python3 -m py_compile), every spec and both generators', async () => {
    const dir = await newDir();
    const files: string[] = [];
    for (const [i, { spec, dataset }] of SPECS.entries()) {
      const keras = path.join(dir, `keras_${i}.py`);
      await writeFile(keras, kerasCode(spec, dataset));
      files.push(keras);
      const sklearn = sklearnCode(spec, dataset);
      if (sklearn === null) continue;
      const file = path.join(dir, `sklearn_${i}.py`);
      await writeFile(file, sklearn);
      files.push(file);
    }
    expect(files.filter((f) => f.includes('sklearn_')).length).toBeGreaterThan(1);
    // Throws, with Python's SyntaxError on stderr, if any file does not parse.
    execFileSync(python!, ['-m', 'py_compile', ...files], { stdio: 'pipe' });
  });

  if (python === null) it.skip('parses as Python: skipped because python3 is not on this machine', () => undefined);
});
