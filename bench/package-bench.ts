/**
 * `npm run bench:package`: the figures behind shipping the packages without tfjs-node (issue 28). In one
 * process, alternating rounds: train() on the training kernel (one thread, what a package trains on)
 * and on tfjs-node's step, for the nets MLP Lab's presets use; then the size of each on disk. Figures,
 * never assertions. Without tfjs-node (`npm run native:install` builds it) only the sizes are printed.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ModelSpec } from '../src/shared/model-spec';
import { findPreset } from '../src/shared/presets';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { selectBackend } from '../src/engine/ml/backend';
import { tfjsStepper } from '../src/engine/ml/stepper';
import { kernelStepper } from '../src/engine/kernel/kernel-stepper';
import { RUNTIME_FILES, runtimeDir } from '../src/engine/runtime-files';
import { int, median } from './format';
import { bigNetSpec, measureTrain } from './measure';
import { exitWhenDone } from './script';

const ROUNDS = 3;

/** Bytes of the regular files under `dir` (symlinks followed once, each real file counted once). */
function bytesUnder(dir: string, pattern: RegExp = /./, seen = new Set<string>()): number {
  let total = 0;
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    const real = realpathSync(file);
    if (seen.has(real)) continue;
    seen.add(real);
    const info = statSync(real);
    if (info.isDirectory() && !lstatSync(file).isSymbolicLink()) total += bytesUnder(file, pattern, seen);
    else if (info.isFile() && pattern.test(entry)) total += info.size;
  }
  return total;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<number> {
  const out: string[] = ['# MLP Lab package bench: training kernel vs tfjs-node', `load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`, ''];
  const wasmBytes = bytesUnder(runtimeDir('wasmBinaries'), /\.wasm$/) + bytesUnder(runtimeDir('wasmPthread'));
  out.push(`wasm files a package unpacks: ${mb(wasmBytes)}`);
  let nativeBytes: number | null = null;
  try {
    nativeBytes = bytesUnder(runtimeDir('tfjsNode', createRequire(import.meta.url).resolve));
  } catch {
    // Not installed: a row says so below.
  }
  out.push(`tfjs-node package (native library included): ${nativeBytes === null ? 'not installed' : mb(nativeBytes)}`);

  const report = await selectBackend('tensorflow').catch((error: unknown) => error as Error);
  if (report instanceof Error) {
    out.push('', `tfjs-node did not start (${report.message.split('\n')[0]}): no speed figures.`);
    console.log(out.join('\n'));
    return 0;
  }
  const preset = findPreset('sklearn-exercise');
  if (!preset) throw new Error('preset sklearn-exercise is missing');
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const small: ModelSpec = { ...preset.spec, seed: 1, batchSize: 200 };
  const big = bigNetSpec(small);
  const cases = [
    { label: '784-50-10 SGD, batch 200', spec: small, images: 12_000 },
    { label: '784-50-10 SGD, batch 32', spec: { ...small, batchSize: 32 }, images: 6_000 },
    { label: '784-512-256-10 Adam, batch 256', spec: big, images: 6_000 },
  ];
  out.push('', `samples/s, median of ${ROUNDS} alternating rounds of one train() epoch (after a warm-up epoch)`, '');
  out.push('| net | images | kernel (wasm, the threads it plans) | tfjs-node | kernel / tfjs-node |', '| --- | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const rates: Record<'kernel' | 'native', number[]> = { kernel: [], native: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, stepper] of [['kernel', kernelStepper], ['native', tfjsStepper]] as const) {
        process.stderr.write(`[package] ${c.label} round ${round + 1}/${ROUNDS}: ${name}\n`);
        const { figure, model } = await measureTrain(c.spec, dataset, c.images, 1, stepper);
        model.dispose();
        rates[name].push(figure.samplesPerSecond);
      }
    }
    const k = median(rates.kernel);
    const n = median(rates.native);
    out.push(`| ${c.label} | ${int(c.images)} | ${int(k)} | ${int(n)} | ${(k / n).toFixed(2)}× |`);
  }
  out.push('', `load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}; packages ship ${Object.keys(RUNTIME_FILES).length - 1} of the ${Object.keys(RUNTIME_FILES).length} runtime entries (not tfjs-node).`);
  console.log(out.join('\n'));
  return 0;
}

exitWhenDone('package-bench', main());
