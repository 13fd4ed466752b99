import * as tf from '@tensorflow/tfjs';

import { backendLabel, type BackendName } from '../../shared/backend';

export { backendLabel, type BackendName };
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

export interface BackendReport {
  /** The backend TensorFlow.js really runs on after selection. */
  active: BackendName;
  /** Why faster backends were skipped, e.g. "tensorflow: Cannot find module '@tensorflow/tfjs-node'". */
  skipped: string[];
  /** wasm only: whether the SIMD build is in use. */
  simd?: boolean;
}

export class BackendUnavailableError extends Error {
  constructor(requested: string, reason: string) {
    super(`Backend "${requested}" is not available here: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

let selected: Promise<BackendReport> | undefined;

/**
 * Chooses the fastest backend this machine has, once per process (or worker): tfjs-node, then wasm, then
 * cpu. `requested` (default: env MLP_LAB_BACKEND) forces one and throws if it cannot be had.
 * tfjs-node may be loaded by one thread only, so a worker that trains must be the only one asking for it.
 */
export function selectBackend(requested: string | undefined = process.env.MLP_LAB_BACKEND): Promise<BackendReport> {
  selected ??= choose(requested || undefined).catch((error: unknown) => {
    // A failed choice is not final: the caller may fix the request and ask again.
    selected = undefined;
    throw error;
  });
  return selected;
}

async function choose(requested: string | undefined): Promise<BackendReport> {
  // Production mode drops debug-only checks and the console banner that asks Node users for tfjs-node.
  tf.enableProdMode();
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new BackendUnavailableError(requested, `MLP_LAB_BACKEND must be one of ${BACKENDS.join(', ')}`);
  }
  const order = requested ? [requested as BackendName] : [...BACKENDS];
  const skipped: string[] = [];
  for (const name of order) {
    const reason = await tryActivate(name);
    if (reason === null) {
      const report: BackendReport = { active: name, skipped };
      if (name === 'wasm') report.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      return report;
    }
    if (requested) throw new BackendUnavailableError(name, reason);
    skipped.push(`${name}: ${reason}`);
  }
  throw new BackendUnavailableError('any', skipped.join('; '));
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
    // A variable specifier keeps bundlers from resolving an optional native dependency at build time.
    const nodeBackend = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ nodeBackend);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

