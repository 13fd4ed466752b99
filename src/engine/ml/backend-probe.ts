import type { BackendName } from '../../shared/backend';

/**
 * Which backend training will use, without loading any backend: main must not load tfjs-node itself,
 * because the training worker is the one thread allowed to.
 */
export function probeTrainingBackend(resolve: (id: string) => string): { backend: BackendName; hint: string | null } {
  try {
    resolve('@tensorflow/tfjs-node');
    return { backend: 'tensorflow', hint: null };
  } catch {
    return {
      backend: 'wasm',
      hint: 'tfjs-node is not installed, so training runs on WebAssembly. Install @tensorflow/tfjs-node (needs internet) for native speed.',
    };
  }
}
