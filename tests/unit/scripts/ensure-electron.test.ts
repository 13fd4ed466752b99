// Runs scripts/ensure-electron.mjs as `npm start` does, in a throwaway project (helpers/fake-project).
import dns from 'node:dns/promises';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPort,
  EXE,
  installBinary,
  project,
  REAL_ELECTRON,
  removeProjects,
  run,
  STACK_FRAME,
  useFakeElectronVite,
  useFakeInstaller,
  useRealInstaller,
  VERSION,
} from './helpers/fake-project';

afterEach(removeProjects);

// The default source (GitHub) is only tried where it cannot resolve, so no test downloads 100 MB.
const offline = await dns.lookup('github.com').then(
  () => false,
  () => true,
);

const flat = (text: string) => text.replace(/\s+/g, ' ');

function expectOneParagraph(stderr: string): void {
  expect(stderr).not.toMatch(STACK_FRAME);
  expect(stderr.trim()).not.toMatch(/\n\s*\n/);
  const text = flat(stderr);
  expect(text).toContain(`MLP Lab cannot start: the Electron binary (version ${VERSION},`);
  expect(text).toContain('ELECTRON_MIRROR=<');
  expect(text).toContain(`ELECTRON_OVERRIDE_DIST_PATH=<folder with an unpacked Electron ${VERSION}`);
}

describe('ensure-electron with the real install-electron, offline', () => {
  it('fails with one paragraph and no stack trace when the download cannot connect', async () => {
    const p = project();
    useRealInstaller(p);
    const realBefore = fs.readdirSync(REAL_ELECTRON).sort();
    // A refused connection is what offline looks like, and it cannot download 100 MB on a machine online.
    const result = await run(p, [], { ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain('that download failed (TypeError: fetch failed)');
    expect(result.stdout).toContain(`Downloading the Electron ${VERSION} binary`);
    expect(fs.existsSync(path.join(p.electronDir, 'path.txt'))).toBe(false);
    expect(fs.readdirSync(REAL_ELECTRON).sort()).toEqual(realBefore);
  });

  it.skipIf(!offline)('fails the same way with no mirror set, on a machine that cannot reach GitHub', async () => {
    const p = project();
    useRealInstaller(p);
    const result = await run(p, []);
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain('that download failed (TypeError: fetch failed)');
    expect(fs.existsSync(path.join(p.electronDir, 'path.txt'))).toBe(false);
  });

  it('passes ELECTRON_MIRROR through: the mirror is asked for this version, and its 404 is the cause shown', async () => {
    const p = project();
    useRealInstaller(p);
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await run(p, [], { ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
      expect(result.code).toBe(1);
      expectOneParagraph(result.stderr);
      expect(flat(result.stderr)).toContain('HTTPError: Response code 404');
      expect(asked.some((url) => url.includes(`/v${VERSION}/electron-v${VERSION}-`))).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('ensure-electron decisions, with a stand-in installer', () => {
  it('does nothing when path.txt and the binary are there', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(9);');
    installBinary(path.join(p.electronDir, 'dist'), path.join(p.electronDir, 'path.txt'));
    const result = await run(p, []);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(p.marker)).toBe(false);
  });

  it('hands over to electron-vite with its arguments, ELECTRON_EXEC_PATH and exit status', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(9);');
    useFakeElectronVite(p);
    const binary = installBinary(path.join(p.electronDir, 'dist'), path.join(p.electronDir, 'path.txt'));
    const result = await run(p, ['--then', 'electron-vite', 'preview', '--skipBuild']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({ args: ['preview', '--skipBuild'], exec: fs.realpathSync(binary) });
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH without downloading, and tells electron-vite, which ignores it', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(9);');
    useFakeElectronVite(p);
    const override = path.join(p.root, 'unpacked');
    const binary = installBinary(override, undefined);
    const result = await run(p, ['--then', 'electron-vite', 'dev'], { ELECTRON_OVERRIDE_DIST_PATH: override });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({ args: ['dev'], exec: binary });
    expect(fs.existsSync(p.marker)).toBe(false);
  });

  it('refuses an ELECTRON_OVERRIDE_DIST_PATH without the executable, without downloading', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(9);');
    const override = path.join(p.root, 'empty');
    fs.mkdirSync(override);
    const result = await run(p, [], { ELECTRON_OVERRIDE_DIST_PATH: override });
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain(`${path.join(override, EXE)} does not exist; fix or unset it`);
    expect(fs.existsSync(p.marker)).toBe(false);
  });

  it('does not download when ELECTRON_SKIP_BINARY_DOWNLOAD is set', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(9);');
    const result = await run(p, [], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded');
    expect(fs.existsSync(p.marker)).toBe(false);
  });

  it('downloads with the caller environment, then runs the binary it installed', async () => {
    const p = project();
    const dist = JSON.stringify(path.join(p.electronDir, 'dist'));
    useFakeInstaller(
      p,
      `const fs = require('fs'), path = require('path');
       fs.mkdirSync(${dist}, { recursive: true });
       fs.writeFileSync(path.join(${dist}, ${JSON.stringify(EXE)}), 'x');
       fs.writeFileSync(path.join(__dirname, 'path.txt'), ${JSON.stringify(EXE)});`,
    );
    useFakeElectronVite(p);
    const env = { ELECTRON_MIRROR: 'https://mirror.example/electron/', HTTPS_PROXY: 'http://proxy.example:3128' };
    const result = await run(p, ['--then', 'electron-vite', 'preview'], env);
    expect(result.code).toBe(3);
    expect(JSON.parse(fs.readFileSync(p.marker, 'utf8'))).toEqual({ mirror: env.ELECTRON_MIRROR, proxy: env.HTTPS_PROXY });
    const handedOver = JSON.parse(result.stdout.split('\n').filter(Boolean).at(-1) ?? '');
    expect(handedOver.exec).toBe(path.join(fs.realpathSync(p.electronDir), 'dist', EXE));
  });

  it('fails when the installer reports success but leaves no binary', async () => {
    const p = project();
    useFakeInstaller(p, 'process.exit(0);');
    const result = await run(p, []);
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain(`${path.join('dist', EXE)} is still missing`);
  });

  it('keeps only the error line of an installer that crashes with a stack trace', async () => {
    const p = project();
    useFakeInstaller(p, "throw new Error('disk full');");
    const result = await run(p, []);
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain('that download failed (Error: disk full)');
  });

  it('stops a download that outlasts MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT', async () => {
    const p = project();
    useFakeInstaller(p, 'setInterval(() => {}, 1000);');
    const result = await run(p, [], { MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT: '1' });
    expect(result.code).toBe(1);
    expectOneParagraph(result.stderr);
    expect(flat(result.stderr)).toContain('that download was stopped after 1 s (MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT)');
  });

  it('rejects a bad timeout or argument in one line, before looking for Electron', async () => {
    const p = project();
    const timeout = await run(p, [], { MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT: 'soon' });
    expect(timeout.code).toBe(1);
    expect(timeout.stderr.trim()).toMatch(/^scripts\/ensure-electron\.mjs: MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT must be whole seconds[^\n]*"soon"$/);
    const args = await run(p, ['--then', 'sh']);
    expect(args.code).toBe(1);
    expect(args.stderr).toContain('usage: node scripts/ensure-electron.mjs');
    expect(args.stderr).not.toMatch(STACK_FRAME);
  });
});
