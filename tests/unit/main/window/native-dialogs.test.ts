import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  calls: [] as { kind: string; parent: unknown; options: Record<string, unknown> }[],
  answers: {} as Record<string, unknown>,
}));

vi.mock('electron', () => {
  const record = (kind: string) => async (...args: unknown[]) => {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    electron.calls.push({ kind, parent, options: options as Record<string, unknown> });
    return electron.answers[kind];
  };
  return { dialog: { showOpenDialog: record('open'), showSaveDialog: record('save'), showMessageBox: record('message') } };
});

const { nativeDialogs } = await import('$main/window/native-dialogs');
const { NO_DIALOGS, scriptedDialogs } = await import('$main/services/dialogs');

describe('nativeDialogs', () => {
  const window = { id: 1 };
  const dialogs = nativeDialogs(() => window as never);

  it('opens a folder or a file, modal to the window, and gives null on cancel', async () => {
    electron.answers.open = { canceled: false, filePaths: ['/home/me/digits'] };
    expect(await dialogs.openPaths({ title: 'Import images', kind: 'folder' })).toEqual(['/home/me/digits']);
    expect(electron.calls.at(-1)).toMatchObject({ kind: 'open', parent: window, options: { properties: ['openDirectory'] } });
    electron.answers.open = { canceled: false, filePaths: ['/a.gz', '/b.gz'] };
    expect(await dialogs.openPaths({ title: 'Import IDX', kind: 'file', multiple: true })).toEqual(['/a.gz', '/b.gz']);
    expect(electron.calls.at(-1)?.options).toMatchObject({ properties: ['openFile', 'multiSelections'] });
    electron.answers.open = { canceled: true, filePaths: [] };
    expect(await dialogs.openPaths({ title: 'Import model', kind: 'file', filters: [{ name: 'Zip', extensions: ['zip'] }] })).toEqual([]);
    expect(electron.calls.at(-1)?.options).toMatchObject({ properties: ['openFile'], filters: [{ name: 'Zip', extensions: ['zip'] }] });
  });

  it('asks where to save, with the default name, and gives null on cancel', async () => {
    electron.answers.save = { canceled: false, filePath: '/tmp/model.zip' };
    expect(await dialogs.savePath({ title: 'Export', defaultName: 'model.zip' })).toBe('/tmp/model.zip');
    expect(electron.calls.at(-1)?.options).toMatchObject({ defaultPath: 'model.zip' });
    electron.answers.save = { canceled: true, filePath: '' };
    expect(await dialogs.savePath({ title: 'Export', defaultName: 'model.zip' })).toBeNull();
  });

  it('confirms only on the confirming button; Cancel is the default and the escape answer', async () => {
    electron.answers.message = { response: 0 };
    expect(await dialogs.confirm({ title: 'Delete', message: 'Delete it?', confirmLabel: 'Delete' })).toBe(true);
    expect(electron.calls.at(-1)?.options).toMatchObject({ buttons: ['Delete', 'Cancel'], defaultId: 1, cancelId: 1 });
    electron.answers.message = { response: 1 };
    expect(await dialogs.confirm({ title: 'Delete', message: 'Delete it?', confirmLabel: 'Delete' })).toBe(false);
  });

  it('works without a window, as an app-level dialog', async () => {
    electron.answers.save = { canceled: false, filePath: '/x' };
    await nativeDialogs(() => null).savePath({ title: 'Export', defaultName: 'x' });
    expect(electron.calls.at(-1)?.parent).toBeNull();
  });
});

describe('NO_DIALOGS', () => {
  it('refuses every dialog, naming it, so an unscripted one fails a test plainly', async () => {
    await expect(NO_DIALOGS.openPaths({ title: 'Import images', kind: 'folder' })).rejects.toThrow(/"Import images"/);
    await expect(NO_DIALOGS.confirm({ title: 'Delete model', message: '', confirmLabel: 'Delete' })).rejects.toThrow(/"Delete model"/);
  });
});

describe('scriptedDialogs', () => {
  it('answers each dialog with the next scripted answer, then fails naming the dialog', async () => {
    const dialogs = scriptedDialogs({ open: [['/a'], []], save: ['/out.zip', ''], confirm: [true] });
    expect(await dialogs.openPaths({ title: 'Open', kind: 'file' })).toEqual(['/a']);
    expect(await dialogs.openPaths({ title: 'Open', kind: 'file' })).toEqual([]);
    await expect(dialogs.openPaths({ title: 'Open again', kind: 'file' })).rejects.toThrow(/"Open again"/);
    expect(await dialogs.savePath({ title: 'Save', defaultName: 'x' })).toBe('/out.zip');
    expect(await dialogs.savePath({ title: 'Save', defaultName: 'x' })).toBeNull();
    expect(await dialogs.confirm({ title: 'Sure?', message: '', confirmLabel: 'Yes' })).toBe(true);
    await expect(dialogs.confirm({ title: 'Sure again?', message: '', confirmLabel: 'Yes' })).rejects.toThrow(/"Sure again\?"/);
  });
});
