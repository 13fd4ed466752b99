import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Runs fn as a numbered step, printing what it does and how long it took. */
export async function step<T>(index: number, count: number, what: string, fn: () => Promise<T>, log = console.log): Promise<T> {
  log(`[${index}/${count}] ${what}…`);
  const started = performance.now();
  const result = await fn();
  log(`[${index}/${count}] ${what}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Runs a command with its output shown; rejects with the command and its exit code. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** The environment that keeps TensorFlow's start-up lines off stderr (see src/engine/ml/tf-logs.ts). */
const QUIET = { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' };

/**
 * Whether tfjs-node loads in a fresh Node process in root and computes a product: null when it does,
 * else the first line of why not.
 */
export function tfjsNodeProblem(root: string): string | null {
  const probe = "const tf = require('@tensorflow/tfjs-node'); const p = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync(); if (tf.getBackend() !== 'tensorflow' || p[0] !== 3) throw new Error('tfjs-node loaded but computed ' + p[0] + ' on ' + tf.getBackend());";
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, env: { ...process.env, ...QUIET }, encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0) return null;
  const lines = `${result.stderr ?? ''}`.split('\n').map((l) => l.trim());
  return lines.find((l) => /^(Error|.*Error:)/.test(l)) ?? lines.find((l) => l) ?? `exit code ${result.status}`;
}

/** Which of the build's tools are not on PATH. */
export function missingTools(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const has = (name: string): boolean => dirs.some((d) => existsSync(path.join(d, name)));
  const missing: string[] = [];
  if (!has('make')) missing.push('make');
  if (!has('c++') && !has('g++') && !has('clang++')) missing.push('a C++ compiler (g++)');
  if (!has('python3')) missing.push('python3');
  return missing;
}

/**
 * The install prefix of the Node running this, when it holds the headers node-gyp compiles against
 * (Debian's nodejs: /usr with /usr/include/node), so that node-gyp needs no download; else null.
 */
export function nodeHeadersPrefix(execPath = process.execPath): string | null {
  const prefix = path.resolve(path.dirname(execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

/** The newest wheel of TENSORFLOW_WHEEL's name already in dir, or null. */
export function cachedWheel(dir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const wheels = names.filter((n) => /^tensorflow_cpu-2\.21\.0-.*\.whl$/.test(n)).sort();
  return wheels.length ? path.join(dir, wheels.at(-1)!) : null;
}
