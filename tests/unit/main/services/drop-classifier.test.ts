import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyDrop } from '$main/services/drop-classifier';
import { MAX_MESSAGE_LENGTH } from '$shared/bounded-message';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-drop-');

/** Makes each named file (a name ending in / is a folder) in a fresh folder; returns their paths. */
async function make(...names: string[]): Promise<string[]> {
  const root = await tempDir();
  return Promise.all(
    names.map(async (name) => {
      const target = path.join(root, name);
      if (name.endsWith('/')) await mkdir(target, { recursive: true });
      else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, 'x');
      }
      return target.replace(/\/$/, '');
    }),
  );
}

describe('classifyDrop', () => {
  it('sends model files, zips and folders holding model.json to the model import', async () => {
    const [folder] = await make('my-model/', 'my-model/model.json');
    expect(await classifyDrop([folder])).toEqual({ target: 'model' });
    expect(await classifyDrop(await make('exported.zip'))).toEqual({ target: 'model' });
    expect(await classifyDrop(await make('group1-shard1of2.bin', 'model.json', 'group1-shard2of2.bin'))).toEqual({ target: 'model' });
    expect(await classifyDrop(await make('keras.json', 'weights.bin'))).toEqual({ target: 'model' });
  });

  it('sends one lesson file (.mlplesson, or .md) to the lessons import, and two of them nowhere', async () => {
    const [lesson, markdown] = await make('week-1.mlplesson', 'notes.md');
    expect(await classifyDrop([lesson])).toEqual({ target: 'lesson' });
    expect(await classifyDrop([markdown])).toEqual({ target: 'lesson' });
    expect(await classifyDrop([lesson, markdown])).toMatchObject({ target: null });
  });

  it('sends each dataset format to its import', async () => {
    const [digits] = await make('digits/', 'digits/0/');
    expect(await classifyDrop([digits])).toEqual({ target: 'dataset', format: 'folder' });
    expect(await classifyDrop(await make('train.csv'))).toEqual({ target: 'dataset', format: 'csv' });
    expect(await classifyDrop(await make('batch.png', 'labels.json'))).toEqual({ target: 'dataset', format: 'png-batch' });
    expect(await classifyDrop(await make('batch.png', 'labels.txt'))).toEqual({ target: 'dataset', format: 'png-batch' });
    expect(await classifyDrop(await make('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte'))).toEqual({ target: 'dataset', format: 'idx' });
  });

  it('refuses, saying why: what is neither file nor folder, two folders, a missing path, an unknown kind', async () => {
    const [fifo] = await make('dir/');
    const pipe = path.join(fifo, 'pipe');
    execFileSync('mkfifo', [pipe]);
    expect(await classifyDrop([pipe])).toEqual({ target: null, reason: 'pipe is neither a file nor a folder.' });
    expect(await classifyDrop(await make('a/', 'b/'))).toEqual({ target: null, reason: 'Drop one folder at a time.' });
    expect(await classifyDrop(['/nonexistent/x.csv'])).toEqual({ target: null, reason: 'x.csv is neither a file nor a folder.' });
    expect(await classifyDrop(await make('notes.docx'))).toMatchObject({ target: null, reason: /^notes\.docx: not a dataset .* or a model/ });
    expect(await classifyDrop([])).toMatchObject({ target: null });
  });

  it('keeps a reason within the app\'s message limit, whatever the length of a dropped name', async () => {
    // A path from the window can be 4096 characters, all of them its name.
    const name = `${'n'.repeat(4090)}.csv`;
    const drop = await classifyDrop([`/${name}`]);
    expect(drop.target).toBeNull();
    const reason = (drop as { reason: string }).reason;
    expect(reason.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(reason).toMatch(/^n+…(.csv)? is neither a file nor a folder\.$/);
  });
});
