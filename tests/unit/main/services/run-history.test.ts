import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload, EventSink } from '$shared/ipc/contract';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { EpochLog, TrainingStatus } from '$shared/training';
import { scriptedDialogs } from '$main/services/dialogs';
import { RunHistory } from '$main/services/run-history';
import { RunStore } from '$main/services/run-store';
import type { RunRecord } from '$shared/runs/run-record';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-runs-');
const spec: ModelSpec = { ...DEFAULT_SPEC, epochs: 2 };

function setup(dir: string, confirm: boolean[] = [], store?: RunStore) {
  const sent: { event: string; payload: unknown }[] = [];
  const events: EventSink = (event, payload) => void sent.push({ event, payload });
  let clock = Date.parse('2026-01-02T03:04:05Z');
  const history = new RunHistory({
    userDataDir: dir,
    version: '9.9.9',
    events,
    dialogs: scriptedDialogs({ confirm }),
    now: () => new Date((clock += 1000)),
    store,
  });
  const emit = <E extends EventChannel>(event: E, payload: EventPayload<E>): void => history.observe(event, payload);
  return { history, sent, emit };
}

const log = (epoch: number, loss: number): EpochLog => ({
  epoch,
  loss,
  accuracy: 0.9,
  valLoss: loss + 0.1,
  valAccuracy: 0.85,
  seconds: 1,
  samplesPerSecond: 1000,
  samples: 1000,
  complete: true,
});
const status = (phase: TrainingStatus['phase'], id: string | null, backend: TrainingStatus['backend'] = 'cpu'): TrainingStatus => ({
  phase,
  backend,
  run: id === null ? null : { id, spec, datasetId: 'mnist', epochsDone: 0, history: [] },
});
const finished = (runId: string, stopped = false): EventPayload<'training:finished'> => ({
  runId,
  stopped,
  testAccuracy: 0.93,
  testLoss: 0.25,
  epochsDone: 2,
  modelName: 'MLP 64 · adam',
  stepper: { name: 'tfjs', detail: null, fallback: 'the kernel does not run elu' },
});

/** A Train of two epochs, as the training service reports it. */
function train(emit: ReturnType<typeof setup>['emit'], session: string): void {
  emit('training:status', status('starting', session, null));
  emit('training:status', status('training', session));
  emit('training:epoch', { runId: session, log: log(0, 0.5) });
  emit('training:epoch', { runId: session, log: log(1, 0.3) });
  emit('training:status', status('idle', session));
  emit('training:finished', finished(session));
}

