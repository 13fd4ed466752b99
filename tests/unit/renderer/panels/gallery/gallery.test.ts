import { describe, expect, it } from 'vitest';
import { Handwriting, type HandwritingApi } from '$renderer/app/handwriting.svelte';
import { GalleryState, type GalleryApi, type HandwritingImages } from '$renderer/panels/gallery/gallery.svelte';
import type { FinetuneResult } from '$shared/handwriting/finetune';
import type { EvaluationProgress, ModelEvaluation } from '$shared/evaluation';
import { deferred, settle, type Deferred } from '../../helpers/deferred';
import { INPUT_SIDE } from '$renderer/lib/input-size';

/** Three classes, four images: true 0 1 2 2, predicted 0 2 2 0. */
function evaluation(modelId: string): ModelEvaluation {
  return {
    modelId,
    modelName: `model ${modelId}`,
    datasetId: 'mnist',
    imageSize: { rows: INPUT_SIDE, cols: INPUT_SIDE },
    classNames: ['a', 'b', 'c'],
    count: 4,
    loss: 0.5,
    accuracy: 0.5,
    probabilities: Float32Array.from([0.8, 0.1, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.8, 0.6, 0.1, 0.3]),
    labels: Uint8Array.from([0, 1, 2, 2]),
    seconds: 0.1,
  };
}

/** Main's evaluation of your handwriting: one image per label. */
function handwritingEvaluation(labels: number[]): ModelEvaluation {
  const classNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return { ...evaluation('m'), count: labels.length, labels: Uint8Array.from(labels), classNames, probabilities: new Float32Array(labels.length * 10).fill(0.1) };
}

/** The window's handwriting, for the Gallery: `reload` replaces the list with `main`'s. */
function handwritingImages(labels: number[], main: number[] = labels) {
  const state = {
    samples: labels.map((label) => ({ label, image: new Uint8Array(784).fill(label) })),
    version: 1,
    reloads: 0,
    async reload() {
      state.reloads++;
      state.samples = main.map((label) => ({ label, image: new Uint8Array(784).fill(label) }));
      state.version++;
    },
  } satisfies HandwritingImages & { reloads: number };
  return state;
}

function fakeApi(finetune: GalleryApi['finetuneHandwriting'] = async () => Promise.reject(new Error('not in these tests'))) {
  const evaluations: Deferred<ModelEvaluation>[] = [];
  const handwritingLabels = { current: [3, 7] };
  let handwritingCalls = 0;
  const sampleCalls: number[][] = [];
  const robustnessCalls: unknown[] = [];
  let onModelChanged: (() => void) | null = null;
  let onProgress: ((p: EvaluationProgress) => void) | null = null;
  const api: GalleryApi = {
    evaluateModel: () => {
      const d = deferred<ModelEvaluation>();
      evaluations.push(d);
      return d.promise;
    },
    evaluateHandwriting: async () => {
      handwritingCalls++;
      return handwritingEvaluation(handwritingLabels.current);
    },
    checkRobustness: async (request) => {
      robustnessCalls.push(request);
      return [{ modelId: 'm', modelName: 'M', images: 2000, original: 0.9, rows: [] }];
    },
    cancelEvaluation: async () => undefined,
    finetuneHandwriting: finetune,
    keepFinetuned: async () => {
      throw new Error('not in these tests');
    },
    discardFinetuned: async () => undefined,
    listModels: async () => ({
      models: [
        { id: 'default', name: 'Default', datasetId: 'mnist' },
        { id: 'm', name: 'The evaluated one', datasetId: 'mnist' },
        { id: 'fashion', name: 'Clothes', datasetId: 'fashion-mnist' },
        { id: 'mine', name: 'Mine', datasetId: 'mnist' },
      ].map((m) => ({ ...m, builtIn: false, architecture: '', parameters: 0, testAccuracy: null, epochs: 0, created: '', backend: '', curve: [] })),
      problems: [],
    }),
    getSamples: async ({ datasetId, split, indices }) => {
      sampleCalls.push(indices);
      return {
        datasetId,
        split,
        rows: 2,
        cols: 2,
        indices,
        images: Uint8Array.from(indices.flatMap((i) => [i, i, i, i])),
        labels: new Uint8Array(indices.length),
      };
    },
    onModelChanged: (listener) => {
      onModelChanged = () => listener({ id: 'x', name: 'x' });
      return () => (onModelChanged = null);
    },
    onEvaluationProgress: (listener) => {
      onProgress = listener;
      return () => (onProgress = null);
    },
  };
  return {
    api,
    evaluations,
    sampleCalls,
    robustnessCalls,
    handwritingLabels,
    handwritingCalls: () => handwritingCalls,
    modelChanged: () => onModelChanged?.(),
    progress: (p: EvaluationProgress) => onProgress?.(p),
  };
}

