import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';

/** More threads than this gains nothing at our layer sizes: per-op fixed costs dominate. */
export const MAX_WASM_THREADS = 8;
/** /proc/cpuinfo is a few KB per logical CPU; more than this is not a file we should parse. */
const CPUINFO_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Physical cores this process may use. Two threads on the two hyperthreads of one core share its SIMD
 * units, so they add little to matrix products while doubling the synchronisation.
 * - Linux: distinct (physical id, core id) pairs in /proc/cpuinfo, at most the logical CPUs Node may use.
 * - Apple Silicon (darwin arm64) has no SMT: physical = logical.
 * - Elsewhere (macOS Intel, Windows, Linux without topology lines): assumed 2-way SMT when there are at
 *   least 4 logical CPUs, so logical / 2; Node offers no portable physical-core count without spawning
 *   sysctl or wmic, and a wrong guess only costs speed, never correctness.
 */
export function physicalCores(): number {
  const logical = Math.max(1, os.availableParallelism());
  if (process.platform === 'linux') {
    const fromCpuinfo = linuxPhysicalCores();
    if (fromCpuinfo !== null) return Math.max(1, Math.min(fromCpuinfo, logical));
  }
  if (process.platform === 'darwin' && process.arch === 'arm64') return logical;
  return logical >= 4 ? Math.ceil(logical / 2) : logical;
}

/** Distinct cores named in /proc/cpuinfo, or null when it has no topology lines (some VMs, ARM boards). */
export function linuxPhysicalCores(file = '/proc/cpuinfo'): number | null {
  let text: string;
  try {
    // /proc files report size 0, so the bound is on what is read, not on stat's size.
    const stat = statSync(file);
    if (!stat.isFile()) return null;
    text = readFileSync(file, 'latin1').slice(0, CPUINFO_MAX_BYTES);
  } catch {
    return null;
  }
  return countCores(text);
}

/** Counts distinct (physical id, core id) pairs of a /proc/cpuinfo text; null when there are none. */
export function countCores(cpuinfo: string): number | null {
  const cores = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  return cores.size > 0 ? cores.size : null;
}

/** Above this an explicit request is surely a typo: each thread is a worker with its own stack. */
const MAX_REQUESTED_THREADS = 64;

/**
 * The thread count for the wasm backend: MLP_LAB_WASM_THREADS=N (1 = the single-threaded build) when set,
 * else one per physical core up to 8. A malformed value throws rather than being silently replaced.
 */
export function requestedThreads(value: string | undefined = process.env.MLP_LAB_WASM_THREADS): number {
  if (value === undefined || value.trim() === '') return Math.min(physicalCores(), MAX_WASM_THREADS);
  const trimmed = value.trim();
  if (!/^\d{1,2}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > MAX_REQUESTED_THREADS) {
    throw new Error(`MLP_LAB_WASM_THREADS must be a whole number from 1 to ${MAX_REQUESTED_THREADS} (got "${value.slice(0, 20)}")`);
  }
  return Number(trimmed);
}
