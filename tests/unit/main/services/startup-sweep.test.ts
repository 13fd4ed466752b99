import { createRequire } from 'node:module';
import { mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '$main/services/create-services';
import { NO_DIALOGS } from '$main/services/dialogs';
import { holdingTemp, STALE_MS, sweepTempFiles } from '$main/services/leftovers';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-sweep-');
const age = (file: string, ms: number) => utimes(file, new Date(Date.now() - ms), new Date(Date.now() - ms));

async function put(file: string, text: string, ageMs: number): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  await age(file, ageMs);
  return file;
}

describe('the startup sweep of killed writes', () => {
  it('removes old temporary files of the runs and handwriting folders, and nothing else', async () => {
    const userData = await newDir();
    const runs = path.join(userData, 'runs');
    const hw = path.join(userData, 'handwriting');
    const hour = 3_600_000;
    const gone = [
      await put(path.join(runs, '.0b6f3c55-3f0a.json.0123456789ab.tmp'), '{"format":"mlp-', hour),
      await put(path.join(hw, 'set.json.4242.0a1b2c3d.tmp'), '{"format":"mlp-lab-handwriting"', hour),
    ];
    const kept = [
      // A write of a few minutes ago may be another writer's still: the rule waits STALE_MS.
      await put(path.join(runs, '.fresh.json.abcdef.tmp'), '{', STALE_MS / 2),
      // The records themselves, and names that only look alike.
      await put(path.join(runs, '0b6f3c55-3f0a.json'), '{}', hour),
      await put(path.join(runs, 'notes.tmp'), 'mine', hour),
      await put(path.join(hw, 'set.json'), '{}', hour),
      await put(path.join(hw, 'set.json.backup.tmp'), 'mine', hour),
    ];
    // A link named like a temporary file: not a file a write of ours made; never followed or removed.
    const target = await put(path.join(userData, 'elsewhere.txt'), 'keep me', hour);
    await symlink(target, path.join(runs, '.link.json.abcdef.tmp'));
    kept.push(path.join(runs, '.link.json.abcdef.tmp'), target);

    const services = createServices({
      resourcesDir: RESOURCES_DIR,
      userDataDir: userData,
      version: 'test',
      events: () => undefined,
      resolveModule: createRequire(import.meta.url).resolve,
      spawnWorker: () => {
        throw new Error('no worker in this test');
      },
      dialogs: NO_DIALOGS,
    });
    expect((await services.swept).sort()).toEqual([...gone].sort());
    const left = [...(await readdir(runs)).map((n) => path.join(runs, n)), ...(await readdir(hw)).map((n) => path.join(hw, n)), target];
    expect(left.sort()).toEqual([...kept].sort());
  });

  it('never takes a temporary file a write of this process is filling, however old it looks', async () => {
    const dir = await newDir();
    const file = await put(path.join(dir, '.run.json.abc.tmp'), '{', 3_600_000);
    const during = await holdingTemp(file, () => sweepTempFiles(dir, /\.tmp$/, Date.now()));
    expect(during).toEqual([]);
    expect(await sweepTempFiles(dir, /\.tmp$/, Date.now())).toEqual([file]);
  });
});
