import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport } from '$engine/ml/backend';
import { REPO_ROOT } from '$tests/helpers/datasets';
import { lastJsonLine, runTsChild, type ChildRun } from '$tests/helpers/run-child';

const CHILD = path.join(REPO_ROOT, 'tests/unit/engine/ml/wasm-threads-child.ts');
/** Generous for a loaded 2-core CI machine; a pthread that keeps the process alive never ends at all. */
const TIMEOUT_MS = 90_000;

interface ChildResult {
  report: BackendReport;
  weights: string;
  first: number[];
}

function expectCleanExit(run: ChildRun): ChildResult {
  expect({ timedOut: run.timedOut, code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-2000) }).toEqual({
    timedOut: false,
    code: 0,
    stderr: '',
  });
  return lastJsonLine<ChildResult>(run);
}

let blockedTmp: string;
beforeAll(async () => {
  // A file where the pthread script's folder should be: preparing the threaded build fails for real.
  blockedTmp = await mkdtemp(path.join(tmpdir(), 'mlp-lab-blocked-'));
  const owner = typeof process.getuid === 'function' ? String(process.getuid()) : userInfo().username;
  await writeFile(path.join(blockedTmp, `mlp-lab-${owner}`), 'not a folder');
});
afterAll(() => rm(blockedTmp, { recursive: true, force: true }));

// Each run is a process of its own: a process chooses its backend once. They run one after another to
// leave a 2-core machine's cores to the threads being tested.
describe('threaded wasm', () => {
  let single: ChildResult;

  it('on one thread uses the single-threaded build and exits by itself', async () => {
    single = expectCleanExit(await runTsChild(CHILD, { MLP_LAB_WASM_THREADS: '1' }, TIMEOUT_MS));
    expect(single.report).toMatchObject({ active: 'wasm', simd: true, threads: 1 });
    expect(single.report.threadsFallback).toBeUndefined();
    expect(single.first.every(Number.isFinite)).toBe(true);
  });

  it('on two threads trains to bit-identical weights, and its pthreads do not keep the process alive', async () => {
    const threaded = expectCleanExit(await runTsChild(CHILD, { MLP_LAB_WASM_THREADS: '2' }, TIMEOUT_MS));
    expect(threaded.report).toMatchObject({ active: 'wasm', simd: true, threads: 2 });
    expect(threaded.report.threadsFallback).toBeUndefined();
    expect(threaded.weights).toBe(single.weights);
    expect(threaded.first).toEqual(single.first);
  });

  it('falls back to one thread, saying why, when the threaded build cannot be prepared', async () => {
    const fallback = expectCleanExit(await runTsChild(CHILD, { MLP_LAB_WASM_THREADS: '2', TMPDIR: blockedTmp, TMP: blockedTmp, TEMP: blockedTmp }, TIMEOUT_MS));
    expect(fallback.report).toMatchObject({ active: 'wasm', threads: 1 });
    expect(fallback.report.threadsFallback).toMatch(/mlp-lab-.* (is not a directory|already exists)|ENOTDIR|EEXIST/);
    expect(fallback.weights).toBe(single.weights);
  });
});
