import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, selectBackend } from '$engine/ml/backend';
import { hasTfjsNode } from '$tests/helpers/tfjs-node';

// Each test file runs in a fresh module graph, so this file's selectBackend has chosen nothing yet, and a
// failed selection is not remembered.
describe('selectBackend with MLP_LAB_BACKEND', () => {
  it('rejects an unknown backend name clearly', async () => {
    await expect(selectBackend('gpu')).rejects.toThrow(/MLP_LAB_BACKEND must be one of tensorflow, wasm, cpu/);
  });

  it('fails when a forced backend is not installed instead of falling back silently', async () => {
    if (hasTfjsNode) {
      expect((await selectBackend('tensorflow')).active).toBe('tensorflow');
    } else {
      const error = await selectBackend('tensorflow').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).message).toMatch(/Backend "tensorflow" is not available here: .*tfjs-node/);
    }
  });
});

describe('probeTrainingBackend', () => {
  it('expects tfjs-node when it resolves, without loading it', async () => {
    const { probeTrainingBackend } = await import('$engine/ml/backend-probe');
    expect(probeTrainingBackend(() => '/x/tfjs-node/index.js')).toEqual({ backend: 'tensorflow', hint: null });
    const missing = probeTrainingBackend(() => {
      throw new Error('Cannot find module');
    });
    expect(missing.backend).toBe('wasm');
    expect(missing.hint).toMatch(/tfjs-node is not installed.*WebAssembly/);
  });
});
