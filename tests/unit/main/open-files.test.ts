import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, FileOpener, filesFromArgv, MAX_OPEN_FILES, type SingleInstanceApp } from '$main/open-files';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-open-');

function opener(handled: string[], reports: string[], opened: string[] = []): FileOpener {
  return new FileOpener({
    handlers: {
      model: async (file) => {
        if (file.includes('broken')) throw new Error('holds no model.json at its top level');
        handled.push(`model ${file}`);
      },
    },
    report: (message) => void reports.push(message),
    opened: (file) => void opened.push(file),
  });
}

/** Electron's app, replaced: the lock is held or not, and events are emitted by the test. */
class FakeApp extends EventEmitter implements SingleInstanceApp {
  constructor(private readonly lock: boolean) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
}

describe('files the system hands the app', () => {
  it('takes registered files from a command line, resolved against its folder, and skips switches and the rest', () => {
    const argv = ['/opt/MLP Lab/mlp-lab', '--no-sandbox', '.', 'lesson one.mlplesson', '/data/Model.MLPMODEL', 'notes.txt', '-psn_0_1234'];
    expect(filesFromArgv(argv, '/home/u')).toEqual([path.resolve('/home/u', 'lesson one.mlplesson'), '/data/Model.MLPMODEL']);
  });

  it('opens each file by its type once the window is ready, and names the file in every refusal', async () => {
    const dir = await newDir();
    const model = path.join(dir, 'a.mlpmodel');
    const broken = path.join(dir, 'broken.mlpmodel');
    const lesson = path.join(dir, 'b.mlplesson');
    const folder = path.join(dir, 'c.mlpmodel');
    await Promise.all([writeFile(model, 'zip'), writeFile(broken, 'zip'), writeFile(lesson, '# lesson'), mkdir(folder)]);
    const handled: string[] = [];
    const reports: string[] = [];
    const opened: string[] = [];
    const files = opener(handled, reports, opened);
    await files.open([model, lesson]);
    expect(handled).toEqual([]);
    await files.ready();
    expect(handled).toEqual([`model ${model}`]);
    expect(opened).toEqual([model]);
    await files.open([folder, path.join(dir, 'gone.mlpmodel'), broken, path.join(dir, 'x.txt')]);
    expect(handled).toHaveLength(1);
    expect(reports).toEqual([
      `${lesson}: this build of MLP Lab cannot open MLP Lab lesson files.`,
      `${folder} is not a regular file.`,
      `${path.join(dir, 'gone.mlpmodel')} is missing.`,
      `${broken}: holds no model.json at its top level`,
      `${path.join(dir, 'x.txt')}: MLP Lab opens .mlpmodel and .mlplesson files.`,
    ]);
  });

  it(`opens at most ${MAX_OPEN_FILES} files of one launch and says so`, async () => {
    const reports: string[] = [];
    const files = opener([], reports);
    await files.ready();
    await files.open(Array.from({ length: MAX_OPEN_FILES + 3 }, (_, i) => `/nowhere/${i}.txt`));
    expect(reports[0]).toBe(`${MAX_OPEN_FILES + 3} files were given; MLP Lab opens the first ${MAX_OPEN_FILES}.`);
    expect(reports).toHaveLength(MAX_OPEN_FILES + 1);
  });
});

describe('single instance', () => {
  it('a second launch focuses the first and opens the file it was given; macOS open-file too', async () => {
    const dir = await newDir();
    const model = path.join(dir, 'm.mlpmodel');
    await writeFile(model, 'zip');
    const app = new FakeApp(true);
    const handled: string[] = [];
    const files = opener(handled, []);
    await files.ready();
    let focused = 0;
    expect(claimSingleInstance(app, { focus: () => void focused++, opener: files })).toBe(true);
    app.emit('second-instance', {}, ['/opt/MLP Lab/mlp-lab', 'm.mlpmodel'], dir);
    let prevented = false;
    app.emit('open-file', { preventDefault: () => void (prevented = true) }, model);
    await files.open([]);
    expect(focused).toBe(1);
    expect(prevented).toBe(true);
    expect(handled).toEqual([`model ${model}`, `model ${model}`]);
  });

  it('without the lock it listens to nothing, so the caller quits', () => {
    const app = new FakeApp(false);
    expect(claimSingleInstance(app, { focus: () => undefined, opener: opener([], []) })).toBe(false);
    expect(app.eventNames()).toEqual([]);
  });
});
