import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FromWorker } from '$engine/training/protocol';
import { REPO_ROOT } from '$tests/helpers/datasets';
import { lastJsonLine, runTsChild } from '$tests/helpers/run-child';

const CHILD = path.join(REPO_ROOT, 'tests/unit/engine/training/worker-threads-child.ts');

describe('the training worker on threaded wasm', () => {
  it('reports its threads, trains, and lets its process exit once it is ended', async () => {
    // Under the test's own 120 s, so a hung child is killed here and its output reported.
    const run = await runTsChild(CHILD, { MLP_LAB_WASM_THREADS: '2', MLP_LAB_BACKEND: 'wasm' }, 90_000);
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    const { ready, end } = lastJsonLine<{ ready: Extract<FromWorker, { type: 'ready' }>; end: { type: string; testAccuracy?: number } }>(run);
    expect(ready.backend).toMatchObject({ active: 'wasm', simd: true, threads: 2 });
    expect(ready.backend.threadsFallback).toBeUndefined();
    expect(end.type).toBe('finished');
    expect(end.testAccuracy).toBeGreaterThan(0.5);
  });
});

describe('the training worker on the threaded training kernel', () => {
  it('trains with the kernel\'s helper threads (workers of the worker) and lets its process exit once it is ended', async () => {
    // MLP_LAB_KERNEL_THREADS=2: the kernel's helpers start even on a one-core machine; they are the
    // worker's own workers, and the process must still exit by itself (a timeout here otherwise).
    const run = await runTsChild(CHILD, { MLP_LAB_BACKEND: 'kernel', MLP_LAB_KERNEL_THREADS: '2', MLP_LAB_WASM_THREADS: '1' }, 90_000);
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    const { end } = lastJsonLine<{ end: { type: string; testAccuracy?: number; stepper?: { name: string; threads?: number; detail: string } } }>(run);
    expect(end.type).toBe('finished');
    expect(end.testAccuracy).toBeGreaterThan(0.5);
    expect(end.stepper).toMatchObject({ name: 'kernel', threads: 2 });
    expect(end.stepper?.detail).toMatch(/, 2 threads$/);
  });
});
