import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kerasCode } from '$shared/runs/keras-code';
import { sklearnCode } from '$shared/runs/sklearn-code';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
const spec: ModelSpec = {
  ...DEFAULT_SPEC,
  validation: 0.1,
  earlyStopping: { monitor: 'val_loss', patience: 4, minDelta: 0.001, restoreBestWeights: true },
};

describe('early stopping in the code exports', () => {
  it('maps to Keras\' EarlyStopping callback passed to fit()', () => {
    const code = kerasCode(spec, 'mnist');
    expect(code).toMatch(/early_stopping = keras\.callbacks\.EarlyStopping\(\n {4}monitor="val_loss",\n {4}patience=4,\n {4}min_delta=0\.001,\n {4}restore_best_weights=True,\n\)/);
    expect(code.indexOf('early_stopping = ')).toBeLessThan(code.indexOf('history = model.fit('));
    expect(code).toMatch(/ {4}callbacks=\[early_stopping\],\n\)/);
    expect(kerasCode({ ...spec, earlyStopping: null }, 'mnist')).not.toMatch(/EarlyStopping|callbacks=/);
  });

  it('maps to MLPClassifier\'s early_stopping=True with n_iter_no_change and tol', () => {
    const code = sklearnCode(spec, 'mnist')!;
    for (const arg of ['early_stopping=True,', 'validation_fraction=0.1,', 'n_iter_no_change=4,', 'tol=0.001,']) expect(code).toContain(`    ${arg}`);
    expect(code).toMatch(/watches the validation accuracy/);
    // The test set cannot be MLPClassifier's validation set: it holds out 10 % and says so.
    const onTest = sklearnCode({ ...spec, validation: 'test' }, 'mnist')!;
    expect(onTest).toContain('validation_fraction=0.1,');
    expect(onTest).toMatch(/cannot validate on the test set/);
    expect(sklearnCode({ ...spec, earlyStopping: null }, 'mnist')).not.toMatch(/early_stopping/);
  });

  it.skipIf(python === null)('parses as Python', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'early-code-'));
    try {
      const files = [path.join(dir, 'keras_run.py'), path.join(dir, 'sklearn_run.py')];
      await writeFile(files[0]!, kerasCode(spec, 'mnist'));
      await writeFile(files[1]!, sklearnCode(spec, 'mnist')!);
      execFileSync(python!, ['-m', 'py_compile', ...files], { stdio: 'pipe' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
