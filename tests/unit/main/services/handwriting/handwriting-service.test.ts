import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFiles } from '../../../../../src/engine/ml/model-files';
import type { EvaluationJob } from '../../../../../src/engine/evaluation/jobs';
import { scriptedDialogs } from '../../../../../src/main/services/dialogs';
import { HandwritingService } from '../../../../../src/main/services/handwriting/handwriting-service';
import type { ModelPayload } from '../../../../../src/shared/models';
import { imageFromStrokes } from '../../../../../src/shared/preprocess/rasterize-strokes';
import { RESOURCES_DIR, hereAt } from '../../../../helpers/datasets';
import { tempDirs } from '../../../../helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-handwriting-svc-');

async function setup(datasetId = 'mnist') {
  const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
  const active: ModelPayload = { id: 'default', ...files, metadata: { ...files.metadata, datasetId } };
  const added: string[] = [];
  const activated: string[] = [];
  const jobs: EvaluationJob[] = [];
  const evaluated: { model: string; dataset: string; labels: number[] }[] = [];
  const service = new HandwritingService({
    userDataDir: await tempDir(),
    events: () => undefined,
    dialogs: scriptedDialogs({}),
    models: { active: async () => active, setActive: (id) => activated.push(id) },
    library: {
      add: async (f) => {
        added.push(f.metadata.name);
        return { id: 'mine', name: f.metadata.name } as never;
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
  return { service, active, added, activated, jobs, evaluated };
}

const strokes = [[{ x: 140, y: 60 }, { x: 140, y: 220 }]];
const options = { share: 0.3, epochs: 2, augment: true, seed: 1 };

describe('HandwritingService', () => {
  it('fine-tunes a copy of the active model with your samples and ids, and keeps it only when asked', async () => {
    const { service, active, added, activated, jobs } = await setup();
    await expect(service.finetune(options)).rejects.toThrow(/empty/);
    await service.save({ label: 1, strokes, image: Array.from(imageFromStrokes(strokes)!) });
    const weights = new Uint8Array(active.weights.slice(0));
    const first = await service.finetune(options);
    const job = jobs[0];
    expect(job.type === 'finetune' && job.own.count === 1 && job.own.ids.length === 1).toBe(true);
    expect(first.name).toBe(`${active.metadata.name} · your handwriting`);
    expect(first.after.own).toBe(0.9);
    service.discard(first.token);
    expect(() => service.discard(first.token)).toThrow(/no longer waiting/);
    const second = await service.finetune(options);
    await service.keep(second.token, true);
    expect(added).toEqual([second.name]);
    expect(activated).toEqual(['mine']);
    await expect(service.keep(second.token, false)).rejects.toThrow(/no longer waiting/);
    expect(new Uint8Array(active.weights)).toEqual(weights);
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
