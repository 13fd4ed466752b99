import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeIdxDataset } from '$engine/data/write-idx';
import { DatasetImportService } from '$main/services/dataset-import-service';
import { scriptedDialogs, type Dialogs } from '$main/services/dialogs';
import { syntheticSet } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-imported-folder-');

const GOOD = { name: 'Good', classNames: ['a', 'b'], rows: 2, cols: 2, counts: { train: 4, test: 2 }, importedAt: '2026-12-01T20:00:00.000Z' };

/** A user-data folder with datasets/imported/<id>/ per entry: its IDX files and the dataset.json text given (none for null). */
async function importedRoot(folders: Record<string, string | null>): Promise<{ userDataDir: string; root: string }> {
  const userDataDir = await tempDir();
  const root = path.join(userDataDir, 'datasets', 'imported');
  await mkdir(root, { recursive: true });
  const splits = { train: syntheticSet(4, 1, 2, 2, 2), test: syntheticSet(2, 2, 2, 2, 2) };
  for (const [id, manifest] of Object.entries(folders)) {
    await writeIdxDataset(path.join(root, id), splits, manifest === null ? {} : { 'dataset.json': manifest });
  }
  return { userDataDir, root };
}

const json = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, ...GOOD, ...extra });

describe('DatasetImportService with folders that do not read', () => {
  it('reports a corrupt, a missing, an invalid and a foreign-id manifest, and a file, each by folder', async () => {
    const { userDataDir, root } = await importedRoot({
      good: json('good'),
      corrupt: '{"id": ',
      missing: null,
      invalid: json('invalid', { classNames: [''] }),
      copied: json('good'),
    });
    await writeFile(path.join(root, 'stray-file'), 'x');
    // Not named like a dataset, so not ours: a killed save's temp folder and a Finder file stay unlisted.
    await mkdir(path.join(root, '.good.123.tmp'));
    await writeFile(path.join(root, '.DS_Store'), 'x');
    await mkdir(path.join(root, 'Not An Id'));
    const imports = new DatasetImportService({ userDataDir, dialogs: scriptedDialogs({}) });
    const { datasets, problems } = await imports.list();
    expect(datasets.map((d) => d.id)).toEqual(['good']);
    expect(problems).toEqual([
      { folder: 'copied', message: 'dataset.json names another dataset (good)' },
      { folder: 'corrupt', message: expect.stringMatching(/^dataset\.json: is not valid JSON \(.+\)$/) },
      { folder: 'invalid', message: expect.stringMatching(/^dataset\.json: invalid at classNames\.0: /) },
      { folder: 'missing', message: 'dataset.json: file not found: expected an MLP Lab dataset manifest here' },
      { folder: 'stray-file', message: 'is a file, not a folder' },
    ]);
    // The datasets the app offers elsewhere are only those that read.
    expect((await imports.summaries()).map((s) => s.id)).toEqual(['good']);
  });

  it('bounds a message, whatever the manifest holds', async () => {
    const { userDataDir, root } = await importedRoot({ huge: null, long: json('long', { classNames: ['x'.repeat(5000)] }) });
    await writeFile(path.join(root, 'huge', 'dataset.json'), ' '.repeat(300 * 1024));
    const { problems } = await new DatasetImportService({ userDataDir, dialogs: scriptedDialogs({}) }).list();
    expect(problems.map((p) => p.folder)).toEqual(['huge', 'long']);
    expect(problems[0].message).toMatch(/^dataset\.json: is 307200 bytes, more than the 262144 bytes a dataset file may take/);
    for (const p of problems) expect(p.message.length).toBeLessThanOrEqual(300);
  });

  it('deletes a problem folder only after the user confirms, asking about it as a folder', async () => {
    const { userDataDir, root } = await importedRoot({ corrupt: '{"id": ', good: json('good') });
    const asked: string[] = [];
    const answers = [false, true];
    const dialogs: Dialogs = { ...scriptedDialogs({}), confirm: async (r) => (asked.push(`${r.title}: ${r.message}`), answers.shift()!) };
    const imports = new DatasetImportService({ userDataDir, dialogs });
    expect(await imports.remove('corrupt')).toBe(false);
    expect(existsSync(path.join(root, 'corrupt'))).toBe(true);
    expect(await imports.remove('corrupt')).toBe(true);
    expect(existsSync(path.join(root, 'corrupt'))).toBe(false);
    expect(asked).toEqual(['Delete folder: Delete the folder corrupt?', 'Delete folder: Delete the folder corrupt?']);
    expect(await imports.list()).toMatchObject({ datasets: [{ id: 'good' }], problems: [] });
    await expect(imports.remove('corrupt')).rejects.toThrow('There is no imported dataset "corrupt"');
    await expect(imports.remove('../good')).rejects.toThrow('There is no imported dataset "../good"');
    expect(existsSync(path.join(root, 'good'))).toBe(true);
    // A file where a dataset's folder belongs is asked about as the file it is.
    await writeFile(path.join(root, 'stray-file'), 'x');
    answers.push(true);
    expect(await imports.remove('stray-file')).toBe(true);
    expect(asked.at(-1)).toBe('Delete file: Delete the file stray-file?');
    expect(existsSync(path.join(root, 'stray-file'))).toBe(false);
  });

  it('asks about a folder whose manifest reads as its dataset, and keeps one mended while the dialog was open', async () => {
    const { userDataDir, root } = await importedRoot({ good: json('good'), mended: null });
    const asked: string[] = [];
    const dialogs: Dialogs = {
      ...scriptedDialogs({}),
      confirm: async (r) => {
        asked.push(r.message);
        // The user restores the manifest from a backup while the question is up.
        if (r.message.includes('mended')) await writeFile(path.join(root, 'mended', 'dataset.json'), json('mended'));
        return true;
      },
    };
    const imports = new DatasetImportService({ userDataDir, dialogs });
    await expect(imports.remove('mended')).rejects.toThrow('The folder mended now holds a readable dataset');
    expect(existsSync(path.join(root, 'mended'))).toBe(true);
    expect(await imports.remove('good')).toBe(true);
    expect(asked).toEqual(['Delete the folder mended?', 'Delete Good?']);
  });
});
