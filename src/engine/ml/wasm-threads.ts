import * as tf from '@tensorflow/tfjs';
import type * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runtimeDir } from '../runtime-files';

/**
 * Threaded wasm under Node. tfjs-backend-wasm 4.22.0 (pinned) ships a threaded SIMD build but leaves it
 * off in Node; three of its internals stand in the way, and each is handled here without touching the
 * package:
 * - it hands Emscripten a blob: URL for the pthread worker script, which worker_threads refuses
 *   (ERR_WORKER_PATH): a real file of ours answers instead (pthreadScript);
 * - the pthread worker is then sent the factory as a Blob of bundle-local source: our script loads the
 *   package's standalone wasm-out build in its place;
 * - its C++ side caps the pool at os.cpus().length / 2 when the module starts, so os.cpus is widened
 *   for that moment only.
 * Emscripten refs the pool's workers while they run, which would keep a finished process alive: they
 * are unref'd once the pool is up.
 */

/** The pthread script is a few lines; anything larger at our path is not ours. */
const SCRIPT_MAX_BYTES = 4096;

/** The package's folder of standalone Emscripten builds (unpacked from the asar in a packaged app). */
export function wasmOutDir(): string {
  return runtimeDir('wasmPthread');
}

/** The pthread worker's source: the package's own worker script, fed the standalone factory. */
export function pthreadScriptSource(outDir = wasmOutDir()): string {
  const factory = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const worker = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  for (const file of [factory, worker]) {
    if (!fs.statSync(file).isFile()) throw new Error(`${file} is not a regular file`);
  }
  return [
    '"use strict";',
    '// Written by MLP Lab (src/engine/ml/wasm-threads.ts): a pthread of tfjs-backend-wasm\'s threaded build.',
    '// The package keeps the pthread script as a string export; it runs here as a file of its own. That',
    '// script turns the factory Blob it is sent into an object URL and reads the URL as a file: both calls',
    '// are answered with the standalone build, which defines the same global factory.',
    `const factory = ${JSON.stringify(factory)};`,
    'URL.createObjectURL = () => factory;',
    'URL.revokeObjectURL = () => {};',
    `const { wasmWorkerContents } = require(${JSON.stringify(worker)});`,
    "if (typeof wasmWorkerContents !== 'string') throw new Error('no wasmWorkerContents in the pthread script module');",
    '// Its one string "\\n" became a real newline in the template literal: escape it again, as tfjs does.',
    "new Function('require', '__filename', wasmWorkerContents.replace(/\\n/g, '\\\\n'))(require, __filename);",
    '',
  ].join('\n');
}

/**
 * Writes the pthread script where only this user can write, named by its content so processes share it
 * and a changed install gets a new file; an existing file is used only when it is exactly ours.
 */
export function pthreadScript(source = pthreadScriptSource(), baseDir = os.tmpdir()): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const dir = path.join(baseDir, `mlp-lab-${uid ?? os.userInfo().username}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (uid !== null && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) {
    throw new Error(`${dir} is not a private folder of this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`);
  }
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(dir, `wasm-pthread-${hash}.cjs`);
  if (isExactly(file, source)) return file;
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, source, { flag: 'wx', mode: 0o600 });
  fs.renameSync(temp, file);
  return file;
}

function isExactly(file: string, source: string): boolean {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > SCRIPT_MAX_BYTES) return false;
    return fs.readFileSync(file, 'utf8') === source;
  } catch {
    return false;
  }
}

let redirectedTo: string | null = null;

/**
 * Answers tfjs' blob: URL for the pthread script with our file. It stays in place: Emscripten spawns a
 * new worker whenever its pool runs dry. Only 'application/javascript' Blobs are redirected, the type
 * tfjs gives that script; nothing else in the engine makes object URLs.
 */
function redirectPthreadBlob(file: string): void {
  if (redirectedTo !== null) {
    redirectedTo = file;
    return;
  }
  redirectedTo = file;
  const original = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object: Blob) =>
    object instanceof Blob && object.type === 'application/javascript' && redirectedTo ? redirectedTo : original(object);
}

/**
 * Starts the wasm backend with `threads` threads (> 1). Resolves false, like tf.setBackend, when the
 * backend did not initialise; throws when the pthread script cannot be prepared.
 */
export async function startThreadedWasm(wasm: typeof tfWasm, threads: number): Promise<boolean> {
  redirectPthreadBlob(pthreadScript());
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const cpus = os.cpus;
  // The C++ pool takes min(requested, cpus / 2); report enough CPUs for the request to stand.
  os.cpus = () => {
    const real = cpus();
    const model = real[0] ?? { model: 'unknown', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
    return real.length >= threads * 2 ? real : [...real, ...Array.from({ length: threads * 2 - real.length }, () => model)];
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
    await tf.ready();
  } finally {
    os.cpus = cpus;
  }
    if (ok && tf.getBackend() === 'wasm') unrefPthreads();
  return ok && tf.getBackend() === 'wasm';
}

interface NodeWorkerLike {
  unref?: () => void;
}
interface EmscriptenPThread {
  runningWorkers?: NodeWorkerLike[];
  unusedWorkers?: NodeWorkerLike[];
}

/** Lets the process end while the pool's threads wait for work. */
export function unrefPthreads(): number {
  const module = (tf.backend() as unknown as { wasm?: { PThread?: EmscriptenPThread } }).wasm;
  const pool = module?.PThread;
  if (!pool) return 0;
  const workers = [...(pool.runningWorkers ?? []), ...(pool.unusedWorkers ?? [])];
  for (const worker of workers) worker.unref?.();
  return workers.length;
}
