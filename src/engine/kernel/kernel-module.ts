import { RELAXED_THREADS_WASM, RELAXED_WASM, SIMD_THREADS_WASM, SIMD_WASM } from './kernel-wasm';

/** The C functions of src/engine/kernel/c, as the module exports them (addresses are byte offsets). */
export interface KernelExports {
  memory: { buffer: ArrayBuffer | SharedArrayBuffer };
  kn_config(): number;
  kn_hyper(): number;
  kn_init(): number;
  kn_data(count: number, rows: number, cols: number, unitLength: number): number;
  kn_ptr(what: number, layer: number): number;
  kn_step(start: number, count: number, mode: number, l2: number): number;
  kn_correct(): number;
  /**
   * How many helper threads the next steps may use (0 in the one-thread builds); returns it. leaveFirst
   * (tests only): the caller waits for a helper to take each task's first part.
   */
  kn_threads(helpers: number, leaveFirst: number): number;
  /** Parts of the products the helpers ran since kn_threads (tests: proof that they took part). */
  kn_helper_parts(): number;
  /** Next batches the helpers filled ahead since kn_threads (sparse input; tests: proof of the pipeline). */
  kn_helper_fills(): number;
  /** Tests: the input buffer rewritten from the sparse first layer's lists of the current batch. */
  kn_input_rows(count: number): void;
  /** Bench only: reps first-layer forward products on the input buffer. */
  kn_bench_forward(count: number, reps: number): void;
  /** Bench only: iterations × 48 multiply-adds on registers. */
  kn_bench_peak(iterations: number, scale: number): number;
}

/** What only the threaded builds export: a helper's loop, its stack, and the end of every helper. */
export interface ThreadedExports extends KernelExports {
  kn_helper(id: number): void;
  kn_helper_stack(id: number): number;
  kn_quit(): void;
  __stack_pointer: { value: number };
}

/** Which build runs: relaxed SIMD (fused multiply-add in the products) where the runtime validates it. */
export type KernelVariant = 'relaxed-simd' | 'simd128';

export interface KernelInstance {
  exports: KernelExports;
  variant: KernelVariant;
  /** The threaded build: its compiled module and shared memory, for the helpers' own instances. */
  shared?: { module: object; memory: object };
}

/** The part of the WebAssembly API used here (the engine's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The threaded builds' memory, in 64 KiB pages, as scripts/build-kernel.mjs links them. */
const SHARED_PAGES = { initial: 64, maximum: 32768 };

const instances: { single?: KernelInstance | string; threaded?: KernelInstance | string } = {};
const inUse = { single: false, threaded: false };

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

/** The first build of `builds` that this runtime validates (relaxed SIMD first), or null. */
function pick(builds: [string, KernelVariant][]): [Uint8Array, KernelVariant] | null {
  for (const [base64, variant] of builds) {
    const bytes = bytesOf(base64);
    if (wasmApi.validate(bytes)) return [bytes, variant];
  }
  return null;
}

/**
 * The one kernel instance of this process (or worker), made on first use; or why there is none. One
 * instance is reused by every run: its memory is laid out afresh by each run, so 20 runs in a row take
 * no more memory than the largest of them. The build is chosen by asking the runtime whether it
 * validates each module, never by its version: Node 20 validates relaxed SIMD only behind a flag.
 * `threaded`: the build on a shared memory, whose products helper threads can share (kernel-threads.ts).
 */
export function kernelInstance(threaded = false): KernelInstance | string {
  const slot = threaded ? 'threaded' : 'single';
  const known = instances[slot];
  if (known !== undefined) return known;
  const picked = threaded
    ? pick([[RELAXED_THREADS_WASM, 'relaxed-simd'], [SIMD_THREADS_WASM, 'simd128']])
    : pick([[RELAXED_WASM, 'relaxed-simd'], [SIMD_WASM, 'simd128']]);
  if (!picked) {
    instances[slot] = threaded ? 'this runtime does not validate WebAssembly threads (shared memory and atomics) with SIMD128' : 'this runtime does not validate WebAssembly SIMD128';
    return instances[slot];
  }
  const [bytes, variant] = picked;
  try {
    const module = new wasmApi.Module(bytes);
    if (threaded) {
      const memory = new wasmApi.Memory({ ...SHARED_PAGES, shared: true });
      const exports = { ...(new wasmApi.Instance(module, { env: { memory } }).exports as object), memory } as unknown as KernelExports;
      instances[slot] = { exports, variant, shared: { module, memory } };
    } else {
      instances[slot] = { exports: new wasmApi.Instance(module, {}).exports as unknown as KernelExports, variant };
    }
  } catch (error) {
    instances[slot] = `the kernel module did not instantiate: ${error instanceof Error ? error.message : String(error)}`;
  }
  return instances[slot];
}

/**
 * Takes an instance for one training run (the threaded one when `threaded`); or the reason when it is not
 * available or another run of this process holds it. Give it back with releaseKernel.
 */
export function acquireKernel(threaded = false): KernelInstance | string {
  const kernel = kernelInstance(threaded);
  if (typeof kernel === 'string') return kernel;
  const slot = threaded ? 'threaded' : 'single';
  if (inUse[slot]) return 'another training run of this process is using the kernel';
  inUse[slot] = true;
  kernel.exports.kn_threads(0, 0);
  return kernel;
}

export function releaseKernel(kernel?: KernelInstance): void {
  inUse[kernel?.shared ? 'threaded' : 'single'] = false;
}
