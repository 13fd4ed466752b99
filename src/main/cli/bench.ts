/**
 * `npm run bench`: how fast MLP Lab trains and predicts on this machine, as a table of figures (never
 * assertions). Each TensorFlow.js backend is measured in a child process of its own (bench-backend.ts),
 * one after the other so they do not compete for the cores; scikit-learn and PyTorch figures on the
 * same data are added when /usr/bin/python3 has them (bench-reference.py).
 * Exits 1 when a child fails (its stderr is shown); an unavailable backend is a row, not a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bundledDatasetDir, timeLoadDataset } from '../data/load-dataset';
import type { BenchFigures, BenchUnavailable, StepFigure } from './bench-backend';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESOURCES_DIR = fileURLToPath(new URL('../../../resources', import.meta.url));
const CHILD = fileURLToPath(new URL('./bench-backend.ts', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./bench-reference.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const BACKEND_ORDER = ['wasm', 'cpu', 'tensorflow'] as const;
const CHILD_TIMEOUT_MS = 240_000;
const TOP_KERNELS = 8;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

type BackendOutcome =
  | { kind: 'figures'; figures: BenchFigures }
  | { kind: 'unavailable'; backend: string; reason: string }
  | { kind: 'failed'; backend: string; reason: string };

interface ReferenceRun {
  sklearn: { version: string; dtype: string; epochs: number; seconds: number; samplesPerSecond: number };
  torch:
    | { unavailable: string }
    | {
        version: string;
        threads: number;
        b200: { epochs: number; samplesPerSecond: number };
        b32: { epochs: number; samplesPerSecond: number };
        loader32: { epochs: number; samplesPerSecond: number };
      };
}

type ReferenceOutcome =
  | { kind: 'figures'; reference: ReferenceRun }
  | { kind: 'missing'; reason: string }
  | { kind: 'failed'; reason: string };

/** Runs a command, echoing its stderr live (prefixed lines stay readable) and keeping both streams. */
function run(command: string, args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last stdout line that is a JSON object; other stdout lines (library chatter) go to stderr. */
function lastJsonLine(stdout: string): unknown {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const json = lines.filter((l) => l.trimStart().startsWith('{'));
  const other = lines.filter((l) => !l.trimStart().startsWith('{'));
  if (other.length) process.stderr.write(other.map((l) => `  (stdout) ${l}\n`).join(''));
  if (!json.length) throw new Error('printed no JSON line');
  return JSON.parse(json[json.length - 1]);
}

function failure(result: ChildRun): string | null {
  if (result.timedOut) return `timed out after ${CHILD_TIMEOUT_MS / 1000} s`;
  if (result.code !== 0) return `exited with ${result.code ?? result.signal}: ${errorLine(result.stderr) || 'no stderr'}`;
  return null;
}

/** The line of a child's stderr that names the error (not a stack frame), else its last line. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('['));
  return lines.find((l) => /error|exception/i.test(l) && !l.startsWith('at ')) ?? lines.at(-1) ?? '';
}

async function runBackend(backend: string): Promise<BackendOutcome> {
  const result = await run(process.execPath, ['--import', 'tsx', CHILD, '--backend', backend]);
  const failed = failure(result);
  if (failed) return { kind: 'failed', backend, reason: failed };
  try {
    const parsed = lastJsonLine(result.stdout) as BenchFigures | BenchUnavailable;
    if ('unavailable' in parsed) return { kind: 'unavailable', backend, reason: parsed.unavailable };
    return { kind: 'figures', figures: parsed };
  } catch (error) {
    return { kind: 'failed', backend, reason: `bad output: ${(error as Error).message}` };
  }
}

async function runReference(mnistDir: string): Promise<ReferenceOutcome> {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    return { kind: 'missing', reason: 'not installed (apt-get install python3-sklearn python3-torch)' };
  }
  process.stderr.write('[reference] scikit-learn MLPClassifier and PyTorch on the same MNIST\n');
  const result = await run(PYTHON, [REFERENCE, mnistDir]);
  const failed = failure(result);
  if (failed) return { kind: 'failed', reason: failed };
  try {
    return { kind: 'figures', reference: lastJsonLine(result.stdout) as ReferenceRun };
  } catch (error) {
    return { kind: 'failed', reason: `bad output: ${(error as Error).message}` };
  }
}

async function timeIdx(mnistDir: string, verifyChecksums: boolean): Promise<{ median: number; images: number; runs: number[] }> {
  const runs: number[] = [];
  let images = 0;
  for (let i = 0; i < 3; i++) {
    const timed = await timeLoadDataset(mnistDir, 'mnist', { verifyChecksums });
    runs.push(timed.ms);
    images = timed.images;
  }
  return { median: [...runs].sort((a, b) => a - b)[1], images, runs };
}

// ── formatting ──────────────────────────────────────────────────────────────────────────────────

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number, digits = 2): string => n.toFixed(digits);
const times = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)}×`;

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function backendName(f: BenchFigures): string {
  return f.simd === undefined ? f.label : `${f.label} (${f.simd ? 'SIMD' : 'no SIMD'})`;
}

function trainCell(f: BenchFigures['fast']['b200']): string {
  return `${int(f.samplesPerSecond)} (loop ${int(f.inLoopSamplesPerSecond)})`;
}

function backendTable(outcomes: BackendOutcome[]): string {
  const header = ['backend', 'samples/s b200', 'samples/s b32', 'model.fit samples/s', 'speed-up vs fit', 'inference median / p95 ms'];
  const notes: string[] = [];
  const rows = outcomes.map((o): string[] => {
    if (o.kind !== 'figures') {
      const mark = '²³⁴⁵'[notes.length];
      const reason = o.reason.replace(/^Backend "[^"]*" is not available here: /, '');
      notes.push(`${mark} ${labelOf(o.backend)} ${o.kind === 'failed' ? 'FAILED' : 'unavailable'}: ${reason}`);
      return [`${labelOf(o.backend)} ${mark}`, o.kind === 'failed' ? 'FAILED' : 'unavailable', '—', '—', '—', '—'];
    }
    const f = o.figures;
    const note = isSubset(f) ? ' ¹' : '';
    return [
      `${backendName(f)}${note}`,
      trainCell(f.fast.b200),
      trainCell(f.fast.b32),
      int(f.fit.samplesPerSecond),
      times(f.speedUpVsFit),
      `${ms(f.inference.medianMs, 3)} / ${ms(f.inference.p95Ms, 3)}`,
    ];
  });
  const subsets = outcomes.flatMap((o) => (o.kind === 'figures' && isSubset(o.figures) ? [o.figures] : []));
  const subsetNotes = subsets.map(
    (f) => `¹ ${f.label}: fast loop measured on ${f.fast.b200.epochs} epoch × ${int(f.fast.b200.images)} images only (it is ~20× slower).`,
  );
  return [table(header, rows, [false, true, true, true, true, true]), ...subsetNotes, ...notes].join('\n');
}

const isSubset = (f: BenchFigures): boolean => f.fast.b200.images < 60_000 || f.fast.b200.epochs !== 2;

const labelOf = (backend: string): string => (backend === 'tensorflow' ? 'tfjs-node' : backend);

function referenceTable(reference: ReferenceRun, wasm: BenchFigures | undefined): string {
  const ours = (b: 200 | 32): number | undefined => (b === 200 ? wasm?.fast.b200 : wasm?.fast.b32)?.samplesPerSecond;
  const ratio = (theirs: number, b: 200 | 32): string => {
    const mine = ours(b);
    return mine === undefined ? '—' : times(mine / theirs);
  };
  const s = reference.sklearn;
  const rows: string[][] = [
    [
      `scikit-learn ${s.version} MLPClassifier, ${s.dtype}, ${s.epochs} epochs`,
      '200',
      int(s.samplesPerSecond),
      ratio(s.samplesPerSecond, 200),
    ],
  ];
  const t = reference.torch;
  if ('unavailable' in t) {
    rows.push(['PyTorch', '', `unavailable: ${t.unavailable}`, '']);
  } else {
    for (const [batch, run] of [[200, t.b200], [32, t.b32]] as const) {
      rows.push([
        `PyTorch ${t.version} CPU, ${t.threads} thread${t.threads === 1 ? '' : 's'}, ${run.epochs} epochs`,
        String(batch),
        int(run.samplesPerSecond),
        ratio(run.samplesPerSecond, batch),
      ]);
    }
    rows.push([
      `PyTorch ${t.version} CPU, DataLoader(TensorDataset, shuffle), ${t.loader32.epochs} epoch`,
      '32',
      int(t.loader32.samplesPerSecond),
      ratio(t.loader32.samplesPerSecond, 32),
    ]);
  }
  return table(['reference', 'batch', 'samples/s', 'our wasm / theirs'], rows, [false, true, true, true]);
}

function stepSection(f: BenchFigures): string {
  const lines: string[] = [];
  const main = f.steps[0];
  const summary = (s: StepFigure): string => {
    const gap = s.wallMs - s.kernelMs;
    const outside =
      gap > 0
        ? `outside kernels ${ms(gap, 3)} ms (${Math.round((100 * gap) / s.wallMs)} %)`
        : 'outside kernels ≈ 0 (kernel-bound; profiled kernels ran slower than the unprofiled steps)';
    return (
      `batch ${s.batchSize}: ${ms(s.wallMs, 3)} ms/step wall (unprofiled), ` +
      `${ms(s.kernelMs, 3)} ms in ${Math.round(s.launches)} kernel launches, ${outside}; ` +
      `profiled step ${ms(s.profiledWallMs, 3)} ms`
    );
  };
  for (const s of f.steps) lines.push(`${backendName(f)} — ${summary(s)}`);
  const rows = main.kernels.slice(0, TOP_KERNELS).map((k) => [
    k.name,
    k.calls % 1 === 0 ? String(k.calls) : k.calls.toFixed(1),
    ms(k.ms, 3),
    `${((100 * k.ms) / main.kernelMs).toFixed(1)} %`,
  ]);
  const rest = main.kernels.slice(TOP_KERNELS);
  if (rest.length) {
    const restMs = rest.reduce((sum, k) => sum + k.ms, 0);
    rows.push([
      `(${rest.length} others)`,
      String(Math.round(rest.reduce((sum, k) => sum + k.calls, 0))),
      ms(restMs, 3),
      `${((100 * restMs) / main.kernelMs).toFixed(1)} %`,
    ]);
  }
  lines.push(table([`kernel (batch ${main.batchSize})`, 'calls/step', 'ms/step', 'share of kernel ms'], rows, [false, true, true, true]));
  if (main.wrappers.length) lines.push(`(op wrappers left out, their time is their kernels': ${main.wrappers.join(', ')})`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const started = performance.now();
  const cpus = os.cpus();
  const out: string[] = [];
  out.push('# MLP Lab bench');
  out.push(
    `machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.platform()} ${os.arch()}, ` +
      `Node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  );
  out.push(
    'workload: MNIST, preset sklearn-exercise (784-50-10 relu/softmax, SGD lr 0.1 Nesterov momentum 0.9, L2 1e-4), seed 1',
  );

  const mnistDir = bundledDatasetDir(RESOURCES_DIR, 'mnist');
  process.stderr.write('[bench] IDX load + parse, 3 runs each\n');
  const idxChecked = await timeIdx(mnistDir, true);
  const idxUnchecked = await timeIdx(mnistDir, false);

  const outcomes: BackendOutcome[] = [];
  for (const backend of BACKEND_ORDER) {
    process.stderr.write(`[bench] backend ${labelOf(backend)}: child process\n`);
    const outcome = await runBackend(backend);
    if (outcome.kind === 'failed') process.stderr.write(`[bench] ${labelOf(backend)} FAILED: ${outcome.reason}\n`);
    outcomes.push(outcome);
  }
  const reference = await runReference(mnistDir);
  if (reference.kind === 'failed') process.stderr.write(`[bench] reference FAILED: ${reference.reason}\n`);

  const measured = outcomes.flatMap((o) => (o.kind === 'figures' ? [o.figures] : []));
  const wasm = measured.find((f) => f.backend === 'wasm');

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
        'SGD lr 0.1 momentum 0.9 Nesterov (weight_decay 2e-4 = our L2 1e-4), 2 epochs after 20 warm-up batches. ' +
        'Ratios use our wasm wall-clock figure at the same batch size.',
    );
  }

  out.push('', '## Where one fast-loop training step goes (tf.profile on TrainStep.run)', '');
  for (const f of measured) out.push(stepSection(f), '');
  out.push(
    'wall: mean of ≥10 unprofiled steps (~1 s) on one uploaded batch; kernel ms: mean over 10 profiled single steps. ' +
      'Outside kernels = op dispatch, tidy bookkeeping and the JS softmax/loss on the logits.',
  );
  out.push('', `bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(out.join('\n'));

  const failed = outcomes.some((o) => o.kind === 'failed') || reference.kind === 'failed';
  if (failed) console.error('bench: at least one child failed (see its stderr above)');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
