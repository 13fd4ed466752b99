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
      hint: 'tfjs-node is not installed, so training runs on WebAssembly. npm run native:install builds it (from a TensorFlow wheel, no download from Google); then each model trains on whichever of the two is faster for it.',
    };
  }
}