describe('RunHistory', () => {
  it('records a Train as one JSON file with its spec, backend, history, final metrics and duration', async () => {
    const dir = await newDir();
    const { history, sent, emit } = setup(dir);
    train(emit, 'session-1');
    await history.flush();
    const { runs, skipped, writeError } = await history.list();
    expect(skipped).toEqual([]);
    expect(writeError).toBeNull();
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({
      kind: 'train',
      sessionId: 'session-1',
      spec,
      datasetId: 'mnist',
      backend: 'cpu',
      appVersion: '9.9.9',
      outcome: 'completed',
      epochsPlanned: 2,
      final: { testAccuracy: 0.93, testLoss: 0.25, epochsDone: 2 },
      continuedFrom: null,
      savedModel: null,
      // Why the training kernel was not used is kept with the run (#22).
      stepper: { name: 'tfjs', detail: null, fallback: 'the kernel does not run elu' },
    });
    expect(run!.history.map((h) => h.loss)).toEqual([0.5, 0.3]);
    expect(run!.durationSeconds).toBeGreaterThan(0);
    expect(await readdir(path.join(dir, 'runs'))).toEqual([`${run!.id}.json`]);
    expect(sent.filter((s) => s.event === 'runs:changed').length).toBeGreaterThanOrEqual(2);
  });

  it('records a Continue as its own run linked to the one it continued, with its own epoch count', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir);
    train(emit, 's');
    emit('training:status', status('training', 's'));
    emit('training:progress', {
      runId: 's',
      firstEpoch: 2,
      lastEpoch: 5,
      etaSeconds: 1,
      batch: { epoch: 2, batch: 0, batches: 10, loss: 1, accuracy: 0.5, samplesPerSecond: 100 },
    });
    emit('training:epoch', { runId: 's', log: log(2, 0.2) });
    emit('training:status', status('idle', 's'));
    emit('training:finished', finished('s', true));
    await history.flush();
    const { runs } = await history.list();
    const first = runs.find((r) => r.kind === 'train')!;
    const more = runs.find((r) => r.kind === 'continue')!;
    expect(more).toMatchObject({ continuedFrom: first.id, epochsPlanned: 3, outcome: 'stopped' });
    expect(more.history.map((h) => h.epoch)).toEqual([2]);
    expect(runs[0]).toBe(more);
  });

  it('records a failed run with the reason (a diverged one as diverged), and one whose worker vanished without saying why', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir);
    emit('training:status', status('training', 'a'));
    emit('training:status', status('idle', null));
    emit('training:error', { runId: 'a', kind: 'diverged', message: 'The loss became NaN at epoch 1.', advice: 'x' });
    emit('training:status', status('training', 'b'));
    emit('training:status', status('idle', null));
    await Promise.resolve();
    await history.flush();
    const { runs } = await history.list();
    const byId = Object.fromEntries(runs.map((r) => [r.sessionId, r]));
    expect(byId.a).toMatchObject({ outcome: 'diverged', error: 'The loss became NaN at epoch 1.', final: null });
    expect(byId.b).toMatchObject({ outcome: 'failed', error: 'Training ended before the run finished.' });
  });

  it('never waits for the disk: a whole run is observed while its first write is still held up', async () => {
    const dir = await newDir();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writes: string[] = [];
    class SlowStore extends RunStore {
      override async write(record: RunRecord): Promise<void> {
        writes.push(record.outcome);
        await held;
        await super.write(record);
      }
    }
    const { history, emit } = setup(dir, [], new SlowStore(path.join(dir, 'runs')));
    train(emit, 'fast');
    // Every event of the run went through while the first write waits; nothing is on disk yet.
    expect(writes).toEqual(['running']);
    expect((await history.list()).runs).toEqual([]);
    release();
    await history.flush();
    // The snapshots that piled up are coalesced into one write of the newest.
    expect(writes).toEqual(['running', 'completed']);
    expect((await history.list()).runs[0]!.outcome).toBe('completed');
  });

  it('skips a corrupt, a foreign and a mislabelled file, naming each, and keeps the good runs', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir);
    train(emit, 'good');
    await history.flush();
    const runsDir = path.join(dir, 'runs');
    const good = (await readdir(runsDir))[0]!;
    const record = JSON.parse(await readFile(path.join(runsDir, good), 'utf8'));
    await writeFile(path.join(runsDir, 'truncated.json'), (await readFile(path.join(runsDir, good), 'utf8')).slice(0, 100));
    await writeFile(path.join(runsDir, 'notes.txt'), 'mine');
    await writeFile(path.join(runsDir, 'other-app.json'), JSON.stringify({ format: 'something-else' }));
    await writeFile(path.join(runsDir, 'bad-field.json'), JSON.stringify({ ...record, id: 'bad-field', history: 'lots' }));
    await writeFile(path.join(runsDir, 'renamed.json'), JSON.stringify(record));
    await mkdir(path.join(runsDir, 'a-folder.json'));
    await symlink('/dev/zero', path.join(runsDir, 'zero.json'));
    const { runs, skipped } = await history.list();
    expect(runs.map((r) => r.sessionId)).toEqual(['good']);
    const reasons = Object.fromEntries(skipped.map((s) => [path.basename(s.file), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ['a-folder.json', 'bad-field.json', 'notes.txt', 'other-app.json', 'renamed.json', 'truncated.json', 'zero.json'].sort(),
    );
    expect(reasons['truncated.json']).toMatch(/not valid JSON/);
    expect(reasons['notes.txt']).toMatch(/not a run file/);
    expect(reasons['other-app.json']).toMatch(/not an MLP Lab run/);
    expect(reasons['bad-field.json']).toMatch(/^history: /);
    expect(reasons['renamed.json']).toMatch(/does not match its file name/);
    expect(reasons['a-folder.json']).toMatch(/not a regular file/);
    expect(reasons['zero.json']).toMatch(/not a regular file/);
  });

  it('survives a killed write: the leftover temporary file is ignored and the last complete record stands', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir);
    train(emit, 'kept');
    await history.flush();
    const runsDir = path.join(dir, 'runs');
    const [file] = await readdir(runsDir);
    const id = file!.replace('.json', '');
    // What a write killed between writeFile and rename leaves: a partial temporary file beside the record.
    await writeFile(path.join(runsDir, `.${id}.json.0123456789ab.tmp`), '{"format":"mlp-lab-run","id":');
    await writeFile(path.join(runsDir, `.ffff-never-renamed.json.abcdef.tmp`), '{"format"');
    const { runs, skipped } = await history.list();
    expect(skipped).toEqual([]);
    expect(runs.map((r) => [r.id, r.outcome])).toEqual([[id, 'completed']]);
  });

  it('says when runs cannot be written, without throwing at training', async () => {
    const dir = await newDir();
    await writeFile(path.join(dir, 'runs'), 'a file where the folder should be');
    const { history, emit } = setup(dir);
    expect(() => train(emit, 'lost')).not.toThrow();
    await history.flush();
    const listing = await history.list();
    expect(listing.writeError).toMatch(/Could not record the run in .*runs/);
    expect(listing.skipped[0]!.reason).toMatch(/is a file, not a folder/);
  });

  it('deletes a run only after the user confirms, and links a saved model to the session’s last run', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir, [false, true]);
    train(emit, 'doomed');
    await history.flush();
    await history.linkSavedModel('doomed', { id: 'mine', name: 'Mine' });
    await history.linkSavedModel('unknown-session', { id: 'x', name: 'X' });
    const [run] = (await history.list()).runs;
    expect(run!.savedModel).toEqual({ id: 'mine', name: 'Mine' });
    expect(await history.remove(run!.id)).toBe(false);
    expect((await history.list()).runs).toHaveLength(1);
    expect(await history.remove(run!.id)).toBe(true);
    expect((await history.list()).runs).toEqual([]);
  });

  it('shows a run the app closed during as failed, saying so, once another app session reads it', async () => {
    const dir = await newDir();
    const first = setup(dir);
    first.emit('training:status', status('training', 'cut'));
    await first.history.flush();
    expect((await first.history.list()).runs[0]!.outcome).toBe('running');
    const next = setup(dir);
    expect((await next.history.list()).runs[0]).toMatchObject({ outcome: 'failed', error: 'MLP Lab closed before this run finished.' });
  });

  it('refuses to delete the run still training', async () => {
    const dir = await newDir();
    const { history, emit } = setup(dir, [true]);
    emit('training:status', status('training', 'live'));
    await history.flush();
    const [run] = (await history.list()).runs;
    await expect(history.remove(run!.id)).rejects.toThrow(/still training/);
  });
});
