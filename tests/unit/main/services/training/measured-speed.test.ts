import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceKey } from '$engine/ml/backend-choice';
import { CHOICE_CACHE_FILE, FileChoiceCache } from '$engine/ml/choice-cache';
import { MeasuredSpeeds, pickMeasuredSpeed } from '$main/services/training/measured-speed';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { RUN_FORMAT, type RunRecord } from '$shared/runs/run-record';
import type { EpochLog } from '$shared/training';

const SPEC: ModelSpec = { ...DEFAULT_SPEC, batchSize: 32 };
const SHAPE = { inputSize: 784, numClasses: 10 };
const log = (epoch: number, samplesPerSecond: number, complete = true): EpochLog => ({
  epoch, loss: 1, accuracy: 0.5, seconds: 1, samplesPerSecond, samples: 1000, complete,
});
const run = (id: string, startedAt: string, history: EpochLog[], change: Partial<RunRecord> = {}): RunRecord => ({
  format: RUN_FORMAT, version: 1, id, kind: 'train', sessionId: 's', continuedFrom: null, spec: SPEC, datasetId: 'mnist',
  backend: 'wasm', appVersion: '1', startedAt, finishedAt: null, durationSeconds: 1, epochsPlanned: history.length,
  outcome: 'completed', error: null, history, final: null, savedModel: null, ...change,
});
const timing = (rates: Record<string, number>, at = Date.UTC(2026, 11, 1)) => ({
  at, rates: Object.entries(rates).map(([name, samplesPerSecond]) => ({ name, label: name, samplesPerSecond })),
});

describe('pickMeasuredSpeed', () => {
  it("takes the newest run of this kind on the choice's backend: the median of its complete epochs", () => {
    const runs = [
      run('old', '2026-11-01T00:00:00.000Z', [log(0, 100)]),
      // A stopped epoch is no measurement, and one slowed epoch does not move a median of three.
      run('new', '2026-11-02T00:00:00.000Z', [log(0, 900), log(1, 1000), log(2, 50), log(3, 1, false)]),
      run('tf', '2026-11-03T00:00:00.000Z', [log(0, 5000)], { backend: 'tensorflow' }),
    ];
    const input = { spec: SPEC, datasetId: 'mnist', pinned: null, runs, benchmark: timing({ wasm: 3000, tensorflow: 2000 }) };
    expect(pickMeasuredSpeed(input)).toEqual({ samplesPerSecond: 900, backend: 'wasm', source: 'run', measuredAt: '2026-11-02T00:00:00.000Z' });
    // A pin names the backend; without a pin or a timing, the newest run on any backend.
    expect(pickMeasuredSpeed({ ...input, pinned: 'tensorflow' })?.samplesPerSecond).toBe(5000);
    expect(pickMeasuredSpeed({ ...input, benchmark: null })?.backend).toBe('tensorflow');
  });

  it('ignores runs of another batch size, layer, optimizer or dataset, and falls back on the timing', () => {
    const runs = [
      run('batch', '2026-11-02T00:00:00.000Z', [log(0, 900)], { spec: { ...SPEC, batchSize: 64 } }),
      run('layers', '2026-11-02T00:00:00.000Z', [log(0, 900)], { spec: { ...SPEC, hiddenLayers: [{ units: 65, activation: 'relu', dropout: 0 }] } }),
      run('sgd', '2026-11-02T00:00:00.000Z', [log(0, 900)], { spec: { ...SPEC, optimizer: 'sgd' } }),
      run('fashion', '2026-11-02T00:00:00.000Z', [log(0, 900)], { datasetId: 'fashion-mnist' }),
      run('stopped', '2026-11-02T00:00:00.000Z', [log(0, 900, false)]),
    ];
    const input = { spec: SPEC, datasetId: 'mnist', pinned: null, runs, benchmark: timing({ wasm: 3000, tensorflow: 2000 }) };
    expect(pickMeasuredSpeed(input)).toEqual({ samplesPerSecond: 3000, backend: 'wasm', source: 'benchmark', measuredAt: '2026-12-01T00:00:00.000Z' });
    expect(pickMeasuredSpeed({ ...input, pinned: 'tensorflow' })?.samplesPerSecond).toBe(2000);
    // A pinned backend the timing did not include, and nothing at all: no measurement.
    expect(pickMeasuredSpeed({ ...input, pinned: 'kernel' })).toBeNull();
    expect(pickMeasuredSpeed({ ...input, benchmark: null })).toBeNull();
  });
});

describe('MeasuredSpeeds', () => {
  const describeDataset = async () => ({ imageSize: { rows: 28, cols: 28 }, classNames: Array.from({ length: 10 }, (_, i) => String(i)) });

  it("reads the backend choice's cache file the worker writes, by model shape whatever the candidates", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'speeds-'));
    const cache = new FileChoiceCache(dir, () => Date.UTC(2026, 11, 2));
    await cache.set(choiceKey(SPEC, SHAPE, [{ label: 'wasm (SIMD, 2 threads)' }, { label: 'kernel' }]), timing({ wasm: 1500, kernel: 2500 }).rates);
    await cache.set(choiceKey({ ...SPEC, batchSize: 64 }, SHAPE, [{ label: 'wasm' }]), timing({ wasm: 9999 }).rates);
    let pinned: string | null = null;
    const speeds = new MeasuredSpeeds({ choiceCacheDir: dir, runs: { list: async () => ({ runs: [] }) }, describeDataset, pinned: () => pinned });
    expect(await speeds.speedFor(SPEC, 'mnist')).toEqual({ samplesPerSecond: 2500, backend: 'kernel', source: 'benchmark', measuredAt: '2026-12-02T00:00:00.000Z' });
    pinned = 'wasm';
    expect((await speeds.speedFor(SPEC, 'mnist'))?.samplesPerSecond).toBe(1500);
    expect(await speeds.speedFor({ ...SPEC, batchSize: 128 }, 'mnist')).toBeNull();
  });

  it('answers from the runs when the cache file is not valid, and nothing when the run history cannot be read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'speeds-'));
    await writeFile(path.join(dir, CHOICE_CACHE_FILE), 'not json');
    const runs = [run('a', '2026-11-02T00:00:00.000Z', [log(0, 700)])];
    const speeds = new MeasuredSpeeds({ choiceCacheDir: dir, runs: { list: async () => ({ runs }) }, describeDataset, pinned: () => null });
    expect(await speeds.speedFor(SPEC, 'mnist')).toMatchObject({ samplesPerSecond: 700, source: 'run' });
    const broken = new MeasuredSpeeds({
      choiceCacheDir: dir,
      runs: { list: () => Promise.reject(new Error('unreadable')) },
      describeDataset,
      pinned: () => null,
    });
    expect(await broken.speedFor(SPEC, 'mnist')).toBeNull();
  });
});
