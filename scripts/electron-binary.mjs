// @ts-check
// Decisions about the Electron binary, kept free of I/O so every branch is tested directly:
// where the binary is, whether to download it, and the one paragraph shown when it is missing.
// Plain .mjs (typed by electron-binary.d.mts) because `npm start` runs it before anything is built.
import path from 'node:path';

/** What install-electron writes to path.txt, per platform (electron/install.js getPlatformPath). */
const EXECUTABLES = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  mas: 'Electron.app/Contents/MacOS/Electron',
  linux: 'electron',
  freebsd: 'electron',
  openbsd: 'electron',
  win32: 'electron.exe',
};

/** @param {string} platform */
export function executableName(platform) {
  return Object.hasOwn(EXECUTABLES, platform) ? EXECUTABLES[/** @type {keyof EXECUTABLES} */ (platform)] : 'electron';
}

/** The platform install-electron downloads for: the same variables its install.js reads. */
export function targetOf(/** @type {Env} */ env, /** @type {string} */ platform, /** @type {string} */ arch) {
  const os = env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || platform;
  return { platform: os, arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || arch };
}

/**
 * Where the binary electron-vite will launch is: ELECTRON_EXEC_PATH (electron-vite's own variable),
 * else as electron's index.js finds it (ELECTRON_OVERRIDE_DIST_PATH, else dist/ + path.txt).
 * @param {{ env: Env, electronDir: string, pathTxt: string | undefined, platform: string }} input
 * @returns {Located}
 */
export function locateBinary({ env, electronDir, pathTxt, platform }) {
  if (env.ELECTRON_EXEC_PATH) return { binary: env.ELECTRON_EXEC_PATH, source: 'ELECTRON_EXEC_PATH' };
  // index.js falls back to "electron" when path.txt is absent; the platform's real name is right on
  // Windows and macOS too.
  const relative = pathTxt || executableName(platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { binary: path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative), source: 'ELECTRON_OVERRIDE_DIST_PATH' };
  }
  return { binary: path.join(electronDir, 'dist', relative), source: 'dist' };
}

/**
 * @param {{ located: Located, exists: boolean, pathTxt: string | undefined, env: Env }} input
 * @returns {Decision}
 */
export function decide({ located, exists, pathTxt, env }) {
  // Without path.txt, electron's index.js and electron-vite both treat the binary as not installed.
  if (exists && (located.source !== 'dist' || pathTxt)) return { kind: 'ready' };
  // Downloading cannot help: the variable points elsewhere and wins over node_modules/electron/dist.
  if (located.source === 'ELECTRON_EXEC_PATH') return { kind: 'missing', reason: { type: 'exec-path', path: located.binary } };
  if (located.source === 'ELECTRON_OVERRIDE_DIST_PATH') {
    return { kind: 'missing', reason: { type: 'override', path: located.binary } };
  }
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { kind: 'missing', reason: { type: 'skipped' } };
  return { kind: 'download' };
}

/** @param {Reason} reason */
function why(reason) {
  const notAtInstall = 'It is not fetched by `npm ci` but on the first `npm start` or `npm run dev`';
  switch (reason.type) {
    case 'exec-path':
      return `ELECTRON_EXEC_PATH is set to ${reason.path}, which is not a file; fix or unset it.`;
    case 'override':
      return `ELECTRON_OVERRIDE_DIST_PATH is set, but ${reason.path} does not exist; fix or unset it.`;
    case 'skipped':
      return `${notAtInstall}, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded.`;
    case 'timeout':
      return `${notAtInstall}, and that download was stopped after ${reason.seconds} s (MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT).`;
    case 'download-failed':
      return `${notAtInstall}, and that download failed${reason.cause ? ` (${reason.cause})` : ''}.`;
    case 'still-missing':
      return `${notAtInstall}; the download reported success, but ${reason.path} is still missing.`;
  }
}

/**
 * The single paragraph printed instead of a stack trace, wrapped for a terminal.
 * @param {{ version: string, target: { platform: string, arch: string }, reason: Reason }} input
 */
export function formatMissing({ version, target, reason }) {
  const platform = `${target.platform}-${target.arch}`;
  const text =
    `MLP Lab cannot start: the Electron binary (version ${version}, ${platform}) is missing. ${why(reason)} ` +
    'To provide it: connect to the internet and run the command again (behind a proxy, set HTTPS_PROXY and ' +
    'ELECTRON_GET_USE_PROXY=1); or set ELECTRON_MIRROR=<base URL of a mirror of Electron releases>; or set ' +
    `ELECTRON_OVERRIDE_DIST_PATH=<folder with an unpacked Electron ${version} for ${platform}>, the folder ` +
    `that holds ${executableName(target.platform)}.`;
  return wrap(text, 100);
}

/** @param {string} text @param {number} width */
export function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * The error line install-electron printed, without its stack: the first "SomeError: ..." line (Node
 * prints file:line and source above it for an uncaught throw), else the first line that is not a frame.
 * @param {string} stderr
 */
export function failureCause(stderr) {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .filter((l) => l && !l.startsWith('at '));
  const line = lines.find((l) => /^[\w.$]*(Error|Exception)\b/.test(l)) ?? lines[0];
  if (!line) return '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/**
 * MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT: whole seconds, 1 to 86400; unset or empty means no limit.
 * @param {string | undefined} value
 * @returns {number | undefined}
 */
export function parseTimeout(value) {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 86_400) {
    throw new Error(`MLP_LAB_ELECTRON_DOWNLOAD_TIMEOUT must be whole seconds from 1 to 86400, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(value);
}

export const USAGE = 'usage: node scripts/ensure-electron.mjs [--then electron-vite <args>...]';

/**
 * Arguments: none (only ensure the binary), or `--then electron-vite <args>` to run it afterwards.
 * @param {readonly string[]} argv
 * @returns {string[] | undefined} the electron-vite arguments, if any
 */
export function parseArgs(argv) {
  if (argv.length === 0) return undefined;
  if (argv[0] === '--then' && argv[1] === 'electron-vite') return argv.slice(2);
  throw new Error(`${USAGE} (got ${JSON.stringify(argv.join(' ').slice(0, 80))})`);
}

/** @typedef {Record<string, string | undefined>} Env */
/** @typedef {{ binary: string, source: 'ELECTRON_EXEC_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH' | 'dist' }} Located */
/**
 * @typedef {{ type: 'exec-path' | 'override' | 'still-missing', path: string } | { type: 'skipped' }
 *   | { type: 'timeout', seconds: number } | { type: 'download-failed', cause: string }} Reason
 */
/** @typedef {{ kind: 'ready' } | { kind: 'download' } | { kind: 'missing', reason: Reason }} Decision */
