import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The files the engine loads by path at run time, which a packaged app must keep outside app.asar:
 * worker threads, Emscripten's file reads and the dynamic linker see the real file system, not
 * Electron's archive. The packaging config's asarUnpack is derived from this table
 * (scripts/packaging/builder-config.ts), and the engine finds each folder through `runtimeDir`, so the
 * two cannot drift apart.
 *
 * The training kernel is not here: its wasm is compiled into the JavaScript bundle as base64
 * (src/engine/kernel/kernel-wasm.ts), so it is never read as a file. The training worker
 * (out/main/training-worker.js) stays inside the asar: Electron's worker threads read the archive, and
 * unpacking it alone would cut it off from the packages it imports.
 */
export const RUNTIME_FILES = {
  wasmBinaries: {
    package: '@tensorflow/tfjs-backend-wasm',
    dir: 'dist',
    files: '*.wasm',
    why: "tfjs-backend-wasm reads its .wasm binaries by path under Node (setWasmPaths points it at this folder)",
  },
  wasmPthread: {
    package: '@tensorflow/tfjs-backend-wasm',
    dir: 'wasm-out',
    files: '*',
    why: 'the pthread worker script and the standalone factory, required by path from the pthread script (ml/wasm-threads.ts)',
  },
  tfjsNode: {
    package: '@tensorflow/tfjs-node',
    dir: '',
    files: '**/*',
    why: 'the native binding and libtensorflow: the dynamic linker cannot read inside an archive',
  },
} as const;

export type RuntimeFileKey = keyof typeof RUNTIME_FILES;

const ASAR = 'app.asar';
const UNPACKED = 'app.asar.unpacked';

/**
 * The path the unpacked copy of `file` has: the first folder named exactly app.asar becomes
 * app.asar.unpacked. Outside a packaged app (a clone, the tests, the CLI) the path comes back unchanged.
 */
export function unpackedPath(file: string): string {
  const parts = file.split(/([\\/])/);
  const at = parts.indexOf(ASAR);
  if (at < 0) return file;
  return [...parts.slice(0, at), UNPACKED, ...parts.slice(at + 1)].join('');
}

/** The root folder of `pkg`, from any file that resolving it gives. */
export function packageRoot(pkg: string, resolved: string): string {
  const marker = `${path.sep}node_modules${path.sep}${pkg.split('/').join(path.sep)}${path.sep}`;
  const normal = path.normalize(resolved);
  const at = normal.lastIndexOf(marker);
  if (at < 0) throw new Error(`${resolved} is not inside node_modules/${pkg}`);
  return normal.slice(0, at + marker.length - 1);
}

// Not named `require`: the app bundle declares its own shim of that name in the same scope.
const packageRequire = createRequire(import.meta.url);

/**
 * The folder holding one entry's runtime files, on the real file system (app.asar.unpacked when
 * packaged). `resolve` finds the package's entry point, as Node's require.resolve does.
 */
export function runtimeDir(key: RuntimeFileKey, resolve: (id: string) => string = packageRequire.resolve): string {
  const entry = RUNTIME_FILES[key];
  return unpackedPath(path.join(packageRoot(entry.package, resolve(entry.package)), entry.dir));
}

/** electron-builder's asarUnpack patterns: one per entry, relative to the app folder. */
export function asarUnpackPatterns(): string[] {
  return Object.values(RUNTIME_FILES).map((entry) =>
    ['node_modules', entry.package, ...(entry.dir ? [entry.dir] : []), entry.files].join('/'),
  );
}
