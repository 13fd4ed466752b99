import { describe, expect, it } from 'vitest';
import { FinetuneState, sparseClasses, type FinetuneApi } from '$renderer/panels/gallery/finetune.svelte';
import type { FinetuneResult } from '$shared/handwriting/finetune';
import type { LibraryModel } from '$shared/models';
import { deferred, settle, type Deferred } from '../../helpers/deferred';

function result(token: string): FinetuneResult {
  return {
    token,
    baseName: 'Default',
    name: 'Default (your handwriting)',
    before: { own: 0.5, mnist: 0.98 },
    after: { own: 0.75, mnist: 0.97 },
    fineTuneCounts: new Array(10).fill(5),
    heldOutCounts: new Array(10).fill(3),
    heldOut: [
      { id: 'a', label: 1, before: 7, after: 1 },
      { id: 'b', label: 4, before: 9, after: 9 },
    ],
    options: { share: 0.3, epochs: 4, augment: true, seed: 1 },
    seconds: 2,
  };
}

const model = (name: string): LibraryModel => ({
  id: name,
  name,
  builtIn: false,
  architecture: '784-10',
  parameters: 7850,
  datasetId: 'mnist',
  testAccuracy: 0.97,
  epochs: 4,
  created: '',
  backend: 'cpu',
  curve: [],
});

/** Main's side: every fine-tune and keep waits until the test settles it; cancel rejects the fine-tune. */
function fakeMain() {
  const runs: Deferred<FinetuneResult>[] = [];
  const keeps: { token: string; activate: boolean; answer: Deferred<LibraryModel> }[] = [];
  const discarded: string[] = [];
  let cancels = 0;
  const api: FinetuneApi = {
    finetuneHandwriting: () => {
      const d = deferred<FinetuneResult>();
      runs.push(d);
      return d.promise;
    },
    keepFinetuned: ({ token, activate }) => {
      const answer = deferred<LibraryModel>();
      keeps.push({ token, activate, answer });
      return answer.promise;
    },
    discardFinetuned: async ({ token }) => {
      discarded.push(token);
    },
    cancelEvaluation: async () => {
      cancels++;
      runs.at(-1)?.reject(new Error("Error invoking remote method 'handwriting:finetune': JobCancelledError: The evaluation was cancelled."));
    },
  };
  return { api, runs, keeps, discarded, cancels: () => cancels };
}

async function finished(main: ReturnType<typeof fakeMain>, token = 't1') {
  let ended = 0;
  const finetune = new FinetuneState(() => ended++);
  finetune.connect(main.api);
  const running = finetune.run();
  expect(finetune.running).toBe(true);
  await settle();
  main.runs.at(-1)!.resolve(result(token));
  await running;
  return { finetune, ended: () => ended };
}

describe('FinetuneState', () => {
  it('says what is wrong with the typed epochs and seed, and starts nothing with them', async () => {
    const main = fakeMain();
    const finetune = new FinetuneState();
    finetune.connect(main.api);
    finetune.epochs = -1;
    expect(finetune.problems.epochs).toBe('Epochs: enter a whole number from 1 to 20.');
    finetune.epochs = null as unknown as number;
    expect(finetune.valid).toBe(false);
    await finetune.run();
    expect(main.runs).toHaveLength(0);
    finetune.epochs = 4;
    finetune.seed = 1.5;
    expect(finetune.problems).toEqual({ epochs: null, seed: 'Seed: enter a whole number, such as 1.' });
    finetune.seed = 1;
    expect(finetune.valid).toBe(true);
  });

  it('keeps the result as a new model, made active when asked, and ignores a second click while the first is in flight', async () => {
    const main = fakeMain();
    const { finetune, ended } = await finished(main);
    expect(ended()).toBe(1);
    expect(finetune.stillWrong.map((h) => h.id)).toEqual(['b']);
    const first = finetune.keep(true);
    expect(finetune.deciding).toBe(true);
    // A second click, on the same or the other button, would find the token gone in main.
    await finetune.keep(false);
    await finetune.discard();
    expect(main.keeps.map(({ token, activate }) => ({ token, activate }))).toEqual([{ token: 't1', activate: true }]);
    expect(main.discarded).toEqual([]);
    main.keeps[0].answer.resolve(model('Mine'));
    await first;
    expect(finetune.deciding).toBe(false);
    expect(finetune.error).toBeNull();
    expect(finetune.outcome).toEqual({ kind: 'active', model: model('Mine') });
    // Decided: nothing more to keep.
    await finetune.keep(false);
    expect(main.keeps).toHaveLength(1);
  });

  it('discards the result, and shows why a keep failed while letting it be tried again', async () => {
    const main = fakeMain();
    const { finetune } = await finished(main);
    const keeping = finetune.keep(false);
    main.keeps[0].answer.reject(new Error('the disk is full'));
    await keeping;
    expect(finetune.error).toBe('the disk is full');
    expect(finetune.outcome).toBeNull();
    await finetune.discard();
    expect(main.discarded).toEqual(['t1']);
    expect(finetune.error).toBeNull();
    expect(finetune.outcome).toEqual({ kind: 'discarded', model: null });
  });

  it('drops an undecided result in main before the next run', async () => {
    const main = fakeMain();
    const { finetune } = await finished(main);
    const again = finetune.run();
    await settle();
    expect(main.discarded).toEqual(['t1']);
    expect(finetune.result).toBeNull();
    main.runs[1].resolve(result('t2'));
    await again;
    expect(finetune.result?.token).toBe('t2');
  });

  it('cancels a run in progress: it ends as cancelled, not as an error', async () => {
    const main = fakeMain();
    let ended = 0;
    const finetune = new FinetuneState(() => ended++);
    finetune.connect(main.api);
    // Nothing runs: nothing to cancel.
    await finetune.cancel();
    expect(main.cancels()).toBe(0);
    const running = finetune.run();
    await settle();
    await finetune.cancel();
    await running;
    expect(main.cancels()).toBe(1);
    expect(finetune.running).toBe(false);
    expect(finetune.cancelled).toBe(true);
    expect(finetune.error).toBeNull();
    expect(finetune.result).toBeNull();
    expect(ended).toBe(1);
    // The next run starts afresh; a real failure is an error.
    const failing = finetune.run();
    expect(finetune.cancelled).toBe(false);
    await settle();
    main.runs[1].reject(new Error('Your handwriting is empty.'));
    await failing;
    expect(finetune.cancelled).toBe(false);
    expect(finetune.error).toBe('Your handwriting is empty.');
  });
});

describe('sparseClasses', () => {
  it('names the classes with fewer than five drawings', () => {
    expect(sparseClasses([5, 4, 0, 9, 5, 5, 5, 5, 5, 1])).toEqual([1, 2, 9]);
  });
});
