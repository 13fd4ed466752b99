import { EventEmitter } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticsText, scrubPersonalPaths, type PersonalPaths } from '$main/desktop/diagnostics-text';
import { ErrorLog, logUnhandledErrors } from '$main/desktop/error-log';
import { MAX_RECENT, RecentFiles } from '$main/desktop/recent-files';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-desktop-');

const personal: PersonalPaths = {
  home: '/home/ada',
  userData: '/home/ada/.config/MLP Lab',
  appPath: '/opt/MLP Lab/resources/app.asar',
  temp: '/tmp',
  userName: 'ada',
};

describe('error log', () => {
  it('appends unhandled errors with their stack and rotates by size, keeping a bounded number of files', async () => {
    const dir = await newDir();
    const log = new ErrorLog(dir, { maxBytes: 400, keep: 2, now: () => new Date('2026-12-05T20:00:00Z') });
    const source = new EventEmitter();
    const notified: unknown[] = [];
    logUnhandledErrors(source, log, (error) => notified.push(error));
    source.emit('uncaughtException', new Error('worker host lost its port'));
    source.emit('unhandledRejection', 'a plain string');
    expect(log.tail()).toMatch(/^\[2026-12-05T20:00:00.000Z\] uncaught exception: Error: worker host lost its port\n\s+at /);
    expect(log.tail(1)).toBe('[2026-12-05T20:00:00.000Z] unhandled rejection: a plain string');
    expect(notified).toHaveLength(1);
    for (let i = 0; i < 20; i++) log.write('test', `entry ${i} ${'x'.repeat(100)}`);
    expect((await readdir(dir)).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    expect(log.tail(1)).toMatch(/^\[.*\] test: entry 19 x+$/);
  });

  it('has an empty tail when there is no log, or the log is not a file', async () => {
    expect(new ErrorLog(path.join(await newDir(), 'none')).tail()).toBe('');
  });
});

describe('Copy diagnostics', () => {
  const input = {
    version: '0.1.0',
    versions: { electron: '45.4.1', chrome: '142.0', node: '22.20.0', v8: '14.2' },
    platform: 'linux',
    arch: 'x64',
    osRelease: '6.1.0',
    backend: 'wasm' as const,
    backendDetail: { active: 'wasm' as const, simd: true, threads: 4 },
    requestedThreads: 4,
    packaged: true,
    logTail: "[2026] uncaught exception: Error: ENOENT: open '/home/ada/.config/MLP Lab/models/x/model.json'\n    at read (/opt/MLP Lab/resources/app.asar/out/main/index.js:1:2)\n    at C:\\Users\\ada\\AppData\\x.js",
  };

  it('names the versions, the backend and its threads, and the log tail', () => {
    const text = diagnosticsText(input, personal);
    expect(text).toContain('MLP Lab 0.1.0');
    expect(text).toContain('Electron 45.4.1, Chromium 142.0, Node 22.20.0, V8 14.2');
    expect(text).toContain('Training backend: wasm (SIMD, 4 threads)');
    expect(text).toContain('wasm threads requested: 4');
    expect(text).toContain('uncaught exception');
  });

  it('leaves no personal path or user name in it', () => {
    const text = diagnosticsText(input, personal);
    expect(text).not.toMatch(/ada/i);
    expect(text).not.toContain('/home/');
    expect(text).toContain("'<userData>/models/x/model.json'");
    expect(text).toContain('<app>/out/main/index.js');
    expect(scrubPersonalPaths('C:\\Users\\Ada\\AppData\\Roaming\\MLP Lab\\logs', { ...personal, home: 'C:\\Users\\ada', userData: 'C:\\Users\\ada\\AppData\\Roaming\\MLP Lab' })).toBe('<userData>\\logs');
    // A word that merely contains the name stays.
    expect(scrubPersonalPaths('adaptive learning rate', personal)).toBe('adaptive learning rate');
  });
});

describe('recent files', () => {
  it('keeps the newest first, without repeats, at most a few, across launches', async () => {
    const file = path.join(await newDir(), 'recent-files.json');
    const seen: (readonly string[])[] = [];
    const recent = new RecentFiles(file, (list) => seen.push(list));
    expect(await recent.load()).toEqual([]);
    for (let i = 0; i < MAX_RECENT + 2; i++) await recent.add(`/m/${i}.mlpmodel`);
    await recent.add('/m/3.mlpmodel');
    expect(recent.list()[0]).toBe('/m/3.mlpmodel');
    expect(recent.list()).toHaveLength(MAX_RECENT);
    expect(new Set(recent.list()).size).toBe(MAX_RECENT);
    expect(await new RecentFiles(file).load()).toEqual(recent.list());
    await recent.clear();
    expect(seen.at(-1)).toEqual([]);
    await writeFile(file, '{"not": "a list"}');
    expect(await new RecentFiles(file).load()).toEqual([]);
  });
});
