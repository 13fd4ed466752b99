#!/usr/bin/env node
// @ts-check
// Electron >= 42 fetches its binary on first use, not at install time, and electron-vite reads
// node_modules/electron/path.txt without ever triggering that fetch ("Error: Electron uninstall").
// So `npm start` and `npm run dev` come through here: make sure the binary exists (running
// Electron's own install-electron if not), then run electron-vite with ELECTRON_EXEC_PATH set to it,
// which is also how ELECTRON_OVERRIDE_DIST_PATH reaches electron-vite, which ignores that variable.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  decide,
  failureCause,
  formatMissing,
  locateBinary,
  parseArgs,
  parseTimeout,
  targetOf,
} from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const HEARTBEAT_MS = 30_000;
const STDERR_LIMIT = 16 * 1024;

/** Reads a small regular file, or returns undefined when it does not exist. */
function readSmall(/** @type {string} */ file, /** @type {number} */ limit) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
  if (stat.size > limit) throw new Error(`${file} is ${stat.size} bytes, more than the ${limit} expected`);
  return fs.readFileSync(file, 'utf8');
}

/** A package's directory and manifest, read as untrusted input. */
function readPackage(/** @type {string} */ name) {
  const manifest = require.resolve(`${name}/package.json`);
  const json = JSON.parse(readSmall(manifest, 64 * 1024) ?? 'null');
  if (typeof json !== 'object' || json === null) throw new Error(`${manifest} is not a JSON object`);
  return { dir: path.dirname(manifest), manifest, json };
}

/** The file a package's bin entry points at, checked to stay inside the package. */
function binOf(/** @type {ReturnType<typeof readPackage>} */ pkg, /** @type {string} */ command) {
  const entry = pkg.json.bin?.[command];
  if (typeof entry !== 'string') throw new Error(`${pkg.manifest}: field bin["${command}"] is missing`);
  const file = path.resolve(pkg.dir, entry);
  if (!file.startsWith(pkg.dir + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`${pkg.manifest}: bin["${command}"] = ${JSON.stringify(entry)} is not a file in the package`);
  }
  return file;
}

function isFile(/** @type {string} */ file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}

/**
 * Runs install-electron with our environment (mirror, proxy and cache variables pass through),
 * keeping its stderr so a failure shows as one line rather than its stack trace.
 * @returns {Promise<import('./electron-binary.mjs').Reason | undefined>} why it failed, if it did
 */
function install(/** @type {string} */ installer, /** @type {number | undefined} */ timeoutS) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (stderr.length < STDERR_LIMIT) stderr += String(chunk).slice(0, STDERR_LIMIT - stderr.length);
    });
    const started = Date.now();
    // Its own progress bar needs a terminal on stderr, which we hold, so say it is still going.
    const heartbeat = setInterval(() => {
      console.log(`Still downloading Electron (${Math.round((Date.now() - started) / 1000)} s)...`);
    }, HEARTBEAT_MS);
    const timer = timeoutS === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutS * 1000);
    const done = (/** @type {import('./electron-binary.mjs').Reason | undefined} */ reason) => {
      clearInterval(heartbeat);
      clearTimeout(timer);
      resolve(reason);
    };
    child.on('error', (error) => done({ type: 'download-failed', cause: error.message }));
    child.on('close', (code) => {
      if (timedOut && timeoutS !== undefined) done({ type: 'timeout', seconds: timeoutS });
      else done(code === 0 ? undefined : { type: 'download-failed', cause: failureCause(stderr) });
    });
  });
}

/** Runs electron-vite on `binary` and exits with its status. */
function runElectronVite(/** @type {string[]} */ args, /** @type {string} */ binary) {
  const bin = binOf(readPackage('electron-vite'), 'electron-vite');
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  });
  // Ctrl+C reaches electron-vite from the terminal itself; we stay until it has shut Electron down.
  process.on('SIGINT', () => {});
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGHUP'])) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Could not run ${bin}: ${error.message}`);
    process.exit(1);
  });
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  const viteArgs = parseArgs(process.argv.slice(2));
  const timeoutS = parseTimeout(process.env.MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT);
  const electron = readPackage('electron');
  const version = electron.json.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+[\w.+-]*$/.test(version)) {
    throw new Error(`${electron.manifest}: field "version" is not a version: ${JSON.stringify(version)?.slice(0, 40)}`);
  }
  const env = process.env;
  const target = targetOf(env, process.platform, process.arch);
  const look = () => {
    const pathTxt = readSmall(path.join(electron.dir, 'path.txt'), 1024);
    const located = locateBinary({ env, electronDir: electron.dir, pathTxt, platform: target.platform });
    return { pathTxt, located, decision: decide({ located, exists: isFile(located.binary), pathTxt, env }) };
  };

  let found = look();
  if (found.decision.kind === 'download') {
    console.log(`Downloading the Electron ${version} binary (about 100 MB, once; it is not fetched at install time)...`);
    const failure = await install(binOf(electron, 'install-electron'), timeoutS);
    found = look();
    if (failure || found.decision.kind !== 'ready') {
      const reason = failure ?? { type: 'still-missing', path: found.located.binary };
      found = { ...found, decision: { kind: 'missing', reason } };
    }
  }
  if (found.decision.kind === 'missing') {
    console.error(formatMissing({ version, target, reason: found.decision.reason }));
    process.exit(1);
  }
  if (viteArgs) runElectronVite(viteArgs, found.located.binary);
}

main().catch((/** @type {unknown} */ error) => {
  console.error(`scripts/ensure-electron.mjs: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
