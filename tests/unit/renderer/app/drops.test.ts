import { describe, expect, it } from 'vitest';
import { AppState } from '$renderer/app/app-state.svelte';
import { Drops, type DropApi } from '$renderer/app/drops.svelte';
import type { DropTarget } from '$shared/drop';

/** A window.api whose files carry their path in their name, and whose main answers `target`. */
function fakeApi(target: DropTarget): DropApi & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    pathsForFiles: (files) => files.map((f) => (f.name.startsWith('/') ? f.name : '')),
    classifyDrop: async ({ paths }) => {
      asked.push(paths);
      return target;
    },
  };
}

function setUp() {
  const app = new AppState();
  const drops = new Drops(app);
  const calls: unknown[][] = [];
  drops.onDataset(async (paths, format) => void calls.push(['dataset', paths, format]));
  drops.onModel(async (paths) => void calls.push(['model', paths]));
  drops.onLesson(async (paths) => void calls.push(['lesson', paths]));
  return { app, drops, calls };
}

const files = (...names: string[]) => names.map((n) => new File([], n));

describe('Drops', () => {
  it('hands a lesson file to the lessons drawer, staying on the tab the learner is on', async () => {
    const { app, drops, calls } = setUp();
    app.panel = 'train';
    await drops.drop(fakeApi({ target: 'lesson' }), files('/home/u/week-1.mlplesson'));
    expect(calls).toEqual([['lesson', ['/home/u/week-1.mlplesson']]]);
    expect(app.panel).toBe('train');
  });

  it("hands a dataset to the Data tab's import with the format main found, and shows that tab", async () => {
    const { app, drops, calls } = setUp();
    drops.over = true;
    const api = fakeApi({ target: 'dataset', format: 'csv' });
    await drops.drop(api, files('/home/u/train.csv'));
    expect(api.asked).toEqual([['/home/u/train.csv']]);
    expect(calls).toEqual([['dataset', ['/home/u/train.csv'], 'csv']]);
    expect(app.panel).toBe('data');
    expect(drops.over).toBe(false);
  });

  it("hands a model to the Models tab's import, and shows that tab", async () => {
    const { app, drops, calls } = setUp();
    await drops.drop(fakeApi({ target: 'model' }), files('/m/model.json', '/m/group1-shard1of1.bin'));
    expect(calls).toEqual([['model', ['/m/model.json', '/m/group1-shard1of1.bin']]]);
    expect(app.panel).toBe('models');
  });

  it('says why nothing was imported: no local files, or files main takes for neither', async () => {
    const { app, drops, calls } = setUp();
    const api = fakeApi({ target: null, reason: 'notes.docx: not a dataset or a model' });
    await drops.drop(api, files('dragged-from-a-web-page.png'));
    expect(api.asked).toEqual([]);
    await drops.drop(api, files('/home/u/notes.docx'));
    expect(app.errors.map((e) => e.message)).toEqual([
      'Only files and folders from this computer can be dropped here',
      'Nothing to import: notes.docx: not a dataset or a model',
    ]);
    expect(calls).toEqual([]);
    expect(app.panel).toBe('draw');
  });
});
