import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decide,
  executableName,
  failureCause,
  formatMissing,
  locateBinary,
  parseArgs,
  parseTimeout,
  targetOf,
  wrap,
  type Reason,
} from '$scripts/electron-binary.mjs';

const DIR = path.join('/repo', 'node_modules', 'electron');
const linux = { platform: 'linux', arch: 'x64' };

describe('locateBinary', () => {
  it('finds dist/ + path.txt when no variable is set', () => {
    expect(locateBinary({ env: {}, electronDir: DIR, pathTxt: 'electron', platform: 'linux' })).toEqual({
      binary: path.join(DIR, 'dist', 'electron'),
      source: 'dist',
    });
  });

  it('prefers ELECTRON_OVERRIDE_DIST_PATH, with path.txt or else the platform executable inside it', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(locateBinary({ env, electronDir: DIR, pathTxt: 'bin/e', platform: 'linux' }).binary).toBe(path.join('/opt/electron', 'bin/e'));
    const onWindows = locateBinary({ env, electronDir: DIR, pathTxt: undefined, platform: 'win32' });
    expect(onWindows).toEqual({ binary: path.join('/opt/electron', 'electron.exe'), source: 'ELECTRON_OVERRIDE_DIST_PATH' });
  });

  it('prefers ELECTRON_EXEC_PATH over everything, as electron-vite does', () => {
    const env = { ELECTRON_EXEC_PATH: '/x/electron', ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(locateBinary({ env, electronDir: DIR, pathTxt: 'electron', platform: 'linux' })).toEqual({
      binary: '/x/electron',
      source: 'ELECTRON_EXEC_PATH',
    });
  });

  it('names the executable per platform', () => {
    expect(executableName('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(executableName('win32')).toBe('electron.exe');
    expect(executableName('linux')).toBe('electron');
    expect(executableName('toString')).toBe('electron');
  });
});

describe('decide', () => {
  const dist = { binary: '/d/electron', source: 'dist' } as const;

  it('is ready when the binary exists and path.txt names it', () => {
    expect(decide({ located: dist, exists: true, pathTxt: 'electron', env: {} })).toEqual({ kind: 'ready' });
  });

  it('downloads when the binary or path.txt is missing, as electron-vite needs both', () => {
    expect(decide({ located: dist, exists: false, pathTxt: 'electron', env: {} })).toEqual({ kind: 'download' });
    expect(decide({ located: dist, exists: true, pathTxt: undefined, env: {} })).toEqual({ kind: 'download' });
  });

  it('does not download when ELECTRON_SKIP_BINARY_DOWNLOAD is set', () => {
    const env = { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    expect(decide({ located: dist, exists: false, pathTxt: undefined, env })).toEqual({ kind: 'missing', reason: { type: 'skipped' } });
  });

  it('never downloads for a variable that points at a missing binary: the download would not be used', () => {
    const override = { binary: '/o/electron', source: 'ELECTRON_OVERRIDE_DIST_PATH' } as const;
    expect(decide({ located: override, exists: false, pathTxt: undefined, env: {} })).toEqual({
      kind: 'missing',
      reason: { type: 'override', path: '/o/electron' },
    });
    expect(decide({ located: override, exists: true, pathTxt: undefined, env: {} })).toEqual({ kind: 'ready' });
    const exec = { binary: '/e', source: 'ELECTRON_EXEC_PATH' } as const;
    expect(decide({ located: exec, exists: false, pathTxt: 'electron', env: {} })).toEqual({
      kind: 'missing',
      reason: { type: 'exec-path', path: '/e' },
    });
  });
});

describe('formatMissing', () => {
  const reasons: [Reason, string][] = [
    [{ type: 'download-failed', cause: 'TypeError: fetch failed' }, 'that download failed (TypeError: fetch failed)'],
    [{ type: 'download-failed', cause: '' }, 'that download failed.'],
    [{ type: 'timeout', seconds: 7 }, 'stopped after 7 s (MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT)'],
    [{ type: 'skipped' }, 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded'],
    [{ type: 'override', path: '/o/electron' }, 'ELECTRON_OVERRIDE_DIST_PATH is set, but /o/electron does not exist; fix or unset it'],
    [{ type: 'exec-path', path: '/e' }, 'ELECTRON_EXEC_PATH is set to /e, which is not a file'],
    [{ type: 'still-missing', path: '/d/electron' }, 'reported success, but /d/electron is still missing'],
  ];

  it.each(reasons)('says what is missing, why (%j) and every way to provide it, in one paragraph', (reason, why) => {
    const text = formatMissing({ version: '45.4.1', target: linux, reason });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('the Electron binary (version 45.4.1, linux-x64) is missing');
    expect(flat).toContain(why);
    expect(flat).toContain('connect to the internet and run the command again');
    expect(flat).toContain('ELECTRON_MIRROR=<');
    expect(flat).toContain('ELECTRON_OVERRIDE_DIST_PATH=<folder with an unpacked Electron 45.4.1 for linux-x64>');
    expect(flat).toContain('the folder that holds electron.');
    expect(text).not.toMatch(/\n\s*\n/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('says the binary is not fetched at install time', () => {
    const flat = formatMissing({ version: '1.2.3', target: linux, reason: { type: 'skipped' } }).replace(/\s+/g, ' ');
    expect(flat).toContain('It is not fetched by `npm ci` but on the first `npm start` or `npm run dev`');
  });

  it('names the executable of the target platform', () => {
    const text = formatMissing({ version: '1.2.3', target: { platform: 'win32', arch: 'arm64' }, reason: { type: 'skipped' } });
    expect(text.replace(/\s+/g, ' ')).toContain('(version 1.2.3, win32-arm64)');
    expect(text.replace(/\s+/g, ' ')).toContain('holds electron.exe.');
  });
});

describe('wrap', () => {
  it('breaks between words, keeps every word, and leaves a too-long word on its own line', () => {
    const long = 'x'.repeat(30);
    expect(wrap(`aa bb cc ${long} dd`, 8)).toBe(`aa bb cc\n${long}\ndd`);
    expect(wrap('  one   two ', 20)).toBe('one two');
  });
});

describe('failureCause', () => {
  it('keeps the error line and drops the stack frames', () => {
    const stderr = 'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async x (file:///a.js:2:3)\n';
    expect(failureCause(stderr)).toBe('TypeError: fetch failed');
  });

  it('skips blank and frame-only lines, strips control characters and bounds the length', () => {
    expect(failureCause('\n    at a (b:1:1)\n\u001b[31mError: boom\u001b[0m\n')).toBe('[31mError: boom[0m');
    const cause = failureCause(`Error: ${'y'.repeat(500)}`);
    expect(cause).toHaveLength(160);
    expect(cause.endsWith('…')).toBe(true);
    expect(failureCause('    at only (frames:1:1)\n')).toBe('');
  });

  it('prefers the error line over the file and source Node prints above an uncaught throw', () => {
    const stderr = "/x/install.js:2\nthrow new Error('disk full');\n^\n\nError: disk full\n    at Object.<anonymous> (/x/install.js:2:7)\n";
    expect(failureCause(stderr)).toBe('Error: disk full');
    expect(failureCause('something odd happened\nand more\n')).toBe('something odd happened');
  });
});

describe('parseTimeout', () => {
  it('reads whole seconds, and unset or empty as no limit', () => {
    expect(parseTimeout(undefined)).toBeUndefined();
    expect(parseTimeout('')).toBeUndefined();
    expect(parseTimeout('90')).toBe(90);
  });

  it.each(['0', '-1', '1.5', 'abc', '86401', '1e3', ' 5'])('rejects %j, naming the variable', (value) => {
    expect(() => parseTimeout(value)).toThrow(/MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT/);
  });
});

describe('parseArgs', () => {
  it('takes nothing, or electron-vite and its arguments after --then', () => {
    expect(parseArgs([])).toBeUndefined();
    expect(parseArgs(['--then', 'electron-vite', 'preview', '--skipBuild'])).toEqual(['preview', '--skipBuild']);
  });

  it.each([['--then', 'rm', '-rf'], ['preview'], ['--then']])('refuses %j with the usage', (...argv) => {
    expect(() => parseArgs(argv)).toThrow(/usage: node scripts\/ensure-electron\.mjs/);
  });
});

describe('targetOf', () => {
  it('follows the variables install-electron reads', () => {
    expect(targetOf({}, 'linux', 'x64')).toEqual({ platform: 'linux', arch: 'x64' });
    expect(targetOf({ npm_config_platform: 'darwin', npm_config_arch: 'arm64' }, 'linux', 'x64')).toEqual({ platform: 'darwin', arch: 'arm64' });
    expect(targetOf({ ELECTRON_INSTALL_PLATFORM: 'win32', npm_config_platform: 'darwin', ELECTRON_INSTALL_ARCH: 'ia32' }, 'linux', 'x64')).toEqual({
      platform: 'win32',
      arch: 'ia32',
    });
  });
});
