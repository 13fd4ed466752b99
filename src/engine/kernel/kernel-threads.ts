import { Worker } from 'node:worker_threads';
import { physicalCores } from '../ml/cpu-cores';
import type { KernelInstance, ThreadedExports } from './kernel-module';

/** Helpers the C side has stacks for (MAX_HELPERS in c/team.c): 8 threads in all. */
export const MAX_KERNEL_THREADS = 8;

/**
 * Below this many multiply-adds a step, a second thread does not gain: waking it and waiting for it
 * cost about what it saves. Measured on a shared 2-core machine, 1 and 2 threads alternating: 784-50-10
 * at batch 32 (2.6 M) gained nothing at load 8–9 and cost 13–28 % more CPU; at batch 200 (16 M) and
 * 784-512-256-10 at batch 256 (300 M) two threads gained 1.1–1.9×. On MNIST's sparse input the same
 * batch 200 step visits 3.3 M, and two threads lost (0.83× at load 1).
 */
export const MIN_THREADED_STEP_MACS = 8_000_000;

/**
 * The same on sparse input, where a helper also fills the next batch's lists while a step runs (c/team.c
 * prefetch): sklearn-exercise on MNIST at batch 200 (3.2 M visited) ran its 300 steps in ~100 ms on 2
 * threads against ~140 ms on 1; at batch 32 (0.5 M) 2 threads were 5 % slower.
 */
export const MIN_PREFETCH_STEP_MACS = 2_000_000;

/** A helper: its own instance of the threaded module on the run's shared memory, in kn_helper until kn_quit. */
const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, id } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
exports.__stack_pointer.value = exports.kn_helper_stack(id);
parentPort.postMessage('ready');
exports.kn_helper(id);
`;

/** Helper workers alive in this process (tests check that a run leaves none). */
const live = new Set<Worker>();
const exits = new Set<Promise<void>>();

export function liveKernelHelpers(): number {
  return live.size;
}

/** Resolves when every helper started so far has exited. */
export async function kernelHelpersExited(): Promise<void> {
  await Promise.all([...exits]);
}

/**
 * Multiply-adds of a step at batch `batch` through layer sizes dims: forward, input gradients but the
 * first, weight gradients. On sparse input the first layer's two products visit only the lit pixels,
 * `firstLayerDensity` of them (c/sparse.c).
 */
export function stepMacs(dims: readonly number[], batch: number, firstLayerDensity = 1): number {
  let macs = 0;
  for (let l = 0; l + 1 < dims.length; l++) macs += dims[l] * dims[l + 1] * (l === 0 ? 2 * firstLayerDensity : 3);
  return macs * batch;
}

/**
 * How many threads the kernel should use for a step of `macs` multiply-adds, and why one when one:
 * MLP_LAB_KERNEL_THREADS=N asks for N (1–8); otherwise one per physical core (at most 8) when the step is
 * big enough for a second thread to gain (smaller on sparse input, where a helper fills ahead too). A
 * malformed request throws rather than being replaced.
 */
export function planKernelThreads(macs: number, requested: string | undefined = process.env.MLP_LAB_KERNEL_THREADS, sparseInput = false): { threads: number; reason: string | null } {
  if (requested !== undefined && requested.trim() !== '') {
    const text = requested.trim();
    if (!/^\d$/.test(text) || Number(text) < 1 || Number(text) > MAX_KERNEL_THREADS) {
      throw new Error(`MLP_LAB_KERNEL_THREADS must be a whole number from 1 to ${MAX_KERNEL_THREADS} (got "${requested.slice(0, 20)}")`);
    }
    const threads = Number(text);
    return { threads, reason: threads === 1 ? 'MLP_LAB_KERNEL_THREADS=1' : null };
  }
  const cores = physicalCores();
  if (cores < 2) return { threads: 1, reason: 'this machine has one physical core' };
  const least = sparseInput ? MIN_PREFETCH_STEP_MACS : MIN_THREADED_STEP_MACS;
  if (macs < least) {
    return { threads: 1, reason: `a step of ${(macs / 1e6).toFixed(1)} M multiply-adds is too small for a second thread to gain (${least / 1e6} M at least)` };
  }
  return { threads: Math.min(cores, MAX_KERNEL_THREADS), reason: null };
}

/**
 * The plan for a run through layer sizes dims at batch `batch` on its input: the first layer's
 * multiply-adds counted by the pixels it visits, and the sparse input's smaller threshold.
 */
export function planRunThreads(dims: readonly number[], batch: number, input: { sparse: boolean; density: number }): { threads: number; reason: string | null } {
  return planKernelThreads(stepMacs(dims, batch, input.sparse ? input.density : 1), undefined, input.sparse);
}

/** The helpers of one run: `ready` when all have entered their loop; stop() ends them. */
export interface KernelTeam {
  helpers: number;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts threads − 1 helper workers on a threaded kernel instance. The steps do not wait for them: a
 * helper that is not in its loop yet claims no work, and the calling thread does it (team.c), so the
 * results are the same and a slow start costs only speed. The workers are unref'd (they never keep a
 * process alive) and end at stop(), which the run's finish calls. leaveFirst (tests only): see
 * kn_threads in c/team.c; the steps then wait for the helpers, so await `ready` first.
 */
export function startKernelTeam(kernel: KernelInstance, threads: number, leaveFirst = false): KernelTeam {
  const { shared } = kernel;
  if (!shared) throw new Error('the one-thread kernel build cannot share its work');
  const exports = kernel.exports as ThreadedExports;
  const helpers = Math.max(0, Math.min(threads, MAX_KERNEL_THREADS) - 1);
  const workers: Worker[] = [];
  const started: Promise<void>[] = [];
  for (let id = 0; id < helpers; id++) {
    const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module: shared.module, memory: shared.memory, id } });
    worker.unref();
    live.add(worker);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    exits.add(exited);
    void exited.then(() => {
      live.delete(worker);
      exits.delete(exited);
    });
    started.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('a kernel helper thread ended before it started')));
      }),
    );
    workers.push(worker);
  }
  exports.kn_threads(helpers, leaveFirst ? 1 : 0);
  const ready = Promise.all(started).then(() => undefined);
  // A helper that fails to start only costs speed; the steps go on without it.
  ready.catch(() => undefined);
  let stopped: Promise<void> | null = null;
  return {
    helpers,
    ready,
    stop() {
      stopped ??= (async () => {
        exports.kn_threads(0, 0);
        exports.kn_quit();
        await Promise.all(workers.map((w) => w.terminate()));
      })();
      return stopped;
    },
  };
}
