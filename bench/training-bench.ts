/**
 * `npm run bench`: how fast MLP Lab trains and predicts on this machine, as a table of figures (never
 * assertions). Each TensorFlow.js backend is measured in a child process of its own (backend-child.ts),
 * one after the other so they do not compete for the cores; scikit-learn and PyTorch figures on the
 * same data are added when /usr/bin/python3 has them (reference.py).
 * Exits 1 when a child fails (its stderr is shown); an unavailable backend is a row, not a failure.
 */
import os from 'node:os';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, timeLoadDataset } from '../src/engine/data/load-dataset';
import { requestedThreads } from '../src/engine/ml/cpu-cores';
import { runBackend, runKernel, runReference, type BackendOutcome, type KernelOutcome } from './children';
import { choiceTable, runChoice } from './choice-report';
import { kernelTable } from './kernel-report';
import { int, median } from './format';
import { backendTable, labelOf, referenceTable, stepSection } from './report';
import { exitWhenDone } from './script';

/** wasm on one thread, then on the app's default (or MLP_LAB_WASM_THREADS), then the others. */
function backendRuns(): { backend: string; env: Record<string, string> }[] {
  const threads = requestedThreads();
  const wasm = [1, ...(threads > 1 ? [threads] : [])].map((n) => ({ backend: 'wasm', env: { MLP_LAB_WASM_THREADS: String(n) } }));
  return [...wasm, { backend: 'cpu', env: {} }, { backend: 'tensorflow', env: {} }];
}

async function timeIdx(mnistDir: string, verifyChecksums: boolean): Promise<{ median: number; images: number; runs: number[] }> {
  const runs: number[] = [];
  let images = 0;
  for (let i = 0; i < 3; i++) {
    const timed = await timeLoadDataset(mnistDir, 'mnist', { verifyChecksums });
    runs.push(timed.ms);
    images = timed.images;
  }
  return { median: median(runs), images, runs };
}

/** Other work on a shared machine skews every figure: the 1, 5 and 15 minute load averages say how much. */
const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(', ');

