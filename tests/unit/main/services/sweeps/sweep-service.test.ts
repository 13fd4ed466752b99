import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload, EventSink } from '$shared/ipc/contract';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { TrainingStatus } from '$shared/training';
import { scriptedDialogs } from '$main/services/dialogs';
import { RunHistory } from '$main/services/run-history';
import { SweepService, type SweepTrainer } from '$main/services/sweeps/sweep-service';
import type { SweepProgress } from '$shared/experiments/sweep';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-sweeps-');
const base: ModelSpec = { ...DEFAULT_SPEC, epochs: 1, trainSubset: 2000 };
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A training service stand-in that reports as the real one does (status, then finished or error),
 * through the same tee create-services builds: window, run history, then the sweep.
 */
function setup(dir: string) {
  const sent: { event: string; payload: unknown }[] = [];
  const window: EventSink = (event, payload) => void sent.push({ event, payload });
  const runs = new RunHistory({ userDataDir: dir, version: '1', events: window, dialogs: scriptedDialogs({}) });
  const started: { spec: ModelSpec; runId: string }[] = [];
  let stops = 0;
  const emit = <E extends EventChannel>(event: E, payload: EventPayload<E>): void => {
    window(event, payload);
    runs.observe(event, payload);
    sweeps.observe(event, payload);
  };
  const status = (phase: TrainingStatus['phase'], runId: string, spec: ModelSpec): TrainingStatus => ({ phase, backend: 'cpu', run: { id: runId, spec, datasetId: 'mnist', epochsDone: 0, history: [] } });
  const trainer: SweepTrainer = {
    start: async (spec) => {
      const runId = `session-${started.length}`;
      started.push({ spec, runId });
      emit('training:status', status('starting', runId, spec));
      emit('training:status', status('training', runId, spec));
      return { runId };
    },
    stop: () => void stops++,
  };
  const sweeps = new SweepService({ userDataDir: dir, events: window, training: trainer, tagNextRun: (tag) => runs.tagNextRun(tag) });
  const finish = (i: number, testAccuracy: number): void => {
    const { runId, spec } = started[i]!;
    emit('training:status', { ...status('idle', runId, spec) });
    emit('training:finished', { runId, stopped: false, testAccuracy, testLoss: 0.3, epochsDone: 1, modelName: 'm' });
  };
  const diverge = (i: number): void => {
    emit('training:status', { phase: 'idle', backend: 'cpu', run: null });
    emit('training:error', { runId: started[i]!.runId, kind: 'diverged', message: 'The loss became NaN or infinite at epoch 1', advice: 'x' });
  };
  const progress = (): SweepProgress[] => sent.filter((s) => s.event === 'sweep:progress').map((s) => s.payload as SweepProgress);
  return { runs, sweeps, started, finish, diverge, progress, stops: () => stops };
}

describe('SweepService', () => {
  it('runs every value one after another, each a run tagged with the sweep, and goes on past a diverged run', async () => {
    const dir = await newDir();
    const { runs, sweeps, started, finish, diverge, progress } = setup(dir);
    const { sweepId } = await sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'units', layer: 0, values: [16, 32, 64] }] });
    expect(started.map((s) => s.spec.hiddenLayers[0]!.units)).toEqual([16]);
    expect(progress().at(-1)).toMatchObject({ id: sweepId, state: 'running', current: 0, total: 3, done: 0, currentValues: 'Hidden units (layer 1) = 16' });
    finish(0, 0.9);
    await settle();
    expect(started).toHaveLength(2);
    diverge(1);
    await settle();
    expect(started).toHaveLength(3);
    finish(2, 0.95);
    await settle();
    await runs.flush();
    expect(progress().at(-1)).toMatchObject({ state: 'finished', done: 3, total: 3 });
    expect(sweeps.progress()).toBeNull();

    const listed = (await runs.list()).runs.sort((a, b) => a.sweep!.index - b.sweep!.index);
    expect(listed.map((r) => [r.sweep?.id, r.sweep?.index, r.sweep?.count, r.sweep?.axes[0]?.value, r.outcome])).toEqual([
      [sweepId, 0, 3, 16, 'completed'],
      [sweepId, 1, 3, 32, 'diverged'],
      [sweepId, 2, 3, 64, 'completed'],
    ]);
    const [record] = await sweeps.list();
    expect(record).toMatchObject({ id: sweepId, state: 'finished', axes: [{ setting: 'units', values: [16, 32, 64] }] });
  });

  it('a grid runs every combination; Cancel stops the run under way and starts no more', async () => {
    const dir = await newDir();
    const { sweeps, started, finish, progress, stops } = setup(dir);
    await sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'learningRate', values: [0.001, 0.01] }, { setting: 'optimizer', values: ['adam', 'sgd'] }] });
    finish(0, 0.9);
    await settle();
    expect(started.map((s) => [s.spec.learningRate, s.spec.optimizer])).toEqual([[0.001, 'adam'], [0.01, 'adam']]);
    sweeps.cancel();
    expect(stops()).toBe(1);
    finish(1, 0.5);
    await settle();
    expect(started).toHaveLength(2);
    expect(progress().at(-1)).toMatchObject({ state: 'cancelled', done: 2, total: 4, message: 'Cancelled after 1 of 4 runs.' });
  });

  it('checks every run\'s settings before training any, and refuses a second sweep', async () => {
    const dir = await newDir();
    const { sweeps, started } = setup(dir);
    await expect(sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'units', values: [16, 5000] }] })).rejects.toThrow(/5000/);
    await expect(sweeps.start({ base: { ...base, validation: 0, earlyStopping: { monitor: 'val_loss', patience: 1, minDelta: 0, restoreBestWeights: true } }, datasetId: 'mnist', axes: [{ setting: 'units', values: [16] }] })).rejects.toThrow(/not usable: early stopping/);
    expect(started).toHaveLength(0);
    await sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'batchSize', values: [32, 64] }] });
    await expect(sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'batchSize', values: [32] }] })).rejects.toThrow(/already running/);
  });

  it('keeps a sweep\'s note, and refuses a damaged sweep file when asked for it', async () => {
    const dir = await newDir();
    const { sweeps, finish } = setup(dir);
    const { sweepId } = await sweeps.start({ base, datasetId: 'mnist', axes: [{ setting: 'epochs', values: [1] }] });
    finish(0, 0.9);
    await settle();
    await sweeps.setNote(sweepId, 'wider is better, up to a point');
    const again = new SweepService({ userDataDir: dir, events: () => undefined, training: { start: async () => ({ runId: 'x' }), stop: () => undefined }, tagNextRun: () => undefined });
    expect((await again.list())[0]!.note).toBe('wider is better, up to a point');
    const file = path.join(dir, 'sweeps', `${sweepId}.json`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"state": "finished"', '"state": "exploded"'));
    expect(await again.list()).toEqual([]);
    await expect(again.setNote(sweepId, 'x')).rejects.toThrow(/state/);
  });
});
