import * as tf from '@tensorflow/tfjs';
import path from 'node:path';

import { backendLabel, describeBackend, type BackendDetail, type BackendName } from '../../shared/backend';
import { runtimeDir } from '../runtime-files';
import { requestedThreads } from './cpu-cores';
import { quietTensorFlowLogs } from './tf-logs';
import { startThreadedWasm } from './wasm-threads';

export { backendLabel, describeBackend, type BackendName };
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

export interface BackendReport extends BackendDetail {
  /** The backend TensorFlow.js really runs on after selection. */
  active: BackendName;
  /** Why faster backends were skipped, e.g. "tensorflow: Cannot find module '@tensorflow/tfjs-node'". */
  skipped: string[];
  /**
   * Every backend started in this process, which each run may switch to (see backend-choice.ts): the
   * requested one alone, else tfjs-node and wasm where they start, else cpu. Absent: `active` alone.
   */
  available?: BackendName[];
  /** wasm's set-up when wasm is available, whichever backend is active. */
  wasm?: WasmDetail;
}

export class BackendUnavailableError extends Error {
  constructor(requested: string, reason: string) {
    super(`Backend "${requested}" is not available here: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

let selected: Promise<BackendReport> | undefined;

/**
 * Starts the backends this machine has, once per process (or worker): tfjs-node and wasm where they
 * start (tfjs-node active, as the faster one on most models; each run then measures which is faster for
 * its model), else cpu. `requested` (default: env MLP_LAB_BACKEND) starts that one alone and throws if
 * it cannot be had.
 * tfjs-node may be loaded by one thread only, so a worker that trains must be the only one asking for it.
 * wasm runs on `wasmThreads` threads (default: env MLP_LAB_WASM_THREADS, else one per physical core up
 * to 8; 1 is the single-threaded build), falling back to one thread, with the reason, if need be.
 */
export function selectBackend(
  requested: string | undefined = process.env.MLP_LAB_BACKEND,
  wasmThreads: string | undefined = process.env.MLP_LAB_WASM_THREADS,
): Promise<BackendReport> {
  selected ??= choose(requested || undefined, wasmThreads).catch((error: unknown) => {
    // A failed choice is not final: the caller may fix the request and ask again.
    selected = undefined;
    throw error;
  });
  return selected;
}

async function choose(requested: string | undefined, wasmThreads: string | undefined): Promise<BackendReport> {
  // `kernel` forces the training kernel's step (kernel-choice.ts); evaluation and inference stay on the
  // fastest TensorFlow.js backend.
  if (requested === 'kernel') requested = undefined;
  // Production mode drops debug-only checks and the console banner that asks Node users for tfjs-node.
  tf.enableProdMode();
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new BackendUnavailableError(requested, `MLP_LAB_BACKEND must be one of ${BACKENDS.join(', ')}, kernel`);
  }
  // Checked first, like MLP_LAB_BACKEND: a typo must not quietly cost the user their cores.
  let threads: number;
  try {
    threads = requestedThreads(wasmThreads);
  } catch (error) {
    throw new BackendUnavailableError('wasm', firstLine(error));
  }
  const order = requested ? [requested as BackendName] : [...BACKENDS];
  const skipped: string[] = [];
  const available: BackendName[] = [];
  let wasmDetail: WasmDetail | undefined;
  for (const name of order) {
    // cpu is the last resort: never faster than the other two, so not worth a measurement against them.
    if (name === 'cpu' && available.length > 0) break;
    const outcome = name === 'wasm' ? await activateWasm(threads) : await tryActivate(name);
    if (typeof outcome === 'string') {
      if (requested) throw new BackendUnavailableError(name, outcome);
      skipped.push(`${name}: ${outcome}`);
      continue;
    }
    if (name === 'wasm' && outcome) wasmDetail = outcome;
    available.push(name);
  }
  if (available.length === 0) throw new BackendUnavailableError('any', skipped.join('; '));
  const active = available[0];
  if (tf.getBackend() !== active) await tf.setBackend(active);
  return { active, skipped, available, ...(wasmDetail && { wasm: wasmDetail }), ...(active === 'wasm' ? wasmDetail : {}) };
}

/** Returns null when `name` is now the active backend, else why not. */
async function tryActivate(name: BackendName): Promise<string | null> {
  try {
    await loadBackendModule(name);
    // setBackend resolves false (and keeps the old backend) when initialisation fails: check both.
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok || tf.getBackend() !== name) return `initialisation failed (active backend is ${tf.getBackend()})`;
    return null;
  } catch (error) {
    return firstLine(error);
  }
}

async function loadBackendModule(name: BackendName): Promise<void> {
  if (name === 'tensorflow') {
    // Only effective in a process's main thread (the CLI, tests); the app sets it before its worker starts.
    quietTensorFlowLogs();
    // A variable specifier keeps bundlers from resolving an optional native dependency at build time.
    const nodeBackend = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ nodeBackend);
  }
}

export type WasmDetail = Required<Pick<BackendDetail, 'simd' | 'threads'>> & Pick<BackendDetail, 'threadsFallback'>;

/**
 * Starts wasm on `threads` threads, or on one with the reason when the threaded build cannot start;
 * resolves to why wasm is not available at all.
 */
async function activateWasm(threads: number): Promise<WasmDetail | string> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    return firstLine(error);
  }
  // Under Node the binaries are read by path: from the unpacked copy in a packaged app (runtime-files.ts).
  wasm.setWasmPaths(`${runtimeDir('wasmBinaries')}${path.sep}`);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let threadsFallback: string | undefined;
  if (threads > 1 && !simd) threadsFallback = 'the threaded build needs WebAssembly SIMD';
  else if (threads > 1) {
    try {
      if (await startThreadedWasm(wasm, threads)) return { simd: true, threads: wasm.getThreadsCount() };
      threadsFallback = `the threaded build did not initialise (active backend is ${tf.getBackend()})`;
    } catch (error) {
      threadsFallback = firstLine(error);
    }
  }
  // The single-threaded build: what 1 asks for, and the fallback.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const reason = await tryActivate('wasm');
  if (reason !== null) return reason;
  return { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: 1, ...(threadsFallback ? { threadsFallback } : {}) };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

