import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedDialogs } from '$main/services/dialogs';
import { ModelLibrary } from '$main/services/model-library';
import { ModelService } from '$main/services/model-service';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { folderTrash } from '$tests/helpers/trash';

let root: string;
let models: ModelService;
let revealed: string[];
const library = (reveal?: (target: string) => void, savePath: string[] = []) =>
  new ModelLibrary({ models, dialogs: scriptedDialogs({ save: savePath }), trash: folderTrash(path.join(root, 'trash')), reveal });

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-desktop-models-'));
  revealed = [];
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir: path.join(root, 'user'), events: () => undefined });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('Show in folder', () => {
  it("opens the file manager at a saved model's folder", async () => {
    await models.save('Mine');
    await library((target) => revealed.push(target)).showInFolder('mine');
    expect(revealed).toEqual([path.join(root, 'user', 'models', 'mine')]);
  });

  it('refuses the bundled default, a missing model, a symlinked folder, and a machine without a file manager', async () => {
    const lib = library((target) => revealed.push(target));
    await expect(lib.showInFolder('default')).rejects.toThrow(/not a model of the library/);
    await expect(lib.showInFolder('gone')).rejects.toThrow(/"gone" is not in the library/);
    await models.save('Mine');
    await symlink(path.join(root, 'user', 'models', 'mine'), path.join(root, 'user', 'models', 'link'));
    await expect(lib.showInFolder('link')).rejects.toThrow(/"link" is not in the library/);
    await expect(library().showInFolder('mine')).rejects.toThrow(/no file manager/);
    expect(revealed).toEqual([]);
  });
});

describe('.mlpmodel bundles', () => {
  it('imports an exported zip under the .mlpmodel extension, named after the file', async () => {
    await models.save('Mine');
    const zip = path.join(root, 'mine.zip');
    await library(undefined, [zip]).exportModel('mine', 'zip');
    const bundle = path.join(root, 'Digits.mlpmodel');
    await copyFile(zip, bundle);
    const outcome = await library().importPath(bundle);
    expect(outcome.status).toBe('imported');
    const dropped = await library().importDropped([path.join(root, 'notes.txt'), bundle]);
    expect(dropped.status).toBe('imported');
  });
});
