/** The TensorFlow.js backends training can run on: tfjs-node ('tensorflow'), wasm, or pure-JS cpu. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What a run can be pinned to: a TensorFlow.js backend, or the training kernel (one WebAssembly call per batch). */
export const TRAINING_BACKENDS = ['kernel', 'tensorflow', 'wasm', 'cpu'] as const;
export type TrainingBackendName = (typeof TRAINING_BACKENDS)[number];

/** Narrows a backend choice's name (a string from the worker) to what a run can train on. */
export function isTrainingBackendName(name: string): name is TrainingBackendName {
  return (TRAINING_BACKENDS as readonly string[]).includes(name);
}

/** How the popover and the CLI name what a run can be pinned to. */
export function trainingBackendLabel(name: TrainingBackendName): string {
  return name === 'kernel' ? 'the training kernel' : backendLabel(name);
}

/** How the UI and the CLI name a backend: users know tfjs-node, not TensorFlow.js' internal name. */
export function backendLabel(name: TrainingBackendName): string {
  return name === 'tensorflow' ? 'tfjs-node' : name;
}

/** What the training worker reports about its backend, as far as the UI needs it. */
export interface BackendDetail {
  active: TrainingBackendName;
  /** wasm only: whether the SIMD build is in use. */
  simd?: boolean;
  /** wasm only: the threads its kernels run on. */
  threads?: number;
  /** wasm only: why it runs on one thread when more were asked for. */
  threadsFallback?: string;
}

/** e.g. "wasm (SIMD, 2 threads)", "wasm (SIMD, 1 thread — threads off: <reason>)", "tfjs-node". */
export function describeBackend(detail: BackendDetail): string {
  const parts: string[] = [];
  if (detail.simd !== undefined) parts.push(detail.simd ? 'SIMD' : 'no SIMD');
  if (detail.threads !== undefined) parts.push(`${detail.threads} thread${detail.threads === 1 ? '' : 's'}`);
  let text = parts.length ? `${backendLabel(detail.active)} (${parts.join(', ')})` : backendLabel(detail.active);
  if (detail.threadsFallback) text += ` — threads off: ${detail.threadsFallback}`;
  return text;
}