/** A Gallery connected to `fake`, past its first evaluation (the test split), then switched to your handwriting. */
async function onHandwriting(fake: ReturnType<typeof fakeApi>, handwriting: HandwritingImages): Promise<GalleryState> {
  const gallery = new GalleryState({ handwriting });
  gallery.connect(fake.api);
  fake.evaluations[0].resolve(evaluation('m1'));
  await settle();
  await gallery.setSource('handwriting');
  return gallery;
}

describe('GalleryState', () => {
  it('evaluates on your handwriting when picked, its images coming from the set rather than getSamples', async () => {
    const fake = fakeApi();
    const gallery = await onHandwriting(fake, handwritingImages([3, 7]));
    expect(gallery.source).toBe('handwriting');
    expect(gallery.evaluation?.count).toBe(2);
    expect(gallery.images.get(1)?.[0]).toBe(7);
    await gallery.loadImages([0, 1]);
    expect(fake.sampleCalls).toEqual([]);
    // The model changing re-evaluates what is picked.
    fake.modelChanged();
    await settle();
    expect(fake.evaluations).toHaveLength(1);
    expect(fake.handwritingCalls()).toBe(2);
    expect(gallery.evaluation?.labels[1]).toBe(7);
  });

  it('reloads a stale list of your handwriting and evaluates once more, rather than show pictures against the wrong labels', async () => {
    const fake = fakeApi();
    // Main holds a third drawing this window has not heard of.
    fake.handwritingLabels.current = [3, 7, 1];
    const handwriting = handwritingImages([3, 7], [3, 7, 1]);
    const gallery = await onHandwriting(fake, handwriting);
    expect(handwriting.reloads).toBe(1);
    expect(fake.handwritingCalls()).toBe(2);
    expect(gallery.error).toBeNull();
    expect(gallery.evaluation?.count).toBe(3);
    expect(gallery.images.get(2)?.[0]).toBe(1);
    expect(gallery.stale).toBe(false);
  });

  it('says so, and shows nothing, when the labels still differ after a reload', async () => {
    const fake = fakeApi();
    fake.handwritingLabels.current = [3, 8];
    const handwriting = handwritingImages([3, 7]);
    const gallery = await onHandwriting(fake, handwriting);
    expect(handwriting.reloads).toBe(1);
    expect(gallery.evaluation).toBeNull();
    expect(gallery.error).toMatch(/changed while it was evaluated/);
  });

  it('marks the evaluation of your handwriting stale once the set changes', async () => {
    const fake = fakeApi();
    fake.handwritingLabels.current = [3];
    let saved = 0;
    const main: HandwritingApi = {
      listHandwriting: async () => ({ samples: [{ id: 'a', label: 3, created: '', image: new Uint8Array(784) }], counts: [] }),
      saveHandwriting: async ({ label }) => ({ id: `n${++saved}`, label, created: '', image: new Uint8Array(784) }),
      relabelHandwriting: async () => {
        throw new Error('not in this test');
      },
      deleteHandwriting: async () => 0,
      exportHandwriting: async () => null,
      importHandwriting: async () => null,
      rebuildHandwriting: async () => 0,
    };
    const handwriting = new Handwriting();
    handwriting.connect(main);
    await settle();
    const gallery = new GalleryState({ handwriting });
    gallery.connect(fake.api);
    fake.evaluations[0].resolve(evaluation('m1'));
    await settle();
    // The test split is never stale on account of your handwriting.
    await handwriting.save(5, [[{ x: 1, y: 1 }]], new Float32Array(784));
    expect(gallery.stale).toBe(false);
    await handwriting.remove(['n1']);
    await gallery.setSource('handwriting');
    expect(gallery.evaluation?.count).toBe(1);
    expect(gallery.stale).toBe(false);
    await handwriting.save(5, [[{ x: 1, y: 1 }]], new Float32Array(784));
    expect(gallery.stale).toBe(true);
  });

  it('waits for a running fine-tune before evaluating again, as a new job would cancel it', async () => {
    const finetuned = deferred<FinetuneResult>();
    const fake = fakeApi(() => finetuned.promise);
    const gallery = await onHandwriting(fake, handwritingImages([3, 7]));
    expect(fake.handwritingCalls()).toBe(1);
    const running = gallery.finetune.run();
    fake.modelChanged();
    await gallery.evaluate();
    expect(fake.handwritingCalls()).toBe(1);
    expect(gallery.waitingForFinetune).toBe(true);
    finetuned.reject(new Error('The evaluation was cancelled.'));
    await running;
    await settle();
    // Once, however many times it was asked for.
    expect(fake.handwritingCalls()).toBe(2);
    expect(gallery.waitingForFinetune).toBe(false);
    expect(gallery.finetune.cancelled).toBe(true);
  });

  it('evaluates on connect and derives the matrix, report and failures from the probabilities', async () => {
    const fake = fakeApi();
    const gallery = new GalleryState();
    gallery.connect(fake.api);
    expect(gallery.evaluating).toBe(true);
    fake.progress({ requestId: 'r', kind: 'evaluation', done: 2, total: 4 });
    expect(gallery.progress?.done).toBe(2);
    fake.evaluations[0].resolve(evaluation('m1'));
    await settle();
    expect(gallery.evaluating).toBe(false);
    expect(gallery.progress).toBeNull();
    expect(gallery.confusion).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [1, 0, 1],
    ]);
    expect(gallery.report?.neverPredicted).toEqual([1]);
    expect(gallery.pairs.map((p) => [p.trueClass, p.predicted])).toEqual([
      [1, 2],
      [2, 0],
    ]);
    // Failures, most confidently wrong first: image 1 (c at 0.7), then image 3 (a at 0.6).
    expect(Array.from(gallery.items)).toEqual([1, 3]);
  });

  it('evaluates again when the model changes, and ignores the older answer if it comes last', async () => {
    const fake = fakeApi();
    const gallery = new GalleryState();
    gallery.connect(fake.api);
    fake.modelChanged();
    expect(fake.evaluations).toHaveLength(2);
    fake.evaluations[1].resolve(evaluation('new'));
    await settle();
    fake.evaluations[0].resolve(evaluation('old'));
    await settle();
    expect(gallery.evaluation?.modelId).toBe('new');
  });

  it('shows an error, but not for a cancelled evaluation', async () => {
    const fake = fakeApi();
    const gallery = new GalleryState();
    gallery.connect(fake.api);
    fake.evaluations[0].reject(new Error('The evaluation was cancelled.'));
    await settle();
    expect(gallery.error).toBeNull();
    void gallery.evaluate();
    fake.evaluations[1].reject(new Error('The MNIST test set is not on this machine yet.'));
    await settle();
    expect(gallery.error).toMatch(/not on this machine/);
  });

  it('notes a class’s failures opened on the test set (a row or one of its cells) for lessons, not its correct images', () => {
    const noted: string[] = [];
    const gallery = new GalleryState({ app: { note: (fact) => void noted.push(fact) } });
    gallery.filterBy({ trueClass: 3, predicted: 5, showCorrect: false });
    gallery.filterBy({ trueClass: 4, predicted: null, showCorrect: true });
    gallery.filterBy({ trueClass: 6, predicted: null, showCorrect: false });
    expect(noted).toEqual(['gallery-failures:3', 'gallery-failures:6']);
  });

  it('filters from the first page, closes the detail, and fetches only the images it lacks', async () => {
    const fake = fakeApi();
    const gallery = new GalleryState();
    gallery.connect(fake.api);
    fake.evaluations[0].resolve(evaluation('m'));
    await settle();
    gallery.selected = 1;
    gallery.page = 3;
    gallery.filterBy({ trueClass: 2, predicted: null, showCorrect: true });
    expect(gallery.page).toBe(0);
    expect(gallery.selected).toBeNull();
    expect(Array.from(gallery.items)).toEqual([3, 2]);
    await gallery.loadImages([3, 2]);
    await gallery.loadImages([2, 1]);
    expect(fake.sampleCalls).toEqual([[3, 2], [1]]);
    expect(Array.from(gallery.images.get(3) ?? [])).toEqual([3, 3, 3, 3]);
    expect(Array.from(gallery.probabilitiesOf(3) ?? [])).toEqual([Math.fround(0.6), Math.fround(0.1), Math.fround(0.3)]);
  });

  it('asks for the quick robustness check beside the default model, or the whole split alone', async () => {
    const fake = fakeApi();
    const gallery = new GalleryState();
    gallery.connect(fake.api);
    fake.evaluations[0].resolve(evaluation('m'));
    await settle();
    await settle();
    // Models of the same dataset, not the evaluated one itself.
    expect(gallery.robustness.comparable.map((m) => m.id)).toEqual(['default', 'mine']);
    await gallery.robustness.check();
    gallery.robustness.compareWith = 'mine';
    await gallery.robustness.check();
    gallery.robustness.compareWith = null;
    gallery.robustness.quick = false;
    await gallery.robustness.check();
    // A choice that is no longer offered (deleted, another dataset) compares with nothing.
    gallery.robustness.compareWith = 'fashion';
    await gallery.robustness.check();
    expect(fake.robustnessCalls).toEqual([
      { compareWith: 'default', images: 2000 },
      { compareWith: 'mine', images: 2000 },
      { compareWith: null, images: null },
      { compareWith: null, images: null },
    ]);
    expect(gallery.robustness.results?.[0].images).toBe(2000);
  });
});
