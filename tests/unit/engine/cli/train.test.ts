import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';
import { loadModel } from '$engine/ml/persist';
import { REPO_ROOT } from '$tests/helpers/datasets';
import { hasTfjsNode } from '$tests/helpers/tfjs-node';

const SCRIPT = path.join(REPO_ROOT, 'src/engine/cli/train.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run train` does; onLine may signal the process while it runs. */
function cli(
  args: string[],
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
  // An undefined value takes the variable out of the child's environment (spawn skips undefined values).
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (onLine) for (const line of chunk.toString().split('\n')) if (line) onLine(line, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run train', () => {
  it('exits 2 with a clear message on an unknown flag or a bad value', async () => {
    const unknown = await cli(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/error: Unknown option '--bogus'/);
    const bad = await cli(['--lr', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lr needs a number \(got "fast"\)/);
  });

  it('refuses, before training, an --out folder holding other files, and leaves them be', async () => {
    const out = path.join(dir, 'busy');
    await mkdir(out);
    await writeFile(path.join(out, 'notes.txt'), 'mine');
    const run = await cli(['--preset', 'sklearn-exercise', '--subset', '1000', '--epochs', '1', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: --out ${out} holds notes.txt, which saving would delete`);
    expect(run.stdout).not.toMatch(/Epoch/);
    expect(await readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('prints the model summary without training', async () => {
    const run = await cli(['--preset', 'keras-two-layers', '--summary']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dropout_1 \(Dropout\)\s+\[null,50\]\s+0/);
    expect(run.stdout).toMatch(/Total params: 42,310/);
    expect(run.stdout).not.toMatch(/Epoch/);
  });

  it('trains, prints Keras-like epochs, saves a loadable model and ends with one JSON line', async () => {
    const out = path.join(dir, 'model');
    const run = await cli(['--preset', 'sklearn-exercise', '--subset', '3000', '--epochs', '2', '--validation', '0.1', '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => /^Epoch \d\/2 - [\d.]+s - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+ - [\d,]+ samples\/s$/.test(l))).toHaveLength(2);
    expect(run.stdout).toMatch(/test loss: [\d.]+ - test accuracy: 0\.[89]\d+/);
    const summary = JSON.parse(lines.at(-1)!);
    // Scripts (bench:app among them) read these keys: exactly these, in this order.
    expect(Object.keys(summary)).toEqual([
      'dataset', 'preset', 'backend', 'threads', 'backendChoice', 'params', 'epochs', 'trainSeconds', 'samplesPerSecond', 'trainAccuracy', 'testAccuracy', 'testLoss', 'stopped',
      'stepper', 'stepperDetail', 'kernelFallback',
    ]);
    expect(summary).toMatchObject({ dataset: 'mnist', preset: 'sklearn-exercise', params: 39_760, epochs: 2, stopped: false });
    // MLP_LAB_BACKEND pins a backend (the native CI pass); unset, the kernel is a candidate of the measured
    // choice. The chosen one steps, and nothing made the kernel fall back.
    const pinned = process.env.MLP_LAB_BACKEND;
    if (pinned) expect(summary.backendChoice).toMatchObject({ name: pinned, how: 'pinned' });
    else expect(summary.backendChoice.rates.map((r: { name: string }) => r.name)).toContain('kernel');
    expect(summary).toMatchObject({ stepper: summary.backendChoice.name === 'kernel' ? 'kernel' : 'tfjs', kernelFallback: null });
    expect(summary.testAccuracy).toBeGreaterThan(0.85);
    expect(summary.trainAccuracy).toBeGreaterThan(0.85);
    expect(run.stdout).toContain(`train accuracy: ${summary.trainAccuracy.toFixed(4)}`);

    const { model, metadata } = await loadModel(out);
    expect(metadata.metrics.testAccuracy).toBeCloseTo(summary.testAccuracy, 10);
    expect(metadata.metrics.trainAccuracy).toBeCloseTo(summary.trainAccuracy, 10);
    expect(metadata).toMatchObject({ name: 'sklearn-exercise', epochsTrained: 2, trainSeconds: summary.trainSeconds });
    expect(metadata.history).toHaveLength(2);
    expect(model.countParams()).toBe(39_760);
    model.dispose();
  });

  it('names its wasm threads in the backend line and the JSON, and exits cleanly when done', async () => {
    const args = ['--preset', 'sklearn-exercise', '--subset', '1000', '--epochs', '1', '--validation', '0', '--json'];
    const env = { MLP_LAB_BACKEND: 'wasm' };
    for (const [threads, line] of [['2', 'wasm (SIMD, 2 threads)'], ['1', 'wasm (SIMD, 1 thread)']] as const) {
      const run = await cli(args, undefined, { ...env, MLP_LAB_WASM_THREADS: threads });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe(`backend: ${line}`);
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ backend: 'wasm', threads: Number(threads), stepper: 'tfjs' });
    }
    const bad = await cli(args, undefined, { ...env, MLP_LAB_WASM_THREADS: 'many' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Backend "wasm" is not available here: MLP_LAB_WASM_THREADS must be a whole number from 1 to 64 \(got "many"\)/);
  });

  it('chooses the backend by measuring this model when there is more than one, caches it under --cache-dir, and says so', async () => {
    const cacheDir = path.join(dir, 'choice-cache');
    const args = ['--preset', 'sklearn-exercise', '--subset', '400', '--epochs', '1', '--validation', '0', '--json', '--cache-dir', cacheDir];
    // Not pinned, whatever this test run pins (CI's native pass sets MLP_LAB_BACKEND): the choice itself is under test.
    const env = { MLP_LAB_BACKEND: undefined };
    const choose = async (): Promise<Record<string, any>> => {
      const run = await cli(args, undefined, env);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
      expect(run.stdout).toContain(`training on ${summary.backendChoice.text}\n`);
      // TensorFlow's start-up lines (absl, oneDNN) are kept off stderr.
      expect(run.stderr).not.toMatch(/InitializeLog|oneDNN|cpu_feature_guard/);
      return summary;
    };
    const first = await choose();
    const { backendChoice } = first;
    expect(first.backend).toBe(backendChoice.name);
    // The training kernel is a candidate beside every TensorFlow.js backend that started.
    expect(backendChoice.how).toBe('measured');
    expect(backendChoice.rates.map((r: { name: string }) => r.name).sort()).toEqual(hasTfjsNode ? ['kernel', 'tensorflow', 'wasm'] : ['kernel', 'wasm']);
    const fastest = backendChoice.rates.reduce((a: any, b: any) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
    expect(backendChoice.name).toBe(fastest.name);
    const label = String.raw`(tfjs-node|wasm \(SIMD, 1 thread\)|kernel \(simd128\))`;
    expect(backendChoice.text).toMatch(new RegExp(`^${label}: (\\d+\\.\\d× faster than|about as fast as) ${label} for this model$`));
    expect(first.stepper).toBe(backendChoice.name === 'kernel' ? 'kernel' : 'tfjs');
    const again = await choose();
    expect(again.backendChoice).toMatchObject({ how: 'cached', name: backendChoice.name, rates: backendChoice.rates });
  }, 360_000);

  it('trains on the backend --backend pins, without measuring', async () => {
    const args = ['--preset', 'sklearn-exercise', '--subset', '400', '--epochs', '1', '--validation', '0', '--json', '--backend', 'wasm'];
    const pinned = await cli(args, undefined, { MLP_LAB_BACKEND: 'tensorflow' });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(JSON.parse(pinned.stdout.trim().split('\n').at(-1)!)).toMatchObject({ backend: 'wasm', backendChoice: { how: 'pinned', rates: [], text: 'wasm (SIMD, 1 thread): pinned' } });
  });

  it('stops after the current batch on Ctrl+C and still saves', async () => {
    const out = path.join(dir, 'interrupted');
    let signalled = false;
    const run = await cli(['--preset', 'sklearn-exercise', '--epochs', '50', '--json', '--out', out], (line, child) => {
      if (!signalled && line.startsWith('Epoch 1/50')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Stopping after the current batch/);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary.stopped).toBe(true);
    expect(summary.epochs).toBeLessThan(50);
    const metadata = JSON.parse(await readFile(path.join(out, 'metadata.json'), 'utf8'));
    expect(metadata.epochsTrained).toBe(summary.epochs);
  });

  it('says which dataset is missing instead of crashing', async () => {
    const run = await cli(['--dataset', 'fashion-mnist', '--epochs', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Fashion-MNIST is not bundled; download it and pass --data-dir DIR/);
    const wrong = await cli(['--data-dir', dir, '--epochs', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/-ubyte\.gz: file not found: expected \S+-ubyte\.gz \(gzip\) or \S+-ubyte \(raw IDX\)/);
  });
});
