import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/model-files';
import { scriptedDialogs } from '$main/services/dialogs';
import { ModelLibrary } from '$main/services/model-library';
import { withMetadata } from '$main/services/model-import';
import { ModelService } from '$main/services/model-service';
import type { ModelImportOutcome } from '$shared/models';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { folderTrash } from '$tests/helpers/trash';

let root: string;
let models: ModelService;
let clock: number;
const library = () => new ModelLibrary({ models, dialogs: scriptedDialogs({}), trash: folderTrash(path.join(root, 'trash')), now: () => clock });
const libraryDir = () => path.join(root, 'user', 'models');

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-import-metadata-'));
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir: path.join(root, 'user'), events: () => undefined });
  clock = Date.now();
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** The bundled default as tfjs model.save writes it: model.json and weights.bin, no metadata.json. */
async function withoutMetadata(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  const files = await readModelFiles(models.defaultModelDir);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(files.modelJson));
  await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(files.weights));
  return dir;
}

const previewOf = (outcome: ModelImportOutcome) => {
  if (outcome.status !== 'needs-metadata') throw new Error('expected a preview');
  return outcome.preview;
};

describe('importing a model without metadata', () => {
  it('adds nothing until confirmed, proposes 0–9 and ÷255, and stores what the user chose', async () => {
    const lib = library();
    const preview = previewOf(await lib.importPath(await withoutMetadata('keras')));
    expect(preview).toMatchObject({ name: 'keras', architecture: '784-512-256-10', outputs: 10, datasetId: 'mnist' });
    expect(preview.defaults).toEqual({ classNames: '0123456789'.split(''), normalization: 'divide255' });
    expect(await readdir(libraryDir()).catch(() => [])).toEqual([]);

    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const imported = await lib.confirmImport({ token: preview.token, classNames: names, normalization: 'unit' });
    expect(imported).toMatchObject({ model: { id: 'keras', name: 'keras' }, assumed: ['the MNIST dataset'] });
    const saved = await readModelFiles(path.join(libraryDir(), 'keras'));
    expect(saved.metadata).toMatchObject({ classNames: names, normalization: 'unit', spec: { normalization: 'unit' } });
    // A token is good for one import only.
    await expect(lib.confirmImport({ token: preview.token, classNames: names, normalization: 'unit' })).rejects.toThrow(/no longer pending/);
  });

  it('refuses a wrong count of class names, an empty or repeated one, and keeps the preview for a second try', async () => {
    const lib = library();
    const dir = await withoutMetadata('in');
    const { token } = previewOf(await lib.importPath(dir));
    const file = path.join(dir, 'model.json');
    await expect(lib.confirmImport({ token, classNames: ['a', 'b'], normalization: 'divide255' })).rejects.toThrow(
      `${file}: 2 class names were given, but the model has 10 softmax outputs`,
    );
    const ten = '0123456789'.split('');
    await expect(lib.confirmImport({ token, classNames: [...ten.slice(0, 9), '3'], normalization: 'divide255' })).rejects.toThrow(
      `${file}: the class name "3" is given twice`,
    );
    await expect(lib.confirmImport({ token, classNames: [...ten.slice(0, 9), ' '], normalization: 'divide255' })).rejects.toThrow(
      `${file}: class name 10 is empty`,
    );
    expect(await readdir(libraryDir()).catch(() => [])).toEqual([]);
    await lib.confirmImport({ token, classNames: ten, normalization: 'divide255' });
    expect(await readdir(libraryDir())).toEqual(['in']);
  });

  it('forgets a preview after half an hour, and keeps at most four', async () => {
    const lib = library();
    const dir = await withoutMetadata('in');
    const first = previewOf(await lib.importPath(dir));
    clock += 31 * 60_000;
    await expect(lib.confirmImport({ token: first.token, classNames: first.defaults.classNames, normalization: 'divide255' })).rejects.toThrow(/no longer pending/);
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(previewOf(await lib.importPath(dir)).token);
    await expect(lib.confirmImport({ token: tokens[0], classNames: first.defaults.classNames, normalization: 'divide255' })).rejects.toThrow(/no longer pending/);
    await lib.confirmImport({ token: tokens[4], classNames: first.defaults.classNames, normalization: 'divide255' });
  });
});

describe('withMetadata', () => {
  it('refuses a normalisation MLP Lab does not run', async () => {
    const files = await readModelFiles(models.defaultModelDir);
    expect(() => withMetadata('m/model.json', files, { classNames: files.metadata.classNames, normalization: 'minus1to1' as never })).toThrow(
      'm/model.json: normalisation "minus1to1" is not one MLP Lab runs',
    );
  });
});
