import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { scriptedDialogs } from '$main/services/dialogs';
import { RunHistory } from '$main/services/run-history';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-notes-');

describe('RunHistory notes', () => {
  it('saves a note on the run under way and on a finished one, where a new RunHistory reads it back', async () => {
    const dir = await newDir();
    const history = new RunHistory({ userDataDir: dir, version: '1', events: () => undefined, dialogs: scriptedDialogs({}) });
    const run = { id: 's', spec: DEFAULT_SPEC, datasetId: 'mnist', epochsDone: 0, history: [] };
    history.observe('training:status', { phase: 'training', backend: 'cpu', run });
    await history.flush();
    const [open] = (await history.list()).runs;
    await history.setNote(open!.id, 'first try: lr too high?');
    history.observe('training:status', { phase: 'idle', backend: 'cpu', run });
    history.observe('training:finished', { runId: 's', stopped: false, testAccuracy: 0.9, testLoss: 0.3, epochsDone: 5, modelName: 'm' });
    await history.flush();
    expect((await history.list()).runs[0]).toMatchObject({ outcome: 'completed', note: 'first try: lr too high?' });

    await history.setNote(open!.id, 'it was fine: 90 %');
    const again = new RunHistory({ userDataDir: dir, version: '1', events: () => undefined, dialogs: scriptedDialogs({}) });
    expect((await again.list()).runs[0]!.note).toBe('it was fine: 90 %');
    await expect(again.setNote('no-such-run', 'x')).rejects.toThrow(/no longer in the history/);
  });
});
