import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/model-files';
import type { EvaluationJob } from '$engine/evaluation/jobs';
import type { ModelFiles } from '$engine/ml/model-files';
import { scriptedDialogs } from '$main/services/dialogs';
import { HandwritingService } from '$main/services/handwriting/handwriting-service';
import type { ModelPayload } from '$shared/models';
import { imageFromStrokes } from '$shared/preprocess/rasterize-strokes';
import { RESOURCES_DIR, hereAt } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-handwriting-svc-');

async function setup(datasetId = 'mnist') {
  const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
  const active: ModelPayload = { id: 'default', ...files, metadata: { ...files.metadata, datasetId } };
  const added: ModelFiles[] = [];
  const activated: { id: string; files: ModelFiles }[] = [];
  /** What the library's next write does before it succeeds (or fails). */
  const library: { before: (() => Promise<void>) | null } = { before: null };
  const jobs: EvaluationJob[] = [];
  const evaluated: { model: string; dataset: string; labels: number[] }[] = [];
  const service = new HandwritingService({
    userDataDir: await tempDir(),
    events: () => undefined,
    dialogs: scriptedDialogs({}),
    models: { active: async () => active, setActive: (id, f) => activated.push({ id, files: f }) },
    library: {
      add: async (f) => {
        const before = library.before;
        library.before = null;
        await before?.();
        added.push(f);
        return { id: `mine${added.length}`, name: f.metadata.name } as never;
      },
    },
    describeDataset: hereAt('/data'),
    evaluation: {
      evaluateModel: async (model, dataset, set) => {
        evaluated.push({ model: model.id, dataset: dataset.id, labels: Array.from(set?.labels ?? []) });
        return { accuracy: 1 } as never;
      },
    },
    worker: {
      runJob: async (job) => {
        jobs.push(job);
        if (job.type !== 'finetune') throw new Error('only fine-tunes here');
        const tuned = { ...job.model.files, weights: new ArrayBuffer(8), metadata: { ...job.model.files.metadata, name: job.name } };
        return { type: 'finetune', before: { own: 0.5, mnist: 0.99 }, after: { own: 0.9, mnist: 0.985 }, fineTuneCounts: [], heldOutCounts: [], heldOut: [], files: tuned, seconds: 1 };
      },
    },
  });
  return { service, active, added, activated, jobs, evaluated, library };
}

const strokes = [[{ x: 140, y: 60 }, { x: 140, y: 220 }]];
const options = { share: 0.3, epochs: 2, augment: true, seed: 1 };

describe('HandwritingService', () => {
  it('fine-tunes a copy of the active model with your samples and ids, and keeps it only when asked', async () => {
    const { service, active, added, activated, jobs } = await setup();
    await expect(service.finetune(options)).rejects.toThrow(/empty/);
    await service.save({ label: 1, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    const first = await service.finetune(options);
    const job = jobs[0];
    expect(job.type === 'finetune' && job.own.count === 1 && job.own.ids.length === 1).toBe(true);
    expect(first.name).toBe(`${active.metadata.name} · your handwriting`);
    expect(first.after.own).toBe(0.9);
    service.discard(first.token);
    expect(() => service.discard(first.token)).toThrow(/no longer waiting/);
    const second = await service.finetune(options);
    await service.keep(second.token, true);
    // What goes into the library and becomes active is the worker's fine-tuned model, not the one it started from.
    expect(added.map((f) => [f.metadata.name, f.weights.byteLength])).toEqual([[second.name, 8]]);
    expect(activated).toEqual([{ id: 'mine1', files: added[0] }]);
    expect(added[0].weights).not.toBe(active.weights);
    await expect(service.keep(second.token, false)).rejects.toThrow(/no longer waiting/);
  });

  it('keeps a fine-tuned model waiting when the library cannot take it, so Keep can be tried again', async () => {
    const { service, added, activated, library } = await setup();
    await service.save({ label: 1, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    const { token } = await service.finetune(options);
    library.before = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    await expect(service.keep(token, true)).rejects.toThrow(/ENOSPC/);
    expect(added).toEqual([]);
    expect(activated).toEqual([]);
    expect((await service.keep(token, true)).id).toBe('mine1');
    expect(activated.map((a) => a.id)).toEqual(['mine1']);
    expect(() => service.discard(token)).toThrow(/no longer waiting/);
  });

  it('keeps a model once: a second Keep or a Discard while the first is writing is refused', async () => {
    const { service, added, library } = await setup();
    await service.save({ label: 1, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    const { token } = await service.finetune(options);
    let release!: () => void;
    library.before = () => new Promise<void>((resolve) => (release = resolve));
    const keeping = service.keep(token, false);
    await expect(service.keep(token, false)).rejects.toThrow(/already being kept/);
    expect(() => service.discard(token)).toThrow(/already being kept/);
    release();
    await keeping;
    expect(added).toHaveLength(1);
    await expect(service.keep(token, false)).rejects.toThrow(/no longer waiting/);
  });

  it('sends the fine-tune ids and images from one state of the set, with the changes asked for before it', async () => {
    const { service, jobs } = await setup();
    const image = (x: number) => Array.from(imageFromStrokes([[{ x, y: 60 }, { x, y: 220 }]])!);
    const first = await service.save({ label: 1, strokes, image: image(140) });
    await service.save({ label: 2, strokes, image: image(100) });
    // Not waited for: the fine-tune must still see the set after both.
    const removing = service.remove([first.id]);
    const saving = service.save({ label: 3, strokes, image: image(180) });
    await service.finetune(options);
    await removing;
    const third = await saving;
    const job = jobs[0];
    if (job.type !== 'finetune') throw new Error('expected a fine-tune');
    const { samples } = await service.list();
    expect(job.own.ids).toEqual(samples.map((s) => s.id));
    expect(job.own.ids.at(-1)).toBe(third.id);
    expect(Array.from(job.own.labels)).toEqual([2, 3]);
    expect(job.own.count).toBe(2);
    expect(Array.from(job.own.images.subarray(0, 784))).toEqual(image(100));
    expect(Array.from(job.own.images.subarray(784))).toEqual(image(180));
  });

  it('measures the active model on every sample of the set, the way the Gallery scores a dataset', async () => {
    const { service, evaluated } = await setup();
    await expect(service.evaluate()).rejects.toThrow(/empty/);
    for (const label of [1, 7, 7]) await service.save({ label, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    await service.evaluate();
    expect(evaluated).toEqual([{ model: 'default', dataset: 'mnist', labels: [1, 7, 7] }]);
  });

  it('refuses a model that was not trained on MNIST digits', async () => {
    const { service } = await setup('fashion-mnist');
    await service.save({ label: 1, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    await expect(service.finetune(options)).rejects.toThrow(/fashion-mnist, not MNIST digits/);
    await expect(service.evaluate()).rejects.toThrow(/not MNIST digits/);
  });
});
