import { describe, expect, it } from 'vitest';
import type { EventPayload } from '$shared/ipc/contract';
import type { RunListing } from '$shared/runs/run-record';
import { AppState } from '$renderer/app/app-state.svelte';
import { SpecHandoff } from '$renderer/app/spec-handoff.svelte';
import { codeSpecOf, RunsState, type RunsApi } from '$renderer/panels/runs/runs.svelte';
import { TrainingState } from '$renderer/panels/train/training.svelte';
import { runRecord } from './runs-fixtures';

function fakeApi(listing: RunListing) {
  const calls: { verb: string; args: unknown }[] = [];
  let onChanged: ((payload: EventPayload<'runs:changed'>) => void) | null = null;
  const server = { listing, confirm: true };
  const api: RunsApi = {
    listRuns: async () => structuredClone(server.listing),
    deleteRun: async (request) => {
      calls.push({ verb: 'deleteRun', args: request });
      if (!server.confirm) return false;
      server.listing = { ...server.listing, runs: server.listing.runs.filter((r) => r.id !== request.id) };
      return true;
    },
    copyText: async (request) => void calls.push({ verb: 'copyText', args: request }),
    setRunNote: async (request) => {
      calls.push({ verb: 'setRunNote', args: request });
      server.listing = { ...server.listing, runs: server.listing.runs.map((r) => (r.id === request.id ? { ...r, note: request.note } : r)) };
    },
    startSweep: async (request) => {
      calls.push({ verb: 'startSweep', args: request });
      return { sweepId: 'sweep-1' };
    },
    cancelSweep: async () => void calls.push({ verb: 'cancelSweep', args: null }),
    getSweepProgress: async () => null,
    listSweeps: async () => [],
    setSweepNote: async (request) => void calls.push({ verb: 'setSweepNote', args: request }),
    onSweepProgress: () => () => undefined,
    onRunsChanged: (listener) => {
      onChanged = listener;
      return () => (onChanged = null);
    },
  };
  return { api, calls, server, changed: (id: string) => onChanged?.({ id }) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(runs = [runRecord('a', { learningRate: 0.001 }), runRecord('b', { learningRate: 0.01 })]) {
  const app = new AppState();
  const handoff = new SpecHandoff();
  const train = new TrainingState({ handoff });
  const state = new RunsState({ app, handoff });
  const fake = fakeApi({ runs, skipped: [{ file: '/runs/x.json', reason: 'is not valid JSON' }], writeError: null });
  state.connect(fake.api);
  return { app, handoff, train, state, ...fake };
}

describe('RunsState', () => {
  it('lists the runs, and lists again when main says they changed', async () => {
    const { state, changed, ...fake } = setup();
    await tick();
    expect(state.rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(state.listing?.skipped).toHaveLength(1);
    fake.server.listing = { ...fake.server.listing, runs: [...fake.server.listing.runs, runRecord('c')] };
    changed('c');
    await tick();
    expect(state.rows).toHaveLength(3);
  });

  it('ticks up to ten runs, each in its own colour, and compares their settings', async () => {
    const runs = Array.from({ length: 11 }, (_, i) => runRecord(`r${i}`, { seed: i }));
    const { state } = setup(runs);
    await tick();
    for (const run of runs) state.toggle(run.id);
    expect(state.ticked).toHaveLength(10);
    expect(state.full).toBe(true);
    expect(new Set(state.ticked.map((id) => state.colourOf(id))).size).toBe(10);
    state.differencesOnly = true;
    expect(state.settings.map((s) => s.key)).toEqual(['seed']);
    state.toggle('r0');
    expect(state.ticked).toHaveLength(9);
    state.setColour('r1', '#123456');
    expect(state.colourOf('r1')).toBe('#123456');
    expect(state.current?.id).toBe('r9');
  });

  it('Re-run hands the settings to the Train state and opens the Train tab', async () => {
    const { state, train, app } = setup();
    await tick();
    state.toggle('b');
    state.rerun(state.current!);
    expect(train.editor.spec.learningRate).toBe(0.01);
    expect(train.editor.datasetId).toBe('mnist');
    expect(app.panel).toBe('train');
    // A copy: editing the Train settings leaves the record alone.
    train.editor.spec.learningRate = 0.5;
    expect(state.current!.spec.learningRate).toBe(0.01);
  });

  it('Re-run is refused, saying why, while training runs', async () => {
    const { state, train, app } = setup();
    await tick();
    train.status = { phase: 'training', backend: 'cpu', run: null };
    state.toggle('b');
    state.rerun(state.current!);
    expect(state.error).toMatch(/stop it/);
    expect(app.panel).toBe('draw');
  });

  it('deletes only what main confirmed, and unticks it', async () => {
    const { state, calls, ...fake } = setup();
    await tick();
    state.toggle('a');
    fake.server.confirm = false;
    await state.remove(state.current!);
    expect(state.rows).toHaveLength(2);
    fake.server.confirm = true;
    await state.remove(state.current!);
    expect(state.rows.map((r) => r.id)).toEqual(['b']);
    expect(state.ticked).toEqual([]);
    expect(calls.filter((c) => c.verb === 'deleteRun')).toHaveLength(2);
  });

  it('copies the run as Keras code and shows it', async () => {
    const { state, calls } = setup();
    await tick();
    state.toggle('a');
    await state.copy(state.current!, 'keras');
    expect(state.code).toMatchObject({ kind: 'keras', runId: 'a', copied: true });
    expect(state.code!.text).toContain('keras.Sequential');
    expect(calls.find((c) => c.verb === 'copyText')?.args).toEqual({ text: state.code!.text });
    expect(state.sklearnProblem).toBeNull();
  });
});

describe('RunsState notes and sweeps', () => {
  it('saves a note and finds the run by it; a click on a sweep point makes that run the current one', async () => {
    const { state, calls } = setup();
    await tick();
    await state.saveNote(state.listing!.runs.find((r) => r.id === 'a')!, 'lr 0.001 learns slowly');
    expect(calls.at(-1)).toEqual({ verb: 'setRunNote', args: { id: 'a', note: 'lr 0.001 learns slowly' } });
    expect(state.notice).toBe('Note saved.');
    state.filter = 'SLOWLY';
    expect(state.visibleRows.map((r) => r.id)).toEqual(['a']);
    state.filter = '';
    state.open('b');
    state.open('a');
    expect(state.current?.id).toBe('a');
    state.open('b');
    expect(state.ticked).toEqual(['a', 'b']);
  });

  it('starts a sweep over the Train tab\'s settings as they stand, and charts its tagged runs', async () => {
    const tag = (index: number, units: number) => ({ id: 'sweep-1', index, count: 2, axes: [{ setting: 'units' as const, layer: 0, value: units }] });
    const { state, train, calls } = setup([
      runRecord('s1', { hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }] }, { sweep: tag(0, 16), final: { testAccuracy: 0.91, testLoss: 0.3, epochsDone: 2 } }),
      runRecord('s2', { hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0 }] }, { sweep: tag(1, 32), final: { testAccuracy: 0.93, testLoss: 0.3, epochsDone: 2 } }),
      runRecord('other'),
    ]);
    await tick();
    train.editor.spec.trainSubset = 2000;
    state.sweep.valuesText = '16, 32';
    expect(state.sweep.problem).toBeNull();
    await state.sweep.start();
    const request = calls.find((c) => c.verb === 'startSweep')!.args as { base: { trainSubset: number }; axes: unknown };
    expect(request.base.trainSubset).toBe(2000);
    expect(request.axes).toEqual([{ setting: 'units', layer: 0, values: [16, 32] }]);
    expect(state.sweep.points.map((p) => [p.value, p.testAccuracy])).toEqual([[16, 0.91], [32, 0.93]]);
    expect(state.sweep.best?.runId).toBe('s2');
    state.sweep.valuesText = '16, 9999';
    expect(state.sweep.problem).toMatch(/9999/);
  });
});

describe('codeSpecOf', () => {
  it('gives a Continue the session’s whole epoch count, saying so; a Train its own spec', () => {
    const train = runRecord('t');
    expect(codeSpecOf(train)).toEqual({ spec: train.spec, notes: [] });
    const more = runRecord('c', {}, { kind: 'continue', final: { testAccuracy: 0.9, testLoss: 0.3, epochsDone: 7 } });
    const { spec, notes } = codeSpecOf(more);
    expect(spec.epochs).toBe(7);
    expect(notes.join(' ')).toMatch(/continued a model/);
  });
});

describe('SpecHandoff', () => {
  it('keeps a request made before the Train state exists, and hands it over on registration', () => {
    const handoff = new SpecHandoff();
    const spec = runRecord('z', { batchSize: 77 }).spec;
    expect(handoff.offer({ spec, datasetId: 'mnist' })).toBeNull();
    const train = new TrainingState({ handoff });
    expect(train.editor.spec.batchSize).toBe(77);
    expect(handoff.pending).toBeNull();
  });
});
