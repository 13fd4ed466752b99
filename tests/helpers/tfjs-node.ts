import { createRequire } from 'node:module';

/**
 * Whether tfjs-node is installed here (CI's native pass; `npm run native:install`), found without loading
 * it: tests that expect it among the backends, or expect it refused, ask this first.
 */
export const hasTfjsNode = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