async function main(): Promise<number> {
  const started = performance.now();
  const cpus = os.cpus();
  const out: string[] = [];
  out.push('# MLP Lab bench');
  out.push(
    `machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.platform()} ${os.arch()}, ` +
      `Node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; load average at start ${loadAverage()}`,
  );
  out.push(
    'workload: MNIST, preset sklearn-exercise (784-50-10 relu/softmax, SGD lr 0.1 Nesterov momentum 0.9, L2 2.5e-7 = scikit-learn alpha 1e-4), seed 1',
  );

  const mnistDir = bundledDatasetDir(RESOURCES_DIR, 'mnist');
  process.stderr.write('[bench] IDX load + parse, 3 runs each\n');
  const idxChecked = await timeIdx(mnistDir, true);
  const idxUnchecked = await timeIdx(mnistDir, false);

  // `npm run bench -- --kernel`: the training kernel and the references only (a shorter run to repeat).
  const kernelOnly = process.argv.includes('--kernel');
  process.stderr.write('[bench] training kernel: child process\n');
  const kernel: KernelOutcome = await runKernel();
  if (kernel.kind === 'failed') process.stderr.write(`[bench] kernel FAILED: ${kernel.reason}\n`);
  const outcomes: BackendOutcome[] = [];
  for (const { backend, env } of kernelOnly ? [] : backendRuns()) {
    process.stderr.write(`[bench] backend ${labelOf(backend)} ${JSON.stringify(env)}: child process\n`);
    const outcome = await runBackend(backend, env);
    if (outcome.kind === 'failed') process.stderr.write(`[bench] ${labelOf(backend)} FAILED: ${outcome.reason}\n`);
    outcomes.push(outcome);
  }
  process.stderr.write('[bench] backend choice per preset: child process with every backend\n');
  const choice = await runChoice();
  if (choice.kind === 'failed') process.stderr.write(`[bench] backend choice FAILED: ${choice.reason}\n`);
  const reference = await runReference(mnistDir);
  if (reference.kind === 'failed') process.stderr.write(`[bench] reference FAILED: ${reference.reason}\n`);

  const measured = outcomes.flatMap((o) => (o.kind === 'figures' ? [o.figures] : []));
  const wasm = measured.filter((f) => f.backend === 'wasm');

  out.push('', '## Training kernel (issue 22): one WebAssembly call per batch', '');
  out.push(kernel.kind === 'figures' ? kernelTable(kernel.figures, reference.kind === 'figures' ? reference.reference : null) : `FAILED: ${kernel.reason}`);
  if (kernelOnly) {
    if (reference.kind !== 'figures') out.push('', `reference (scikit-learn, PyTorch): ${reference.kind === 'failed' ? 'FAILED: ' : ''}${reference.reason}`);
    out.push('', `bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadAverage()}`);
    console.log(out.join('\n'));
    return kernel.kind === 'failed' || reference.kind === 'failed' ? 1 : 0;
  }
  out.push('', '## Training and inference', '', backendTable(outcomes));
  out.push(
    '',
    `samples/s: wall clock of one train() call (its one-off setup included), in brackets train()'s own in-loop figure; ` +
      'after 1 warm-up epoch on 6,000 images; 2 epochs × 60,000 images, no validation.',
  );
  out.push(
    'model.fit: the same net with the same L2 as a Layers model, tf.train.momentum(0.1, 0.9, nesterov), ' +
      'categoricalCrossentropy, batch 200, 1 epoch × 12,000 images already uploaded as tensors, after a 1,000-image warm-up. ' +
      'speed-up = fast loop b200 (wall) / model.fit.',
  );
  out.push(
    'inference: model.predict on a [1,784] tensor + dataSync (tensor built from a test image each call), ' +
      'trained sklearn-exercise model, 500 calls after 50 warm-up calls.',
  );
  const accuracy = measured.map((f) => `${f.label} b200 ${(100 * f.fast.b200.accuracy).toFixed(1)} %, b32 ${(100 * f.fast.b32.accuracy).toFixed(1)} %`);
  if (accuracy.length) out.push(`sanity, training accuracy of the last measured epoch: ${accuracy.join('; ')}.`);

  out.push('', '## Backend choice (per preset: each backend forced, and what the app chooses)', '');
  if (choice.kind === 'figures') {
    out.push(choiceTable(choice.figures));
    out.push(
      '',
      `samples/s: median over ${choice.figures.rounds} alternating rounds of one train() epoch on the first N training images ` +
        `(${choice.figures.cases.map((c) => `${c.preset} b${c.batchSize}: ${int(c.images)}`).join(', ')}), every backend started in one process as in the app. ` +
        'auto: the choice made as a run makes it (a fresh measurement, no cache; "choice ms"), then train() on the chosen backend; ' +
        'auto / faster: its median against the faster forced backend.',
    );
  } else out.push(`${choice.kind === 'failed' ? 'FAILED' : 'not measured'}: ${choice.reason} (npm run native:install builds tfjs-node)`);

  out.push('', '## IDX load + parse', '');
  out.push(
    `${int(idxChecked.images)} images + labels from 4 .gz files (read, gunzip, header checks): ` +
      `median ${int(idxChecked.median)} ms with SHA-256 verification, ${int(idxUnchecked.median)} ms without ` +
      `(3 runs each: ${idxChecked.runs.map(int).join(', ')} / ${idxUnchecked.runs.map(int).join(', ')} ms).`,
  );

  out.push('', '## Reference (same MNIST, X/255, /usr/bin/python3)', '');
  if (reference.kind === 'missing') out.push(`scikit-learn / PyTorch: ${reference.reason}`);
  else if (reference.kind === 'failed') out.push(`FAILED: ${reference.reason}`);
  else {
    out.push(referenceTable(reference.reference, wasm));
    out.push(
      '',
      'scikit-learn: MLPClassifier(hidden_layer_sizes=(50,), solver="sgd", learning_rate_init=0.1, alpha=1e-4, batch_size=200, ' +
        'max_iter=3, random_state=1); samples/s = 60,000 × epochs / fit seconds. PyTorch: the same 784-50-10 relu net, ' +
        'SGD lr 0.1 momentum 0.9 Nesterov (weight_decay 5e-7 = our L2 2.5e-7), 2 epochs after 20 warm-up batches. ' +
        'Ratios: our wasm wall-clock figure at the same batch size, on 1 thread / on N threads.',
    );
  }

  out.push('', '## Where one fast-loop training step goes (tf.profile on TrainStep.run)', '');
  for (const f of measured) out.push(stepSection(f), '');
  out.push(
    'wall: mean of ≥10 unprofiled steps (~1 s) on one uploaded batch; kernel ms: mean over 10 profiled single steps. ' +
      'Outside kernels = op dispatch, tidy bookkeeping and the JS softmax/loss on the logits.',
  );
  out.push('', `bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadAverage()}`);
  console.log(out.join('\n'));

  const failed = outcomes.some((o) => o.kind === 'failed') || reference.kind === 'failed' || kernel.kind === 'failed' || choice.kind === 'failed';
  if (failed) console.error('bench: at least one child failed (see its stderr above)');
  return failed ? 1 : 0;
}

exitWhenDone('bench', main());
