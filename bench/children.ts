/**
 * The child processes of `npm run bench`: backend-child.ts for one TensorFlow.js backend, reference.py
 * for scikit-learn and PyTorch. Each prints one JSON line; a child that fails or times out is an outcome
 * too, with the reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFigures, BenchUnavailable, KernelFigures, ReferenceRun } from './figures';
import { ROOT } from './script';

const CHILD = fileURLToPath(new URL('./backend-child.ts', import.meta.url));
const KERNEL_CHILD = fileURLToPath(new URL('./kernel-child.ts', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./reference.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const CHILD_TIMEOUT_MS = 240_000;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export type BackendOutcome =
  | { kind: 'figures'; figures: BenchFigures }
  | { kind: 'unavailable'; backend: string; reason: string }
  | { kind: 'failed'; backend: string; reason: string };

export type KernelOutcome = { kind: 'figures'; figures: KernelFigures } | { kind: 'failed'; reason: string };

export type ReferenceOutcome =
  | { kind: 'figures'; reference: ReferenceRun }
  | { kind: 'missing'; reason: string }
  | { kind: 'failed'; reason: string };

/** Runs a command, echoing its stderr live (prefixed lines stay readable) and keeping both streams. */
function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = CHILD_TIMEOUT_MS): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
    }, timeoutMs);
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
  if (result.timedOut) return 'timed out';
  if (result.code !== 0) return `exited with ${result.code ?? result.signal}: ${errorLine(result.stderr) || 'no stderr'}`;
  return null;
}

/** The line of a child's stderr that names the error (not a stack frame), else its last line. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('['));
  return lines.find((l) => /error|exception/i.test(l) && !l.startsWith('at ')) ?? lines.at(-1) ?? '';
}

/** A child's JSON line, or why there is none: it failed, timed out, or printed no valid JSON. */
function childJson(result: ChildRun): { ok: true; value: unknown } | { ok: false; reason: string } {
  const failed = failure(result);
  if (failed) return { ok: false, reason: failed };
  try {
    return { ok: true, value: lastJsonLine(result.stdout) };
  } catch (error) {
    return { ok: false, reason: `bad output: ${(error as Error).message}` };
  }
}

/** Runs a TypeScript bench child under tsx (its stderr shown live) and reads its JSON line. */
export async function runBenchChild(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  timeoutMs = CHILD_TIMEOUT_MS,
): Promise<ReturnType<typeof childJson>> {
  return childJson(await run(process.execPath, ['--import', 'tsx', script, ...args], env, timeoutMs));
}

/** One backend in a child of its own; `env` sets e.g. MLP_LAB_WASM_THREADS for it. */
export async function runBackend(backend: string, env: Record<string, string> = {}): Promise<BackendOutcome> {
  const out = await runBenchChild(CHILD, ['--backend', backend], env);
  if (!out.ok) return { kind: 'failed', backend, reason: out.reason };
  const parsed = out.value as BenchFigures | BenchUnavailable;
  if ('unavailable' in parsed) return { kind: 'unavailable', backend, reason: parsed.unavailable };
  return { kind: 'figures', figures: parsed };
}

export async function runReference(mnistDir: string): Promise<ReferenceOutcome> {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    return { kind: 'missing', reason: 'not installed (apt-get install python3-sklearn python3-torch)' };
  }
  process.stderr.write('[reference] scikit-learn MLPClassifier and PyTorch on the same MNIST\n');
  // Six PyTorch and scikit-learn trainings: on a loaded machine they take minutes.
  const out = childJson(await run(PYTHON, [REFERENCE, mnistDir], {}, 3 * CHILD_TIMEOUT_MS));
  return out.ok ? { kind: 'figures', reference: out.value as ReferenceRun } : { kind: 'failed', reason: out.reason };
}

/** The training kernel's child (kernel-child.ts): three trainings of 60,000 images or more, so a longer leash. */
export async function runKernel(): Promise<KernelOutcome> {
  const out = await runBenchChild(KERNEL_CHILD, [], {}, 3 * CHILD_TIMEOUT_MS);
  return out.ok ? { kind: 'figures', figures: out.value as KernelFigures } : { kind: 'failed', reason: out.reason };
}
