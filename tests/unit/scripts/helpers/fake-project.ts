// A throwaway project for running scripts/ensure-electron.mjs as `npm start` does: its
// node_modules/electron is a copy, so the real one is never touched and no binary is needed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { executableName } from '$scripts/electron-binary.mjs';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const repoRequire = createRequire(path.join(REPO, 'package.json'));
export const REAL_ELECTRON = path.dirname(repoRequire.resolve('electron/package.json'));
const electronManifest = JSON.parse(fs.readFileSync(path.join(REAL_ELECTRON, 'package.json'), 'utf8'));
export const VERSION: string = electronManifest.version;
export const EXE = executableName(process.platform);
export const STACK_FRAME = /^\s+at /m;

export interface Project {
  root: string;
  electronDir: string;
  /** Written by the fake install-electron, so a test can tell whether it ran. */
  marker: string;
}

const roots: string[] = [];

/** Deletes every project made since the last call. */
export function removeProjects(): void {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
}

export function project(): Project {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-lab-ensure-electron-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const file of ['ensure-electron.mjs', 'electron-binary.mjs']) {
    fs.copyFileSync(path.join(REPO, 'scripts', file), path.join(root, 'scripts', file));
  }
  const electronDir = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(electronDir, { recursive: true });
  fs.copyFileSync(path.join(REAL_ELECTRON, 'package.json'), path.join(electronDir, 'package.json'));
  fs.mkdirSync(path.join(root, 'tmp'));
  return { root, electronDir, marker: path.join(root, 'installer-ran') };
}

/** Electron's real install-electron and the packages it needs, linked from wherever npm put them. */
export function useRealInstaller(p: Project): void {
  for (const file of ['install.js', 'checksums.json']) fs.copyFileSync(path.join(REAL_ELECTRON, file), path.join(p.electronDir, file));
  const electronRequire = createRequire(path.join(REAL_ELECTRON, 'package.json'));
  for (const dep of Object.keys(electronManifest.dependencies ?? {})) {
    const from = (electronRequire.resolve.paths(dep) ?? []).map((dir) => path.join(dir, dep)).find((dir) => fs.existsSync(path.join(dir, 'package.json')));
    if (!from) continue;
    const link = path.join(p.root, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(from, link, 'junction');
  }
}

/** A stand-in install-electron: records that it ran and the variables it saw, then runs `body`. */
export function useFakeInstaller(p: Project, body: string): void {
  const record = `require('fs').writeFileSync(${JSON.stringify(p.marker)}, JSON.stringify({ mirror: process.env.ELECTRON_MIRROR, proxy: process.env.HTTPS_PROXY }));`;
  fs.writeFileSync(path.join(p.electronDir, 'install.js'), `${record}\n${body}\n`);
}

export function installBinary(dir: string, withPathTxt: string | undefined): string {
  const binary = path.join(dir, EXE);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.writeFileSync(binary, 'not really electron');
  if (withPathTxt) fs.writeFileSync(withPathTxt, EXE);
  return binary;
}

/** A stand-in electron-vite that prints what it was given and exits 3, so the hand-over shows. */
export function useFakeElectronVite(p: Project): void {
  const dir = path.join(p.root, 'node_modules', 'electron-vite');
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron-vite', bin: { 'electron-vite': 'bin/fake.js' } }));
  fs.writeFileSync(
    path.join(dir, 'bin', 'fake.js'),
    'console.log(JSON.stringify({ args: process.argv.slice(2), exec: process.env.ELECTRON_EXEC_PATH })); process.exit(3);',
  );
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the copied script with a clean environment: no Electron variables leak in from this machine. */
export function run(p: Project, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(electron_|npm_config_electron|npm_package_config_electron|https?_proxy$)/i.test(key)) env[key] = value;
  }
  Object.assign(env, {
    electron_config_cache: path.join(p.root, 'cache'),
    TMPDIR: path.join(p.root, 'tmp'),
    MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT: '60',
    ...extraEnv,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(p.root, 'scripts', 'ensure-electron.mjs'), ...args], { cwd: p.root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A guard against a hang, far above the script's own 60 s download limit.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A local port nothing listens on: connecting to it is refused at once, as offline. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
