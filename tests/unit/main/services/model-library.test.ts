import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFiles, writeModelFiles } from '$engine/ml/model-files';
import { scriptedDialogs, type ScriptedAnswers } from '$main/services/dialogs';
import { ModelLibrary } from '$main/services/model-library';
import { ModelService, RECENT_RUNS } from '$main/services/model-service';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { folderTrash } from '$tests/helpers/trash';

let root: string;
let models: ModelService;
let changes: { id: string; name: string }[];
const library = (dialogs: ScriptedAnswers = {}, now?: () => number) =>
  new ModelLibrary({ models, dialogs: scriptedDialogs(dialogs), trash: folderTrash(path.join(root, 'trash')), now });
const libraryDir = () => path.join(root, 'user', 'models');

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-library-'));
  changes = [];
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir: path.join(root, 'user'), events: (_e, p) => changes.push(p as never) });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('ModelLibrary list', () => {
  it('lists the default first, then saved models; a corrupt or foreign folder is skipped and reported', async () => {
    await models.save('Mine');
    await mkdir(path.join(libraryDir(), 'photos'));
    for (const name of ['model.json', 'weights.bin', 'metadata.json']) await writeFile(path.join(libraryDir(), 'photos', name), 'not json');
    const { models: listed, problems } = await library().list();
    expect(listed.map((m) => [m.id, m.name, m.builtIn])).toEqual([
      ['default', listed[0].name, true],
      ['mine', 'Mine', false],
    ]);
    expect(listed[1]).toMatchObject({ architecture: '784-512-256-10', parameters: 535_818, datasetId: 'mnist' });
    expect(listed[1].curve.length).toBeGreaterThan(1);
    expect(problems).toEqual([{ folder: path.join(libraryDir(), 'photos'), message: expect.stringMatching(/photos: model\.json is not valid JSON/) }]);
  });

  it('clears what a killed save left (old .tmp- folders, old empty folders) but not a save in progress', async () => {
    await mkdir(libraryDir(), { recursive: true });
    const stale = path.join(libraryDir(), 'mine.tmp-0b6f3c55-3f0a-4c1e-9a5e-2a1f4f7c9d10');
    const fresh = path.join(libraryDir(), 'other.tmp-1b6f3c55-3f0a-4c1e-9a5e-2a1f4f7c9d10');
    const empty = path.join(libraryDir(), 'mine');
    for (const dir of [stale, fresh, empty]) await mkdir(dir);
    await writeFile(path.join(stale, 'weights.bin'), 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    await utimes(empty, hourAgo, hourAgo);
    const { problems } = await library().list();
    expect(problems).toEqual([]);
    expect(await readdir(libraryDir())).toEqual([path.basename(fresh)]);
  });

  // writeModelFiles' folder names; aged as a killed process would have left them.
  const uuid = (n: number) => `${n}b6f3c55-3f0a-4c1e-9a5e-2a1f4f7c9d10`;
  const age = (dir: string) => utimes(dir, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  const listedNames = (listing: { models: { id: string; name: string }[] }) => listing.models.slice(1).map((m) => [m.id, m.name]);

  it('puts back a model whose save was killed between its two renames, newest readable copy first', async () => {
    // What writeModelFiles leaves when killed after moving `<id>` aside and before moving the new one in.
    const files = await readModelFiles((await models.save('Mine')).dir);
    const lib = libraryDir();
    const renamed = { ...files, metadata: { ...files.metadata, name: 'Renamed' } };
    // A rename: both copies complete, the new one is kept.
    await rename(path.join(lib, 'mine'), path.join(lib, `mine.old-${uuid(0)}`));
    await writeModelFiles(path.join(lib, `mine.tmp-${uuid(1)}`), renamed);
    // Only the previous model readable (the new one cut short).
    await writeModelFiles(path.join(lib, `two.old-${uuid(2)}`), files);
    await mkdir(path.join(lib, `two.tmp-${uuid(3)}`));
    await writeFile(path.join(lib, `two.tmp-${uuid(3)}`, 'weights.bin'), 'partial');
    // A new model: what the claimed empty folder was moved aside for, or the empty folder still there.
    await mkdir(path.join(lib, `three.old-${uuid(4)}`));
    await writeModelFiles(path.join(lib, `three.tmp-${uuid(5)}`), files);
    await mkdir(path.join(lib, 'four'));
    await writeModelFiles(path.join(lib, `four.tmp-${uuid(6)}`), files);
    // Nothing readable left: kept, said, never deleted.
    await mkdir(path.join(lib, `five.old-${uuid(7)}`));
    await writeFile(path.join(lib, `five.old-${uuid(7)}`, 'model.json'), 'cut short');
    // A complete .tmp- beside an unreadable `<id>`: the only good copy, so neither replaces the other nor goes.
    await mkdir(path.join(lib, 'six'));
    for (const name of ['model.json', 'weights.bin', 'metadata.json']) await writeFile(path.join(lib, 'six', name), 'not json');
    await writeModelFiles(path.join(lib, `six.tmp-${uuid(8)}`), files);
    for (const name of await readdir(lib)) await age(path.join(lib, name));

    const listing = await library().list();
    expect(listedNames(listing)).toEqual([['four', 'Mine'], ['mine', 'Renamed'], ['three', 'Mine'], ['two', 'Mine']]);
    const kept = path.join(lib, `five.old-${uuid(7)}`);
    expect(listing.problems).toEqual([
      { folder: path.join(lib, 'six'), message: expect.stringMatching(/six: model\.json is not valid JSON/) },
      { folder: kept, message: 'was left by an interrupted save of "five" and is not a readable model; kept, as it may be the only copy' },
      {
        folder: path.join(lib, `six.tmp-${uuid(8)}`),
        message: 'holds a copy of "six" left by an interrupted save, and "six" is missing or unreadable; kept, as it may be the only good copy',
      },
    ]);
    expect((await readdir(lib)).sort()).toEqual(['five.old-' + uuid(7), 'four', 'mine', 'six', `six.tmp-${uuid(8)}`, 'three', 'two']);
    expect(await readFile(path.join(kept, 'model.json'), 'utf8')).toBe('cut short');
    expect((await readModelFiles(path.join(lib, `six.tmp-${uuid(8)}`))).metadata.name).toBe('Mine');
  });

  it('waits while a killed save\'s .tmp- is fresh, then puts back that newer model, not the .old- it replaced', async () => {
    const files = await readModelFiles((await models.save('Mine')).dir);
    const lib = libraryDir();
    // A rename keeps a folder's mtime: the .old- is as old as the model it holds, the .tmp- just written.
    await age(path.join(lib, 'mine'));
    await rename(path.join(lib, 'mine'), path.join(lib, `mine.old-${uuid(0)}`));
    await writeModelFiles(path.join(lib, `mine.tmp-${uuid(1)}`), { ...files, metadata: { ...files.metadata, name: 'Renamed' } });
    const before = (await readdir(lib)).sort();
    const start = Date.now();
    expect(listedNames(await library({}, () => start).list())).toEqual([]);
    expect((await readdir(lib)).sort()).toEqual(before);

    const later = await library({}, () => start + 11 * 60_000).list();
    expect(listedNames(later)).toEqual([['mine', 'Renamed']]);
    expect(later.problems).toEqual([]);
    expect(await readdir(lib)).toEqual(['mine']);
  });

  it('leaves a save between its renames alone, so that its second rename still succeeds', async () => {
    const files = await readModelFiles((await models.save('Mine')).dir);
    const lib = libraryDir();
    const [slot, old, temp] = ['mine', `mine.old-${uuid(0)}`, `mine.tmp-${uuid(1)}`].map((name) => path.join(lib, name));
    // writeModelFiles of a model saved an hour ago, paused after its first rename.
    await age(slot);
    await writeModelFiles(temp, { ...files, metadata: { ...files.metadata, name: 'Renamed' } });
    await rename(slot, old);
    await library().list();
    // The save goes on: its second rename, then the old copy's removal.
    await rename(temp, slot);
    await rm(old, { recursive: true });
    expect(listedNames(await library().list())).toEqual([['mine', 'Renamed']]);
  });

  it('of two copies of one kind, puts back the newer', async () => {
    const files = await readModelFiles((await models.save('Mine')).dir);
    const lib = libraryDir();
    await rm(path.join(lib, 'mine'), { recursive: true });
    const older = path.join(lib, `mine.old-${uuid(0)}`);
    const newer = path.join(lib, `mine.old-${uuid(1)}`);
    await writeModelFiles(older, { ...files, metadata: { ...files.metadata, name: 'Older' } });
    await writeModelFiles(newer, { ...files, metadata: { ...files.metadata, name: 'Newer' } });
    // The newer one sorts after the older by name, so only the mtimes can put it first.
    await utimes(older, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
    await age(newer);
    expect(listedNames(await library().list())).toEqual([['mine', 'Newer']]);
  });

  it('does not report the folder of a new model a save is still filling, and a delete spares a save begun during it', async () => {
    await mkdir(libraryDir(), { recursive: true });
    // ModelService.claimFolder's empty folder, and writeModelFiles' .tmp- not yet complete.
    await mkdir(path.join(libraryDir(), 'fresh'));
    await mkdir(path.join(libraryDir(), `fresh.tmp-${uuid(4)}`));
    expect((await library().list()).problems).toEqual([]);

    await models.save('Mine');
    const begun = path.join(libraryDir(), `mine.tmp-${uuid(5)}`);
    // A save of a new "Mine" that starts while the old one goes to the trash.
    const trash = folderTrash(path.join(root, 'trash'));
    const removing = new ModelLibrary({ models, dialogs: scriptedDialogs({ confirm: [true] }), trash: async (target) => (await trash(target), await mkdir(begun)) });
    expect(await removing.remove('mine')).toBe(true);
    expect(await readdir(libraryDir())).toContain(path.basename(begun));
  });

  it('does not bring a deleted model back from what its saves left', async () => {
    const files = await readModelFiles((await models.save('Mine')).dir);
    const lib = libraryDir();
    // A .old- whose removal never ran, and a .tmp- of a save still writing or killed.
    await writeModelFiles(path.join(lib, `mine.old-${uuid(0)}`), files);
    await age(path.join(lib, `mine.old-${uuid(0)}`));
    await writeModelFiles(path.join(lib, `mine.tmp-${uuid(1)}`), files);
    // Another model's, whose id begins the same: not the deleted model's debris.
    await writeModelFiles(path.join(lib, `mine-2.tmp-${uuid(2)}`), files);
    expect(await library({ confirm: [true] }).remove('mine')).toBe(true);
    expect(await readdir(lib)).toEqual([`mine-2.tmp-${uuid(2)}`]);
    expect(listedNames(await library({}, () => Date.now() + 11 * 60_000).list())).toEqual([['mine-2', 'Mine']]);
  });

  it('reports a models path that is a file, and refuses to save there with a clear message', async () => {
    await mkdir(path.join(root, 'user'));
    await writeFile(libraryDir(), 'oops');
    expect((await library().list()).problems).toEqual([{ folder: libraryDir(), message: 'is a file, not a folder' }]);
    await expect(models.save('x')).rejects.toThrow(`${libraryDir()} is a file, not a folder`);
  });
});

describe('ModelLibrary actions', () => {
  it('loads a model as the active one', async () => {
    await models.save('Mine');
    await library().load('mine');
    expect(changes.at(-1)).toEqual({ id: 'mine', name: 'Mine' });
    expect((await models.active()).id).toBe('mine');
    await expect(library().load('../x')).rejects.toThrow(/is not a model of the library/);
  });

  it('renames in place (the active model too), duplicates into a new folder, never touches the default', async () => {
    await models.save('Mine');
    await library().load('mine');
    const renamed = await library().rename('mine', 'Better name');
    expect(renamed).toMatchObject({ id: 'mine', name: 'Better name' });
    expect((await readModelFiles(path.join(libraryDir(), 'mine'))).metadata.name).toBe('Better name');
    expect(changes.at(-1)).toEqual({ id: 'mine', name: 'Better name' });
    const copy = await library().duplicate('mine');
    expect(copy).toMatchObject({ id: 'better-name-copy', name: 'Better name (copy)' });
    const fromDefault = await library().duplicate('default');
    expect(fromDefault.builtIn).toBe(false);
    await expect(library().rename('default', 'x')).rejects.toThrow(/not a model of the library/);
    await expect(library({ confirm: [true] }).remove('default')).rejects.toThrow(/not a model of the library/);
  });

  it('numbers a name the library already has, as a re-import or a second copy would repeat it', async () => {
    await models.save('Mine');
    const first = await library().duplicate('mine');
    const second = await library().duplicate('mine');
    expect([first.name, second.name]).toEqual(['Mine (copy)', 'Mine (copy) (2)']);
    const third = await library().add(await library().read('mine'));
    expect(third.name).toBe('Mine (2)');
    expect((await readModelFiles(path.join(libraryDir(), third.id))).metadata.name).toBe('Mine (2)');
  });

  it('names a copy within the 80 characters a name may have, cutting the name, not " (copy)"', async () => {
    await models.save('x'.repeat(78));
    const [saved] = (await library().list()).models.filter((m) => !m.builtIn);
    const copy = await library().duplicate(saved.id);
    expect(copy.name).toBe(`${'x'.repeat(73)} (copy)`);
    expect((await readModelFiles(path.join(libraryDir(), copy.id))).metadata.name).toBe(copy.name);
  });

  it('opens, renames and duplicates a model saved with a longer name and class names, as older versions wrote them', async () => {
    await models.save('Old');
    const file = path.join(libraryDir(), 'old', 'metadata.json');
    const metadata = JSON.parse(await readFile(file, 'utf8'));
    const classNames = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(60, '.'));
    await writeFile(file, JSON.stringify({ ...metadata, name: 'n'.repeat(120), classNames }));
    const { models: listed, problems } = await library().list();
    expect(problems).toEqual([]);
    expect(listed.find((m) => m.id === 'old')?.name).toBe('n'.repeat(120));
    const copy = await library().duplicate('old');
    expect(copy.name).toBe(`${'n'.repeat(73)} (copy)`);
    expect((await readModelFiles(path.join(libraryDir(), copy.id))).metadata.classNames).toEqual(classNames);
    await library().rename('old', 'Renamed');
    expect((await readModelFiles(path.join(libraryDir(), 'old'))).metadata).toMatchObject({ name: 'Renamed', classNames });
  });

  it('deletes to the trash only after a yes', async () => {
    await models.save('Mine');
    expect(await library({ confirm: [false] }).remove('mine')).toBe(false);
    expect(await readdir(libraryDir())).toEqual(['mine']);
    expect(await library({ confirm: [true] }).remove('mine')).toBe(true);
    expect(await readdir(libraryDir())).toEqual([]);
    expect(await readdir(path.join(root, 'trash'))).toEqual(['1-mine']);
  });

  it('gives reserved Windows names a suffix', async () => {
    expect(path.basename((await models.save('CON')).dir)).toBe('con-model');
    expect(path.basename((await models.save('com1')).dir)).toBe('com1-model');
    expect(path.basename((await models.save('default')).dir)).toBe('default-model');
  });
});

describe('ModelLibrary export and import', () => {
  it('exports a zip that plain tfjs loads and that predicts as the original; imports it back', async () => {
    const zip = path.join(root, 'out', 'default.zip');
    await mkdir(path.dirname(zip));
    expect(await library({ save: [zip] }).exportModel('default', 'zip')).toEqual({ path: zip });
    const files = unzipSync(new Uint8Array(await readFile(zip)));
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'metadata.json', 'model.json', 'weights.bin']);
    expect(new TextDecoder().decode(files['README.txt'])).toMatch(/tf\.loadLayersModel\("model\.json"\)[\s\S]*tensorflowjs/);
    // Plain tfjs, as a web page would: its loader fetches model.json then the shards it names.
    const exported = await tf.loadLayersModel({
      load: async () => {
        const json = JSON.parse(new TextDecoder().decode(files['model.json']));
        return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: files['weights.bin'].slice().buffer };
      },
    });
    const original = await readModelFiles(models.defaultModelDir);
    const reference = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: original.modelJson.modelTopology as object, weightSpecs: original.modelJson.weightsManifest[0].weights as tf.io.WeightsManifestEntry[], weightData: original.weights }));
    const x = tf.randomUniform([3, 784], 0, 1, 'float32', 7);
    expect((exported.predict(x) as tf.Tensor).arraySync()).toEqual((reference.predict(x) as tf.Tensor).arraySync());

    const outcome = await library({ open: [[zip]] }).importModel('file');
    expect(outcome).toMatchObject({ status: 'imported', imported: { assumed: [], model: { id: expect.stringMatching(/^mlp|default|robust/), name: `${original.metadata.name} (2)` } } });
    const imported = outcome?.status === 'imported' ? outcome.imported : null;
    const back = await readModelFiles(path.join(libraryDir(), imported!.model.id));
    expect(new Float32Array(back.weights)).toEqual(new Float32Array(original.weights));
  });

  it('exports to a new folder, refuses a non-empty one, and imports the folder back', async () => {
    const out = path.join(root, 'export');
    await library({ save: [out] }).exportModel('default', 'folder');
    expect((await readdir(out)).sort()).toEqual(['README.txt', 'metadata.json', 'model.json', 'weights.bin']);
    await expect(library({ save: [out] }).exportModel('default', 'folder')).rejects.toThrow(/the folder is not empty/);
    expect(await library({ save: [''] }).exportModel('default', 'zip')).toBeNull();
    const imported = await library({ open: [[out]] }).importModel('folder');
    expect(imported?.status === 'imported' && imported.imported.model.architecture).toBe('784-512-256-10');
    expect(await library({ open: [[]] }).importModel('folder')).toBeNull();
  });

  const badZip = async (entries: Record<string, Uint8Array>): Promise<string> => {
    const file = path.join(root, 'bad.zip');
    await writeFile(file, zipSync(entries));
    return file;
  };
  const listedIds = async () => (await library().list()).models.map((m) => m.id);

  it('refuses bad imports with a message naming the file and leaves the library unchanged', async () => {
    const before = await listedIds();
    const text = (s: string) => new TextEncoder().encode(s);
    await expect(library().importPath(await badZip({ 'x/../../model.json': text('{}') }))).rejects.toThrow(/bad\.zip entry "x\/\.\.\/\.\.\/model\.json" has a path/);
    await expect(library().importPath(await badZip({ 'readme.md': text('hi') }))).rejects.toThrow(/bad\.zip holds no model\.json at its top level/);
    await expect(library().importPath(await badZip({ 'model.json': text('{"weightsManifest": []}') }))).rejects.toThrow(/bad\.zip: model\.json: modelTopology is missing/);
    await writeFile(path.join(root, 'fake.zip'), 'not a zip at all');
    await expect(library().importPath(path.join(root, 'fake.zip'))).rejects.toThrow(/fake\.zip is not a readable zip/);
    await expect(library().importPath(path.join(root, 'nowhere'))).rejects.toThrow(/nowhere is missing/);
    expect(await listedIds()).toEqual(before);
    expect(await readdir(libraryDir()).catch(() => 'no library folder')).toEqual('no library folder');
  });

  it('reads regular files only, so a shard that is a link to /dev/zero is refused, not read on and on', async () => {
    const dir = path.join(root, 'linked');
    await library({ save: [dir] }).exportModel('default', 'folder');
    await rm(path.join(dir, 'weights.bin'));
    await symlink('/dev/zero', path.join(dir, 'weights.bin'));
    await expect(library().importPath(dir)).rejects.toThrow(/weights\.bin is not a regular file/);
  });

  it('refuses a shard longer than its weights need without reading it whole', async () => {
    const dir = path.join(root, 'long');
    await library({ save: [dir] }).exportModel('default', 'folder');
    const weights = path.join(dir, 'weights.bin');
    const size = (await readFile(weights)).byteLength;
    await appendFile(weights, new Uint8Array(4096));
    await expect(library().importPath(dir)).rejects.toThrow(`${weights} is larger than ${size} bytes`);
  });
});

describe('ModelLibrary recent runs', () => {
  it('loads a model trained this session by its run id, and forgets the oldest beyond RECENT_RUNS', async () => {
    const files = await readModelFiles(models.defaultModelDir);
    const runIds = Array.from({ length: RECENT_RUNS + 1 }, (_, i) => `0000000${i}-aaaa-4bbb-8ccc-dddddddddddd`);
    runIds.forEach((id, i) => models.setTrained(id, { ...files, metadata: { ...files.metadata, name: `run ${i}` } }));
    await library().load(runIds[1]);
    expect(models.activeId).toBe(runIds[1]);
    expect((await models.active()).metadata.name).toBe('run 1');
    expect(changes.at(-1)).toEqual({ id: runIds[1], name: 'run 1' });
    // The first run was pushed out: it is not a library folder either, so loading it says so.
    await expect(library().load(runIds[0])).rejects.toThrow(/dddddddddddd: model\.json is missing/);
  });
});

