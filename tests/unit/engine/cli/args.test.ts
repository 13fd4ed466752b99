import { describe, expect, it } from 'vitest';
import { findPreset } from '$shared/presets';
import { HELP, parseTrainArgs, UsageError } from '$engine/cli/args';

describe('parseTrainArgs', () => {
  it('starts from the preset and lets explicit flags override it', () => {
    const command = parseTrainArgs(['--preset', 'sklearn-exercise', '--epochs', '3', '--hidden', '64,32', '--lr', '0.05']);
    const preset = findPreset('sklearn-exercise')!.spec;
    expect(command.spec).toEqual({
      ...preset,
      epochs: 3,
      learningRate: 0.05,
      hiddenLayers: [
        { units: 64, activation: 'relu', dropout: 0 },
        { units: 32, activation: 'relu', dropout: 0 },
      ],
    });
    expect(command).toMatchObject({ presetId: 'sklearn-exercise', dataset: 'mnist', summary: false, json: false });
  });

  it('trains on the preset’s own dataset unless --dataset says otherwise', () => {
    expect(parseTrainArgs(['--preset', 'keras-two-layers'])).toMatchObject({ dataset: 'fashion-mnist' });
    expect(parseTrainArgs(['--preset', 'keras-two-layers', '--dataset', 'mnist'])).toMatchObject({ dataset: 'mnist' });
    expect(parseTrainArgs([])).toMatchObject({ dataset: 'mnist' });
  });

  it('reads every flag', () => {
    const command = parseTrainArgs([
      '--hidden', '10', '--activation', 'tanh', '--dropout', '0.3', '--optimizer', 'sgd', '--momentum', '0.8',
      '--nesterov', 'on', '--l2', '0.001', '--batch-size', '50', '--epochs', '2', '--validation', 'test',
      '--normalize', 'unit', '--subset', '500', '--augment', '--seed', '9', '--dataset', 'fashion-mnist',
      '--data-dir', '/data', '--out', '/models/x', '--summary', '--json',
    ]);
    expect(command.spec).toMatchObject({
      hiddenLayers: [{ units: 10, activation: 'tanh', dropout: 0.3 }],
      optimizer: 'sgd',
      momentum: 0.8,
      nesterov: true,
      l2: 0.001,
      batchSize: 50,
      epochs: 2,
      validation: 'test',
      normalization: 'unit',
      trainSubset: 500,
      seed: 9,
    });
    expect(command.spec.augment).not.toBeNull();
    expect(command).toMatchObject({ dataset: 'fashion-mnist', dataDir: '/data', outDir: '/models/x', summary: true, json: true });
  });

  it('drops a preset’s SGD momentum when another optimizer is chosen', () => {
    const { spec } = parseTrainArgs(['--preset', 'sklearn-exercise', '--optimizer', 'adam', '--lr', '0.001']);
    expect(spec).toMatchObject({ optimizer: 'adam', momentum: 0, nesterov: false });
  });

  const bad: [string[], RegExp][] = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--preset', 'nope'], /unknown preset "nope"; choose one of sklearn-exercise/],
    [['--epochs', 'ten'], /--epochs needs a number \(got "ten"\)/],
    [['--batch-size', '3.5'], /--batch-size needs a whole number/],
    [['--activation', 'swish'], /--activation must be one of relu, tanh/],
    [['--dropout', '0.95'], /layer 1 dropout must be from 0 to 0.9/],
    [['--optimizer', 'adam', '--momentum', '0.9'], /momentum applies to the sgd optimizer only/],
    [['--dataset', 'cifar'], /unknown dataset "cifar"/],
    [['--normalize', '1'], /--normalize must be one of 255, unit/],
    [['--epochs'], /argument missing/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      expect(() => parseTrainArgs(argv)).toThrow(UsageError);
      expect(() => parseTrainArgs(argv)).toThrow(message);
    });
  }

  it('documents every flag in --help', () => {
    for (const flag of ['--preset', '--hidden', '--activation', '--dropout', '--optimizer', '--lr', '--momentum', '--nesterov',
      '--l2', '--batch-size', '--epochs', '--validation', '--normalize', '--subset', '--augment', '--seed', '--dataset',
      '--data-dir', '--out', '--summary', '--json', '--help', '--backend', '--cache-dir']) {
      expect(HELP).toContain(flag);
    }
  });

  it('takes a backend to pin and a folder for the backend cache, none by default', () => {
    expect(parseTrainArgs([])).toMatchObject({ backend: null, cacheDir: null });
    expect(parseTrainArgs(['--backend', 'tensorflow', '--cache-dir', '/c'])).toMatchObject({ backend: 'tensorflow', cacheDir: '/c' });
    expect(() => parseTrainArgs(['--backend', 'gpu'])).toThrow('--backend must be one of kernel, tensorflow, wasm, cpu (got "gpu")');
    expect(parseTrainArgs(['--backend', 'kernel'])).toMatchObject({ backend: 'kernel' });
    expect(() => parseTrainArgs(['--cache-dir', ' '])).toThrow('--cache-dir needs a folder');
  });
});
